"""Eval runs: the JSON files `fund-assistant eval` writes, read (never written) and cached per
file version."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from assistant.analytics import UtcDatetime
from assistant.state.conversations import NotFoundError

log = logging.getLogger(__name__)

RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


class EvalCase(BaseModel):
    suite: str
    id: str
    input: dict[str, Any] = {}
    output: dict[str, Any] = {}
    checks: dict[str, bool] = {}
    passed: bool
    score: float = 1.0
    groups: dict[str, str] = {}

    def group(self, name: str) -> str | None:
        """A grouping (intent, route, language) from the case's groups, else its reply."""
        value = self.groups.get(name) or self.output.get(name)
        return value if isinstance(value, str) else None


class EvalRun(BaseModel):
    id: str
    started_at: UtcDatetime
    finished_at: UtcDatetime | None = None
    git_commit: str | None = None
    metrics: dict[str, dict[str, float]] = {}
    failed_thresholds: list[str] = []
    cases: list[EvalCase] = []


class CaseCounts(BaseModel):
    total: int
    passed: int
    failed: int
    by_suite: dict[str, dict[str, int]]  # suite → {"total", "failed"}


class RunSummary(BaseModel):
    id: str
    started_at: UtcDatetime
    finished_at: UtcDatetime | None
    git_commit: str | None
    metrics: dict[str, dict[str, float]]
    failed_thresholds: list[str]
    cases: CaseCounts

    @classmethod
    def of(cls, run: EvalRun) -> RunSummary:
        suites: dict[str, dict[str, int]] = {}
        for case in run.cases:
            tally = suites.setdefault(case.suite, {"total": 0, "failed": 0})
            tally["total"] += 1
            tally["failed"] += not case.passed
        failed = sum(tally["failed"] for tally in suites.values())
        counts = CaseCounts(
            total=len(run.cases), passed=len(run.cases) - failed, failed=failed, by_suite=suites
        )
        return cls(**run.model_dump(exclude={"cases"}), cases=counts)


class CaseFilter(BaseModel):
    verdict: Literal["pass", "fail"] | None = None
    suite: str | None = None
    intent: str | None = None
    route: str | None = None
    language: str | None = None

    def keeps(self, case: EvalCase) -> bool:
        if self.verdict and case.passed != (self.verdict == "pass"):
            return False
        if self.suite and case.suite != self.suite:
            return False
        wanted = {"intent": self.intent, "route": self.route, "language": self.language}
        return all(case.group(k) == v for k, v in wanted.items() if v)


class EvalRuns:
    """The run files in one folder; a run id is a file stem and nothing else."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def summaries(self) -> list[RunSummary]:
        """Every readable run, newest first; an unreadable file is logged and skipped."""
        runs = []
        for path in sorted(self.directory.glob("*.json")):
            try:
                runs.append(_summary(path, *_stamp(path)))
            except (OSError, ValueError, ValidationError) as exc:
                log.warning("skipping eval run %s: %s", path.name, type(exc).__name__)
        return sorted(runs, key=lambda r: (r.started_at, r.id), reverse=True)

    def run(self, run_id: str) -> EvalRun:
        path = self.directory / f"{run_id}.json"
        if not RUN_ID.fullmatch(run_id) or ".." in run_id or not path.is_file():
            raise NotFoundError(f"unknown eval run {run_id}")
        try:
            return _load_run(path, *_stamp(path))
        except (OSError, ValueError, ValidationError) as exc:
            raise NotFoundError(f"eval run {run_id} is unreadable") from exc

    def cases(self, run_id: str, where: CaseFilter) -> list[EvalCase]:
        return [c for c in self.run(run_id).cases if where.keeps(c)]

    def has_case(self, target_id: str) -> bool:
        """`<run_id>:<suite>:<case_id>` names a case of a run in this folder."""
        run_id, _, rest = target_id.partition(":")
        suite, _, case_id = rest.partition(":")
        try:
            cases = self.run(run_id).cases
        except NotFoundError:
            return False
        return any(c.suite == suite and c.id == case_id for c in cases)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=16)
def _load_run(path: Path, _mtime_ns: int, _size: int) -> EvalRun:
    """Parsed once per file version: a full run holds every case's reply and can be large."""
    return EvalRun.model_validate_json(path.read_bytes())


@lru_cache(maxsize=1024)
def _summary(path: Path, mtime_ns: int, size: int) -> RunSummary:
    """Summaries are small, so every run's stays cached and listing does not re-parse runs."""
    return RunSummary.of(_load_run(path, mtime_ns, size))
