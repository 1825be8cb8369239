"""Prompts, rules and fixed wording live as versioned files in `prompts/`, loaded by name.

Each YAML file carries a `version:`; each Markdown prompt is named `<name>.<lang>.v<N>.md` and
the highest N is used. The versions in force are recorded with every reply.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.prompt_schemas import SCHEMAS

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
_VERSIONED = re.compile(r"^(?P<name>.+)\.(?P<lang>zh|en)\.v(?P<version>\d+)\.md$")


class PromptLibrary:
    def __init__(self, root: Path = PROMPTS_DIR) -> None:
        self.root = Path(root)

    def rules(self, name: str) -> dict[str, Any]:
        """`prompts/<name>.yaml`, validated against its schema (`assistant/prompt_schemas.py`)."""
        return _load_yaml(self.root / f"{name}.yaml", name)

    def template(self, name: str, language: str) -> tuple[str, str]:
        """The newest `prompts/llm/<name>.<language>.vN.md`: (text, "name.lang.vN")."""
        best: tuple[int, Path] | None = None
        for path in (self.root / "llm").glob(f"{name}.{language}.v*.md"):
            match = _VERSIONED.match(path.name)
            if match and (best is None or int(match["version"]) > best[0]):
                best = (int(match["version"]), path)
        if best is None:
            raise FileNotFoundError(f"no prompt {name!r} for language {language!r} in {self.root}")
        return best[1].read_text(encoding="utf-8"), best[1].stem


@cache
def _load_yaml(path: Path, name: str) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = SCHEMAS.get(name)
    if schema is None:
        raise ValueError(f"no schema for {path}: add one to assistant/prompt_schemas.py")
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path} does not match its schema: {exc}") from exc
    return data  # type: ignore[no-any-return]
