"""Check the second company's question sets against its documents, read through the project's own
loader (so a fact that only a human sees in a PDF, and the loader does not extract, fails here).

- every answerable question's facts occur verbatim (spaces and case ignored, as `fact_recall`
  compares), each in one of its forms (`fact_forms`), in the text extracted from its `source`,
  and in every `also` file it names;
- every question's fund code is one the documents name; ids are unique; fields and languages are valid;
- no unanswerable question is a verbatim copy of an answerable one.

    python -m evals.kb2.validate      # exit 1 and a list of problems when anything is off
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from evals.common import required_facts
from ingestion.loaders import load_document
from ingestion.pipeline import document_files

KB2 = Path(__file__).resolve().parent
_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")
DOCS = KB2 / "docs"
QUESTIONS = KB2 / "questions.jsonl"
UNANSWERABLE = KB2 / "unanswerable.jsonl"
UNANSWERABLE_KINDS = (
    "other_company_fund",
    "fund_not_offered",
    "loan_credit",
    "payment_app",
    "own_account",
    "live_market",
    "not_in_documents",
)


def load_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def extracted_texts(docs: Path = DOCS) -> dict[str, str]:
    """Source path (relative, forward slashes) -> the loader's text, squashed."""
    texts = {}
    for path in document_files(docs):
        loaded = load_document(path, docs, path.read_bytes())
        texts[loaded.source] = _squash(loaded.markdown)
    return texts


def check_answerable(rows: list[dict[str, Any]], texts: dict[str, str]) -> list[str]:
    problems = []
    for row in rows:
        where = row.get("id", "?")
        missing = {"id", "question", "language", "facts", "source", "fund_code"} - row.keys()
        if missing:
            problems.append(f"{where}: missing fields {sorted(missing)}")
            continue
        if row["language"] not in ("zh", "en"):
            problems.append(f"{where}: language {row['language']!r}")
        problems += _facts_in_sources(where, row, texts)
        code = row["fund_code"]  # the fund the question is about (named by code or by name)
        if code is not None and not any(code in text for text in texts.values()):
            problems.append(f"{where}: fund code {code} in no document")
    return problems


def check_conversations(rows: list[dict[str, Any]], texts: dict[str, str]) -> list[str]:
    """A conversation set's labelled turns (a greeting may go unlabelled) as `check_answerable`
    checks a question: every fact in the text of its source and of every `also` document."""
    problems = []
    for row in rows:
        for number, turn in enumerate(row["turns"], 1):
            if "source" not in turn:
                continue
            problems += _facts_in_sources(f"{row['id']} turn {number}", turn, texts)
    return problems


def _facts_in_sources(where: str, labelled: dict[str, Any], texts: dict[str, str]) -> list[str]:
    """What is wrong with a labelled question's or turn's facts: none given, a source or
    `also` document that does not exist, a fact in none of its forms in one of them, a form
    given for no fact."""
    problems = [] if labelled.get("facts") else [f"{where}: no facts"]
    problems += [
        f"{where}: forms for {fact!r}, not one of its facts"
        for fact in labelled.get("fact_forms", {})
        if fact not in labelled.get("facts", [])
    ]
    for source in (labelled["source"], *labelled.get("also", [])):
        text = texts.get(source)
        if text is None:
            problems.append(f"{where}: no document {source}")
            continue
        problems += [
            f"{where}: fact {forms[0]!r} not in {source}"
            for forms in required_facts(labelled)
            if not any(_squash(form) in text for form in forms)
        ]
    return problems


def check_unanswerable(rows: list[dict[str, Any]], answerable: list[dict[str, Any]]) -> list[str]:
    problems = []
    asked = {_squash(r["question"]) for r in answerable}
    for row in rows:
        where = row.get("id", "?")
        missing = {"id", "question", "language", "kind"} - row.keys()
        if missing:
            problems.append(f"{where}: missing fields {sorted(missing)}")
            continue
        if row["kind"] not in UNANSWERABLE_KINDS:
            problems.append(f"{where}: kind {row['kind']!r}")
        if row["language"] not in ("zh", "en"):
            problems.append(f"{where}: language {row['language']!r}")
        if _squash(row["question"]) in asked:
            problems.append(f"{where}: also an answerable question")
    return problems


def duplicate_ids(rows: list[dict[str, Any]]) -> list[str]:
    seen: set[str] = set()
    dupes = []
    for row in rows:
        if row.get("id") in seen:
            dupes.append(f"{row['id']}: duplicate id")
        seen.add(row.get("id", ""))
    return dupes


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


class Validation(NamedTuple):
    texts: dict[str, str]  # source path -> the loader's text, squashed
    answerable: list[dict[str, Any]]
    unanswerable: list[dict[str, Any]]
    problems: list[str]


def validate_company(
    docs: Path,
    questions: Path,
    unanswerable_path: Path,
    fund_codes: frozenset[str] = frozenset(),
    foreign_kinds: tuple[str, ...] = (),
) -> Validation:
    """A company folder's documents (read through the loader) and both question files, checked:
    the checks above, and with `fund_codes` (the company's own share-class codes) that every
    `fund_code` is one of them and no question of a `foreign_kinds` kind names one."""
    texts = extracted_texts(docs)
    answerable, unanswerable = load_rows(questions), load_rows(unanswerable_path)
    problems = [
        *check_answerable(answerable, texts),
        *check_unanswerable(unanswerable, answerable),
        *duplicate_ids(answerable + unanswerable),
    ]
    if fund_codes:
        problems += [
            f"{row['id']}: fund code {row['fund_code']} is not one of the company's"
            for row in answerable
            if row.get("fund_code") is not None and row["fund_code"] not in fund_codes
        ]
        problems += [
            f"{row['id']}: names the company's own code {code} but is kind {row['kind']}"
            for row in unanswerable
            if row.get("kind") in foreign_kinds
            for code in _CODE.findall(row.get("question", ""))
            if code in fund_codes
        ]
    return Validation(texts, answerable, unanswerable, problems)


# A company folder's question sets, each an answerable and an unanswerable file: the set written
# with the documents, and (kb3, kb5) a later one of English questions only, written blind by a
# writer who had read none of the project's questions, to measure the English path afresh.
QUESTION_SETS = {
    "main": ("questions.jsonl", "unanswerable.jsonl"),
    "english_blind": ("english_blind.jsonl", "english_blind_unanswerable.jsonl"),
}


def company_files(validator: str, question_set: str = "main") -> tuple[Path, Path, Path]:
    """A company folder's documents and one question set's two files, beside its `validate.py`
    (the `__file__` given): docs/, questions.jsonl, unanswerable.jsonl for the main set."""
    folder = Path(validator).resolve().parent
    answerable, unanswerable = QUESTION_SETS[question_set]
    return folder / "docs", folder / answerable, folder / unanswerable


def validate_set(
    validator: str,
    question_set: str,
    docs: Path,
    fund_codes: frozenset[str],
    foreign_kinds: tuple[str, ...],
) -> Validation:
    """One question set of the company folder beside `validator`, checked (`validate_company`)."""
    _, questions, unanswerable = company_files(validator, question_set)
    return validate_company(docs, questions, unanswerable, fund_codes, foreign_kinds)


def report_every_set(validator: str, validate: Callable[..., Validation]) -> int:
    """`report` for each question set the folder beside `validator` holds (the main set always);
    1 when any has a problem."""
    held = [name for name in QUESTION_SETS if company_files(validator, name)[1].exists()]
    return max(report(validate(question_set=name)) for name in held)


def report(result: Validation) -> int:
    """Print the counts and the problems; the exit status (1 when anything is off)."""
    english = sum(r["language"] == "en" for r in result.answerable)
    print(
        f"{len(result.texts)} documents; {len(result.answerable)} answerable questions "
        f"({english} English), {len(result.unanswerable)} unanswerable"
    )
    for problem in result.problems:
        print("  " + problem)
    return 1 if result.problems else 0


def main() -> int:
    return report(validate_company(DOCS, QUESTIONS, UNANSWERABLE))


if __name__ == "__main__":
    sys.exit(main())
