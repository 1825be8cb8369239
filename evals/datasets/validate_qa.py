"""Validate the labelled QA eval sets against knowledge_docs/.

Checks retrieval.jsonl, answers.jsonl and multiturn.jsonl:
- every line parses, ids are unique and well-formed, required fields have the right types;
- every `source` / `also` path exists under knowledge_docs/, `also` has no duplicates and does not
  repeat `source`;
- every `section` is the exact text of a heading (#..######) in the source file;
- every fact occurs verbatim in the labelled passage (the section under `section`); failing that,
  in the source file (warning) or in one of the `also` files (warning); otherwise an error;
- questions are not copies of an FAQ heading or a document sentence (difflib ratio);
- the same question text is not used twice across the three files;
- zh questions contain Chinese characters, en questions contain none.
Prints counts per language, per top-level folder of `source`, per topic.

Exit status 1 if there are errors (warnings do not fail).

Run: .venv/bin/python evals/datasets/validate_qa.py [-v]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCS = HERE.parents[1] / "knowledge_docs"
FILES = {"retrieval": "retrieval.jsonl", "answers": "answers.jsonl", "multiturn": "multiturn.jsonl"}
ID_PREFIX = {"retrieval": "ret", "answers": "ans", "multiturn": "mt"}
MIN_COUNTS = {  # dataset: (total, zh, en)
    "retrieval": (170, 120, 45),
    "answers": (80, 55, 25),
    "multiturn": (25, 0, 0),
}
LANGS = {"zh", "en"}
TOPICS = {"product", "transaction", "account", "technical", "service"}
RISK_LEVELS = {"R1", "R2", "R3", "R4", "R5"}
COPY_ERROR = 0.85  # question ~ heading/sentence similarity treated as a copy
COPY_WARN = 0.70
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
CJK = re.compile(r"[\u4e00-\u9fff]")

errors: list[str] = []
warnings: list[str] = []


def err(where: str, msg: str) -> None:
    errors.append(f"{where}: {msg}")


def warn(where: str, msg: str) -> None:
    warnings.append(f"{where}: {msg}")


class Doc:
    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")
        self.body = re.sub(r"\A---\n.*?\n---\n", "", self.text, flags=re.S)
        self.passages: dict[
            str, list[str]
        ] = {}  # heading text -> passage texts (until next heading)
        heading: str | None = None
        for line in self.body.splitlines():
            m = HEADING.match(line.strip())
            if m is not None:
                heading = m.group(2).strip()
                self.passages.setdefault(heading, []).append("")
            elif heading is not None:
                self.passages[heading][-1] += line + "\n"

    def headings(self) -> set[str]:
        return set(self.passages)

    def sentences(self) -> list[str]:
        out = []
        for line in self.body.splitlines():
            line = line.strip().lstrip("#-*|0123456789. ").strip()
            for s in re.split(r"(?<=[。！？；!?;])|(?<=\.)\s+", line):
                s = s.strip()
                if len(s) >= 6:
                    out.append(s)
        return out


_docs: dict[str, Doc] = {}


def doc(rel: str) -> Doc | None:
    if rel not in _docs:
        p = DOCS / rel
        if not p.is_file():
            return None
        _docs[rel] = Doc(p)
    return _docs[rel]


def all_docs() -> dict[str, Doc]:
    for p in sorted(DOCS.rglob("*.md")):
        if p.name != "README.md":
            doc(str(p.relative_to(DOCS)))
    return _docs


def check_label(where: str, item: dict[str, Any], need_section: bool, need_facts: bool) -> None:
    src = item.get("source")
    source = doc(src) if isinstance(src, str) else None
    if source is None:
        err(where, f"source {src!r} does not exist under knowledge_docs/")
        return
    also = item.get("also", [])
    if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
        err(where, "also must be a list of paths")
        also = []
    for a in also:
        if doc(a) is None:
            err(where, f"also path {a!r} does not exist")
    if src in also:
        err(where, f"also repeats the source {src}")
    if len(set(also)) != len(also):
        err(where, "duplicate paths in also")
    section = item.get("section")
    passage = ""
    if section is None:
        if need_section:
            err(where, "missing section")
    elif section not in source.passages:
        close = sorted(source.headings(), key=lambda h: -SequenceMatcher(None, h, section).ratio())[
            :1
        ]
        err(where, f"section {section!r} is not a heading in {src} (closest: {close})")
    else:
        passage = "".join(source.passages[section])
        if not passage.strip():
            err(where, f"section {section!r} in {src} has no text of its own")
        if len(source.passages[section]) > 1:
            warn(where, f"section {section!r} occurs more than once in {src}")
    facts = item.get("facts")
    if facts is None:
        if need_facts:
            err(where, "missing facts")
        return
    if not isinstance(facts, list) or not facts or not all(isinstance(f, str) and f for f in facts):
        err(where, "facts must be a non-empty list of strings")
        return
    if len(facts) > 3:
        warn(where, f"{len(facts)} facts (brief asks for 1-3)")
    for fact in facts:
        if passage and fact in passage:
            continue
        if fact in source.body:
            warn(where, f"fact {fact!r} is in {src} but not in the passage {section!r}")
            continue
        holders = [a for a in also if (d := doc(a)) is not None and fact in d.body]
        if holders:
            warn(where, f"fact {fact!r} not in source {src}, only in also {holders}")
            continue
        err(where, f"fact {fact!r} not found verbatim in {src} or also")


def _squash(text: str) -> str:
    """Lower case without spaces and punctuation, for comparing a question with a sentence."""
    return re.sub(r"[\s，。？！?,.!]", "", text.lower())


def check_language(where: str, text: str, lang: str) -> None:
    if lang not in LANGS:
        err(where, f"language {lang!r} not in {sorted(LANGS)}")
    elif lang == "zh" and not CJK.search(text):
        err(where, "zh question without Chinese characters")
    elif lang == "en" and CJK.search(text):
        err(where, "en question contains Chinese characters")


def main() -> int:
    verbose = "-v" in sys.argv
    all_docs()
    faq_headings = [h for rel, d in _docs.items() for h in d.headings() if h.endswith(("？", "?"))]
    sentences = [s for d in _docs.values() for s in d.sentences()] + faq_headings

    questions: dict[str, str] = {}
    data: dict[str, list[dict[str, Any]]] = {}
    for name, fname in FILES.items():
        rows = []
        ids = set()
        for n, line in enumerate((HERE / fname).read_text(encoding="utf-8").splitlines(), 1):
            where = f"{fname}:{n}"
            if not line.strip():
                err(where, "blank line")
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as e:
                err(where, f"bad JSON: {e}")
                continue
            iid = item.get("id")
            if not isinstance(iid, str) or not re.fullmatch(rf"{ID_PREFIX[name]}-\d{{3}}", iid):
                err(where, f"bad id {iid!r}")
            elif iid in ids:
                err(where, f"duplicate id {iid}")
            ids.add(iid)
            where = f"{fname}:{iid}"
            lang = item.get("language")
            if name == "multiturn":
                turns = item.get("turns")
                if not isinstance(turns, list) or len(turns) < 2:
                    err(where, "needs at least 2 turns")
                    continue
                if "source" not in turns[-1] or "facts" not in turns[-1]:
                    err(where, "last turn must carry source and facts")
                for k, turn in enumerate(turns, 1):
                    tw = f"{where}#t{k}"
                    u = turn.get("user")
                    if not isinstance(u, str) or not u.strip():
                        err(tw, "turn without user text")
                        continue
                    check_language(tw, u, lang)
                    if "source" in turn:
                        check_label(tw, turn, need_section=False, need_facts=True)
                    key = u.strip()
                    if k == 1 and key in questions:
                        err(tw, f"question also used in {questions[key]}")
                    if k == 1:
                        questions[key] = tw
            else:
                q = item.get("question")
                if not isinstance(q, str) or not q.strip():
                    err(where, "missing question")
                    continue
                check_language(where, q, lang)
                key = q.strip()
                if key in questions:
                    err(where, f"question also used in {questions[key]}")
                questions[key] = where
                if name == "retrieval":
                    check_label(where, item, need_section=True, need_facts=False)
                else:
                    check_label(where, item, need_section=False, need_facts=True)
                    risk = item.get("product_risk_level")
                    if risk is not None and risk not in RISK_LEVELS:
                        err(where, f"product_risk_level {risk!r}")
                    if item.get("topic") not in TOPICS:
                        err(where, f"topic {item.get('topic')!r} not in {sorted(TOPICS)}")
            rows.append(item)
        data[name] = rows

    # copies of FAQ headings / document sentences: each sentence is normalised and indexed by
    # difflib once (set as the second sequence), not again for every question
    copies = []
    squashed = [(s, _squash(s)) for s in sentences]
    matchers = [(s, len(sn), SequenceMatcher(None, "", sn)) for s, sn in squashed]
    for text, where in questions.items():
        norm = _squash(text)
        best, best_s = 0.0, ""
        for s, length, matcher in matchers:
            if abs(length - len(norm)) > max(len(norm), 8):
                continue
            matcher.set_seq1(norm)
            ratio = matcher.ratio()
            if ratio > best:
                best, best_s = ratio, s
        copies.append((best, where, text, best_s))
        if best >= COPY_ERROR:
            err(where, f"question {text!r} copies {best_s!r} ({best:.2f})")
        elif best >= COPY_WARN:
            warn(where, f"question {text!r} close to {best_s!r} ({best:.2f})")

    # counts
    print("== counts ==")
    for name, rows in data.items():
        langs = Counter(r.get("language") for r in rows)
        total, zh_min, en_min = MIN_COUNTS[name]
        print(f"{FILES[name]}: {len(rows)} (zh {langs['zh']}, en {langs['en']})")
        if len(rows) < total or langs["zh"] < zh_min or langs["en"] < en_min:
            err(FILES[name], f"below the required counts {MIN_COUNTS[name]}")
        if name == "multiturn":
            labelled = [t for r in rows for t in r["turns"] if "source" in t]
            nturns = Counter(len(r["turns"]) for r in rows)
            print(
                f"  turns per conversation: {dict(sorted(nturns.items()))}; labelled turns {len(labelled)}"
            )
            folders = Counter(t["source"].split("/")[0] for t in labelled)
        else:
            folders = Counter(
                r["source"].split("/")[0] for r in rows if isinstance(r.get("source"), str)
            )
            with_also = sum(1 for r in rows if r.get("also"))
            print(f"  with non-empty also: {with_also}")
            cross = sum(
                1 for r in rows if r.get("language") == "en" and not r["source"].startswith("en/")
            )
            print(f"  en questions whose best source is a Chinese document: {cross}")
        print("  source folder:", dict(sorted(folders.items())))
        if name == "answers":
            print("  topic:", dict(sorted(Counter(r.get("topic") for r in rows).items())))
            print(
                "  product_risk_level:",
                dict(sorted(Counter(str(r.get("product_risk_level")) for r in rows).items())),
            )
    used: Counter[str] = Counter()
    for rows in data.values():
        for r in rows:
            for t in r.get("turns", [r]):
                if isinstance(t.get("source"), str):
                    used[t["source"]] += 1
    unused = sorted(set(_docs) - set(used))
    print("documents never used as a source:", unused or "none")
    copies.sort(reverse=True)
    print("closest question/document matches:")
    for best, where, text, s in copies[: 8 if verbose else 3]:
        print(f"  {best:.2f} {where}: {text!r} ~ {s!r}")

    for w in warnings if verbose else []:
        print("WARN", w)
    if warnings and not verbose:
        print(f"{len(warnings)} warnings (-v to list)")
    for error in errors:
        print("ERROR", error)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
