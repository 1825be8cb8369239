"""The dev-set comparison lists exactly the questions whose outcome changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.kb2.compare import changed, load, main


def _write(path: Path, outcomes: dict[str, str]) -> Path:
    rows = [
        {"id": key, "input": {"question": f"问题{key}"}, "output": {"outcome": outcome}}
        for key, outcome in outcomes.items()
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


def test_only_changed_outcomes_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _write(tmp_path / "old.jsonl", {"q1": "answered_right", "q2": "handed_off", "q3": "x"})
    new = _write(tmp_path / "new.jsonl", {"q1": "answered_wrong", "q2": "handed_off", "q4": "x"})
    assert changed(load(old), load(new)) == ["q1"]
    monkeypatch.setattr("sys.argv", ["compare", str(old), str(new)])
    main()
    out = capsys.readouterr().out
    assert "q1 问题q1: answered_right -> answered_wrong" in out and "q2 问题q2" not in out
