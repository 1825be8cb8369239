"""Choose how the e5 tagger is used, on the development part only: `python -m evals.train_ner_e5_dev`.

The development part is ``evals.train_ner``'s hashed 10 % of CLUENER's training split: the e5
tagger (``evals.train_ner_e5``) never trained on it; the held-out 15 % is never read here.
Every configuration is the whole redactor (rules included), measured as ``evals.pii_bench``
measures: names wholly masked, street-level addresses wholly masked, sentences without a name
given a person mask, sentences given an address mask that touches no gold address, and the
team set. Caveat: the shipped CRFs were trained on these sentences too (the regression read
them out of fold), so the dev figures of the configurations that use them are optimistic.

``--write`` stores the chosen thresholds and the model file's SHA-256 in the card.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from assistant.company import load_company_profile
from assistant.redaction import Redactor
from assistant.redaction.e5_ner import CARD_FILE, INT8_KEEP_FLOAT, MODEL_FILE, load_tagger
from assistant.redaction.nlp_engine import OfflineNlpEngine
from assistant.redaction.recognizers.zh_ner import MODELS, Tagger
from assistant.settings import RedactionSettings
from evals.common import load_dataset
from evals.pii_bench import (
    ROOT,
    cluener_figures,
    data_file,
    gold_spans,
    latency_ms,
    public_names,
    recognizers_with,
)
from evals.suites import run_pii
from evals.train_ner_e5 import split

FALSE_PERSON_LIMIT = 0.028  # the combiner's operating point: ≤ 3 % with a margin
Row = dict[str, Any]


def stray_addresses(redactor: Redactor, rows: list[Row]) -> float:
    """Share of sentences given an address mask that overlaps no gold address."""
    stray = 0
    for row in rows:
        gold = gold_spans(row, "address")
        stray += any(
            not any(m.start < e and s < m.end for s, e in gold)
            for m in redactor.find(row["text"])
            if m.entity_type == "ADDRESS"
        )
    return stray / max(len(rows), 1)


def measure(
    uses: str, rows: list[Row], engine: OfflineNlpEngine, timing: bool = False
) -> dict[str, float]:
    company = load_company_profile(None, ROOT / "knowledge_docs")
    redactor = Redactor(
        company.redaction_settings(RedactionSettings()),
        recognizers=recognizers_with(uses),
        nlp_engine=engine,
    )
    public_names(redactor)
    figures = cluener_figures(redactor, rows)
    figures["stray_address_share"] = stray_addresses(redactor, rows)
    cases = load_dataset("pii.jsonl")
    pii = run_pii(redactor, cases).metrics
    figures["team_person_recall"] = pii.get("PERSON_recall", 1.0)
    figures["team_person_precision"] = pii.get("PERSON_precision", 1.0)
    figures["team_address_recall"] = pii.get("ADDRESS_recall", 1.0)
    figures["team_address_precision"] = pii.get("ADDRESS_precision", 1.0)
    if timing:
        p50, p95 = latency_ms(
            redactor, [c["text"] for c in cases] + [r["text"] for r in rows[:400]]
        )
        figures["p50_ms"], figures["p95_ms"] = p50, p95
    return figures


def line(label: str, f: dict[str, float]) -> str:
    cells = [
        f"{f['names_masked']:.3f}",
        f"{f['streets_masked']:.3f}",
        f"{f['false_person_share']:.3f} ({f['false_untitled_share']:.3f})",
        f"{f['stray_address_share']:.3f}",
        f"{f['team_person_recall']:.3f}/{f['team_person_precision']:.3f}",
        f"{f['team_address_recall']:.3f}/{f['team_address_precision']:.3f}",
    ]
    if "p95_ms" in f:
        cells.append(f"{f['p50_ms']:.1f}/{f['p95_ms']:.1f}")
    return f"| {label} | " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data")
    parser.add_argument("--model", type=Path, default=MODEL_FILE)
    parser.add_argument("--uses", default="e5,combined+e5", help="configurations, comma-separated")
    parser.add_argument("--name", default="0.3,0.4,0.5,0.6,0.7,0.8", help="name thresholds")
    parser.add_argument("--address", default="0.5", help="address thresholds")
    parser.add_argument("--baseline", action="store_true", help="also the shipped recognizer")
    parser.add_argument(
        "--int8", action="store_true", help="int8 weights but INT8_KEEP_FLOAT (e5_ner.py)"
    )
    parser.add_argument("--write", action="store_true", help="store --name/--address in the card")
    args = parser.parse_args()
    _, dev = split(data_file(args.data))
    engine = OfflineNlpEngine()
    engine.load()
    print(f"development part: {len(dev)} sentences")
    print(
        "| configuration | names | streets | false person (untitled) | stray addresses | team PERSON R/P | team ADDRESS R/P |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    if args.baseline:
        print(
            line("shipped (CRFs + LAC by the regression)", measure("combined", dev, engine)),
            flush=True,
        )
    for name in map(float, args.name.split(",")):
        for address in map(float, args.address.split(",")):
            keep = INT8_KEEP_FLOAT if args.int8 else None
            tagger = load_tagger(args.model, {"name": name, "address": address}, keep)
            MODELS["e5"] = functools.partial(_same, tagger)
            for uses in args.uses.split(","):
                figures = measure(uses, dev, engine)
                print(line(f"{uses}, name ≥ {name}, address ≥ {address}", figures), flush=True)
    if args.write:
        write_card(args.model, float(args.name), float(args.address), args.int8)


def write_card(model: Path, name: float, address: float, int8: bool) -> None:
    from safetensors import safe_open

    with safe_open(str(model), framework="pt") as stored:
        card = json.loads(stored.metadata()["card"])
    card |= {
        "trained": dt.date.today().isoformat(),
        "thresholds": {"name": name, "address": address},
        **({"int8_keep_float": list(INT8_KEEP_FLOAT)} if int8 else {}),
        "sha256": hashlib.sha256(model.read_bytes()).hexdigest(),
    }
    CARD_FILE.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {CARD_FILE}")


def _same(tagger: Tagger) -> Tagger:
    """The tagger, for the registry's factory slot."""
    return tagger


if __name__ == "__main__":
    main()
