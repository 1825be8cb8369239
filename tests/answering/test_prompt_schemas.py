"""Every YAML file in prompts/ loads through its schema: a typo fails on load, naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.prompt_schemas import SCHEMAS
from assistant.prompts import PROMPTS_DIR, PromptLibrary


def test_every_yaml_file_in_prompts_has_a_schema_and_loads() -> None:
    names = {p.stem for p in PROMPTS_DIR.glob("*.yaml")}
    assert names == set(SCHEMAS)
    library = PromptLibrary()
    for name in names:
        assert library.rules(name)["version"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version: v1\nsynonymz: {}\n", "synonyms"),  # a typo in a key
        ("version: v1\nsynonyms: {卖: 赎回}\n", "synonyms"),  # a string where a list belongs
        ("synonyms: {}\n", "version"),  # no version
    ],
)
def test_a_file_that_breaks_its_schema_fails_on_load(
    tmp_path: Path, text: str, problem: str
) -> None:
    (tmp_path / "retrieval.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        PromptLibrary(tmp_path).rules("retrieval")


def test_a_file_without_a_schema_is_refused(tmp_path: Path) -> None:
    (tmp_path / "surprise.yaml").write_text("version: v1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no schema"):
        PromptLibrary(tmp_path).rules("surprise")
