"""The PII benchmark: `python -m evals.pii_bench [--data DIR] [--limit N]`.

Prints, in this order:

1. real sentences never trained on — CLUENER2020's held-out 15 % (``heldout``: a seeded hash
   of the text; ``evals.train_ner`` never trains on it): people's names masked (recall by
   entity: the whole name under some mask), street-level addresses masked (``is_street_level``
   below: a road, door, estate, building or village, not a region alone), and the share of
   sentences without any name that still get a PERSON mask;
2. the team's own set ``evals/datasets/pii.jsonl``: recall and precision per type, and whether
   business values (fund codes, amounts, dates, order numbers, hotlines) are kept;
3. obfuscated values (invisible characters, ideographic spaces, full-width and other Unicode
   digits) and Hong Kong, Macau, Taiwan and international phones: how many stay unmasked;
4. latency of ``Redactor.redact`` per message, p50 and p95, over the sentences above.

The measuring side is independent of the code it measures (its own folding, its own
street-level rule), so the same file also measures an older redactor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

from assistant.company import load_company_profile
from assistant.redaction import Redaction, Redactor
from assistant.redaction.recognizers import ALL_RECOGNIZERS, RecognizerClass
from assistant.redaction.recognizers.zh_ner import ZhNerRecognizer, ner_recognizer
from assistant.settings import RedactionSettings
from evals.common import load_dataset, percentile
from evals.suites import PII_HEADLINE, run_pii

ROOT = Path(__file__).resolve().parents[1]
SEED = "cluener-heldout-2026"
HELDOUT_PER_MILLE = 150
STREET_LEVEL = re.compile(
    r"大道|大街|路|街|巷|弄|胡同|\d+号|号院|号楼|[0-9一二三四五六七八九十A-Za-z]+(?:栋|幢|座|单元|层|室)"
    r"|小区|花园|公寓|家园|新村|大厦|社区|村|屯"
)
# A surname with a title (张女士, 吴先生): CLUENER's annotators never label it a name, but in a
# client's message it points at a person and is masked on purpose; reported apart.
TITLED = re.compile(r"^[\u4e00-\u9fff]{1,2}(?:先生|女士|小姐|太太|老师|经理|阿姨)$")
Row = dict[str, Any]


def data_file(explicit: str | None = None) -> Path:
    """CLUENER's train.json: ``--data``, ``FA_SHARED_DATA``, or ``../shared/data`` by the repo."""
    candidates = [explicit, os.environ.get("FA_SHARED_DATA")]
    candidates += [str(ROOT.parent / "shared/data"), str(ROOT.parents[1] / "shared/data")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "cluener2020/train.json").exists():
            return Path(candidate) / "cluener2020/train.json"
    raise FileNotFoundError("cluener2020/train.json not found: pass --data or set FA_SHARED_DATA")


def bucket(text: str, salt: str = SEED) -> int:
    """A stable 0–999 bucket of a sentence (duplicates share it)."""
    return int(hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()[:8], 16) % 1000


def is_heldout(text: str) -> bool:
    """The fixed held-out 15 % of CLUENER: never trained on, what this benchmark reports."""
    return bucket(text) < HELDOUT_PER_MILLE


def load_rows(path: Path) -> list[Row]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def gold_spans(row: Row, kind: str) -> list[tuple[int, int]]:
    """End-exclusive spans of one CLUENER entity kind (CLUENER's ends are inclusive)."""
    return [(s, e + 1) for spans in row["label"].get(kind, {}).values() for s, e in spans]


def is_street_level(address: str) -> bool:
    return STREET_LEVEL.search(address) is not None


def is_latin_only(name: str) -> bool:
    """A name written in Latin letters only (a handle, a Western name: Moon, JamesCameron)."""
    return name.isascii() and any(c.isalpha() for c in name)


def fold(text: str) -> str:
    """The measuring side's own folding: drop format characters, NFKC, ASCII digits."""
    kept = (c for c in text if unicodedata.category(c) != "Cf" and c != "\u00ad")
    folded = unicodedata.normalize("NFKC", "".join(kept))
    return "".join(str(unicodedata.decimal(c)) if c.isdigit() else c for c in folded)


def leaks(value: str, text: str) -> bool:
    """Whether ``value`` can still be read in ``text``, however it is spelled there."""
    return fold(value).replace(" ", "") in fold(text).replace(" ", "")


def _covered(span: tuple[int, int], masks: list[Redaction]) -> bool:
    start, end = span
    return all(any(m.start <= i < m.end for m in masks) for i in range(start, end))


def cluener_figures(redactor: Redactor, rows: list[Row]) -> dict[str, float]:
    names = names_hit = streets = streets_hit = no_name = false_person = false_untitled = 0
    latin = latin_hit = 0
    for row in rows:
        masks = redactor.find(row["text"])
        for span in gold_spans(row, "name"):
            names += 1
            names_hit += _covered(span, masks)
            if is_latin_only(row["text"][span[0] : span[1]]):
                latin += 1
                latin_hit += _covered(span, masks)
        for s, e in gold_spans(row, "address"):
            if is_street_level(row["text"][s:e]):
                streets += 1
                streets_hit += _covered((s, e), masks)
        if not gold_spans(row, "name"):
            no_name += 1
            people = [row["text"][m.start : m.end] for m in masks if m.entity_type == "PERSON"]
            false_person += bool(people)
            false_untitled += any(not TITLED.match(p) for p in people)
    return {
        "names": names,
        "names_masked": names_hit / max(names, 1),
        "latin_names": latin,
        "latin_names_masked": latin_hit / max(latin, 1),
        "streets": streets,
        "streets_masked": streets_hit / max(streets, 1),
        "no_name_sentences": no_name,
        "false_person_share": false_person / max(no_name, 1),
        "false_untitled_share": false_untitled / max(no_name, 1),
    }


_BUSINESS = re.compile(
    r"(?<!\d)\d{6}(?!\d)|\d+(?:\.\d+)?(?:元|万|份|%)|\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?"
    r"|(?:订单|流水|交易)号?[:：\s]*\d+|400-?\d{3}-?\d{4}|12378|95\d{3}"
)


def business_values_kept(redactor: Redactor, cases: list[Row]) -> tuple[int, int]:
    """(kept, total) of fund codes, amounts, dates, order numbers and hotlines that no gold
    entity covers."""
    kept = total = 0
    for case in cases:
        gold = [(e["start"], e["end"]) for e in case["entities"]]
        masks = redactor.find(case["text"])
        for m in _BUSINESS.finditer(case["text"]):
            if any(s < m.end() and m.start() < e for s, e in gold):
                continue
            total += 1
            kept += not any(r.start < m.end() and m.start() < r.end for r in masks)
    return kept, total


def _resident_id(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _luhn_completed(partial: str) -> str:
    def ok(n: str) -> bool:
        total = 0
        for i, ch in enumerate(reversed(n)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d // 10 + d % 10
        return total % 10 == 0

    return next(partial + d for d in "0123456789" if ok(partial + d))


_FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
_OBFUSCATIONS = {
    "zero-width space": lambda v: "\u200b".join(v[i : i + 3] for i in range(0, len(v), 3)),
    "zero-width joiner": lambda v: "\u200d".join(v[i : i + 4] for i in range(0, len(v), 4)),
    "word joiner": lambda v: "\u2060".join(v[i : i + 4] for i in range(0, len(v), 4)),
    "soft hyphen": lambda v: "\u00ad".join(v[i : i + 4] for i in range(0, len(v), 4)),
    "direction marks": lambda v: "\u200e".join(v[i : i + 4] for i in range(0, len(v), 4)),
    "byte order mark": lambda v: (
        "\ufeff" + "\ufeff".join(v[i : i + 5] for i in range(0, len(v), 5))
    ),
    "ideographic space": lambda v: "\u3000".join(v[i : i + 4] for i in range(0, len(v), 4)),
    "full-width": lambda v: v.translate(_FULL_WIDTH),
    "arabic-indic digits": lambda v: v.translate(
        str.maketrans({str(d): chr(0x0660 + d) for d in range(10)})
    ),
}
OBFUSCATED_VALUES = {
    "phone": ("我的手机是{}，麻烦回电", "13912345678"),
    "id": ("身份证号{}，请核对", _resident_id("44030519880214123")),
    "card": ("银行卡{}到账了吗", _luhn_completed("621226020001234567")),
    "email": ("邮箱 {} 收对账单", "li.ming88@163.com"),
}
FOREIGN_PHONES = (
    "我在香港，电话+852 6387 2914",
    "香港手机 (852) 9123-4567 请回电",
    "澳门号码+853 6612 3456",
    "澳门 00853 2856 1234",
    "台湾手机+886 912 345 678",
    "我的手机0912-345-678，台湾的",
    "UK number +44 20 7946 0958",
    "美国电话 +1 (415) 555-0132",
    "新加坡 0065 9123 4567",
    "call me on +61 412 345 678",
)


def obfuscated_texts() -> list[tuple[str, str, str]]:
    """(kind, text, value) for every value written in every obfuscated form."""
    out = []
    for kind, (template, value) in OBFUSCATED_VALUES.items():
        for name, obfuscate in _OBFUSCATIONS.items():
            if kind == "email" and "digits" in name:
                continue
            out.append((f"{kind} / {name}", template.format(obfuscate(value)), value))
    return out


def unmasked(redactor: Redactor) -> tuple[list[str], list[str], int, int]:
    """(obfuscated cases left readable, foreign phones left readable, counts of each)."""
    obfuscated = obfuscated_texts()
    bad_obfuscated = [k for k, text, v in obfuscated if leaks(v, redactor.redact(text).text)]
    bad_phones = []
    for text in FOREIGN_PHONES:
        masked = redactor.redact(text).text
        if sum(c.isdigit() for c in fold(masked)) >= 6:
            bad_phones.append(text)
    return bad_obfuscated, bad_phones, len(obfuscated), len(FOREIGN_PHONES)


def latency_ms(redactor: Redactor, texts: list[str]) -> tuple[float, float]:
    for text in texts[:20]:
        redactor.redact(text)  # warm-up
    times = []
    for text in texts:
        started = time.perf_counter()
        redactor.redact(text)
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 50), percentile(times, 95)


def public_names(redactor: Redactor, docs: Path = ROOT / "knowledge_docs") -> set[str]:
    """As the service does at startup: names the company's own documents publish (fund
    managers) stay readable. (An older redactor without the hook gets none.)"""
    if not hasattr(redactor, "allow_names"):
        return set()
    from assistant.redaction import lines_naming_public_roles

    texts = [p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))]
    names = redactor.names_in(lines_naming_public_roles(texts))
    redactor.allow_names(names)
    return names


def recognizers_with(ner: str | None) -> tuple[RecognizerClass, ...]:
    """The registry, with the NER recognizer over the named models (``crf+spacy``: both)."""
    if not ner:
        return ALL_RECOGNIZERS
    swapped = ner_recognizer(tuple(ner.split("+")))
    return tuple(
        swapped if isinstance(r, type) and issubclass(r, ZhNerRecognizer) else r
        for r in ALL_RECOGNIZERS
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/ (default ../shared/data)")
    parser.add_argument("--limit", type=int, help="only the first N held-out sentences")
    parser.add_argument(
        "--ner",
        help="the name/address models instead of the shipped one (combined: CRF and LAC by a"
        " regression): crf, lac, spacy, ensemble, e5, crf+spacy, crf+lac, combined+e5 (unions)",
    )
    args = parser.parse_args()
    company = load_company_profile(None, ROOT / "knowledge_docs")  # the team set's company
    redactor = Redactor(
        company.redaction_settings(RedactionSettings()), recognizers=recognizers_with(args.ner)
    )
    print(f"name and address models: {args.ner or 'shipped'}")
    public = public_names(redactor)
    print(f"public names from the live documents (allow_names): {len(public)}")
    heldout = [r for r in load_rows(data_file(args.data)) if is_heldout(r["text"])]
    heldout = heldout[: args.limit] if args.limit else heldout

    c = cluener_figures(redactor, heldout)
    print(f"CLUENER2020 held-out sentences (never trained on): {len(heldout)}")
    print(f"  person names masked        {c['names_masked']:.3f}  ({c['names']} names)")
    print(
        f"    of which Latin-only       {c['latin_names_masked']:.3f}"
        f"  ({c['latin_names']} names: handles, Western names)"
    )
    print(f"  street-level addresses     {c['streets_masked']:.3f}  ({c['streets']} addresses)")
    print(
        f"  false person masks         {c['false_person_share']:.3f}"
        f"  ({c['no_name_sentences']} sentences without a name)"
    )
    print(
        f"    of which not a surname + title (张女士)  {c['false_untitled_share']:.3f}"
        "  (CLUENER does not label those; masking them is intended)"
    )

    cases = load_dataset("pii.jsonl")
    pii = run_pii(redactor, cases).metrics
    print(f"team set evals/datasets/pii.jsonl: {len(cases)} messages")
    kinds = sorted({k.rsplit("_", 1)[0] for k in pii} - {"headline"})
    for kind in [*PII_HEADLINE, *(k for k in kinds if k not in PII_HEADLINE)]:
        if f"{kind}_recall" in pii:
            print(
                f"  {kind:<16} recall {pii[f'{kind}_recall']:.3f}"
                f"  precision {pii[f'{kind}_precision']:.3f}"
            )
    kept, total = business_values_kept(redactor, cases)
    print(f"  business values kept (codes, amounts, dates, orders, hotlines): {kept}/{total}")

    bad_obfuscated, bad_phones, n_obf, n_phones = unmasked(redactor)
    print(f"obfuscated values left readable: {len(bad_obfuscated)} of {n_obf}")
    for kind in bad_obfuscated:
        print(f"    {kind}")
    print(f"HK / Macau / TW / international phones left readable: {len(bad_phones)} of {n_phones}")

    texts = [c["text"] for c in cases] + [r["text"] for r in heldout[:400]]
    p50, p95 = latency_ms(redactor, texts)
    print(
        f"Redactor.redact latency per message: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(texts)} messages)"
    )


if __name__ == "__main__":
    main()


def obfuscated_cases(cases: list[Row], limit: int = 12) -> list[Row]:
    """Copies of labelled cases with each phone, ID, card and e-mail value rewritten in an
    obfuscated form (rotating through them), for the leak suite: the values stay the same,
    so a leak check on folded text catches any spelling of them."""
    out: list[Row] = []
    forms = list(_OBFUSCATIONS.items())
    kinds = ("PHONE_NUMBER", "CN_ID_CARD", "BANK_CARD", "EMAIL_ADDRESS")
    for case in cases:
        entities = [e for e in case["entities"] if e["type"] in kinds]
        if not entities or len(out) >= limit:
            continue
        name, obfuscate = forms[len(out) % len(forms)]
        if "digits" in name and any(e["type"] == "EMAIL_ADDRESS" for e in entities):
            name, obfuscate = forms[0]
        text = case["text"]
        for e in sorted(entities, key=lambda e: e["start"], reverse=True):
            text = text[: e["start"]] + obfuscate(e["value"]) + text[e["end"] :]
        out.append({**case, "id": f"{case['id']}-{name.replace(' ', '-')}", "text": text})
    return out
