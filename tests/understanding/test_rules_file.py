"""The rules file: version reported, validated on load, odd input handled."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml

from assistant.understanding import Understander
from tests.understanding.conftest import RULES_DIR


def _version_in_file() -> str:
    return str(yaml.safe_load((RULES_DIR / "rules.v1.yaml").read_text("utf-8"))["version"])


def test_rules_version_is_reported(understander: Understander) -> None:
    assert _version_in_file().startswith("understanding-rules.v1")
    # The rules' version first, then the learned models' versions.
    assert understander.understand("你好").rules_version.split("; ")[0] == _version_in_file()


def _copy_rules(tmp_path: Path, replace: tuple[str, str]) -> Path:
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    path = tmp_path / "rules" / "rules.v1.yaml"
    text = path.read_text(encoding="utf-8")
    assert replace[0] in text
    path.write_text(text.replace(replace[0], replace[1], 1), encoding="utf-8")
    return tmp_path / "rules"


def test_a_broken_regex_fails_at_load_naming_the_file(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path, ("- '(都|已经)", "- '((都|已经)"))
    with pytest.raises(ValueError, match=r"(?s)rules\.v1\.yaml.*bad regex"):
        Understander(rules)


def test_an_unknown_key_fails_at_load(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path, ("  complaint:\n", "  complaint:\n    treshold: 0.5\n"))
    with pytest.raises(ValueError, match="treshold"):
        Understander(rules)


def test_the_version_comes_from_the_file(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path, (f"version: {_version_in_file()}\n", "version: test-v9\n"))
    assert Understander(rules).understand("你好").rules_version.split("; ")[0] == "test-v9"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "？？", "🙂🙂", "<PHONE_NUMBER>", "<PERSON>"])
def test_empty_or_odd_input_is_neutral_and_quiet(understander: Understander, text: str) -> None:
    result = understander.understand(text)
    assert result.signals == []
    assert result.emotion.label == "neutral"
    assert result.intent == "other"


def test_placeholders_from_redaction_do_not_fire(understander: Understander) -> None:
    result = understander.understand("我是<PERSON> 手机<PHONE_NUMBER> 想改绑银行卡")
    assert result.signals == []
    assert result.intent == "account"


def test_very_long_input_is_read_at_its_start_and_end_quickly(
    understander: Understander,
) -> None:
    text = "我想问一下基金的情况。" * 5000 + "我要投诉你们"
    start = time.perf_counter()
    result = understander.understand(text)
    assert time.perf_counter() - start < 0.5
    assert result.signal("complaint") is not None


def test_full_width_punctuation_and_capitals_are_normalised(understander: Understander) -> None:
    result = understander.understand("ＴＲＡＮＳＦＥＲ ＭＥ ＴＯ ＡＮ ＡＧＥＮＴ！！！")
    assert result.signal("human_requested") is not None
    assert result.emotion.label == "angry"


def test_understand_is_fast(understander: Understander) -> None:
    texts = ["赎回几天到账", "我要投诉 你们乱扣费!!!", "which fund should I buy"] * 100
    start = time.perf_counter()
    for text in texts:
        understander.understand(text)
    assert (time.perf_counter() - start) / len(texts) < 0.005


def test_a_repeated_weight_group_fails_at_load(tmp_path: Path) -> None:
    rules = _copy_rules(
        tmp_path, ("      0.65: [态度差,", "      0.9: [重复]\n      0.65: [态度差,")
    )
    with pytest.raises(Exception, match=r"repeated key 0\.9"):
        Understander(rules)
