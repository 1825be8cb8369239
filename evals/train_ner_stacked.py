"""Train the stacked CRF (LAC's reading as features): `python -m evals.train_ner_stacked [--write]`.

The shipped combination (``assistant/redaction/name_combiner.py``) reads two CRFs beside LAC:
the CRF of ``evals.train_ner`` and this one, whose characters also carry LAC's tag, its
position in LAC's word and LAC's neighbouring words and tags (``crf_ner.char_features`` with
``lac``), and which learns every CLUENER entity kind (organisations, companies, games,
positions…) rather than names and addresses against "everything else": a football club or a
game character is then something the model can name, and its probability of being an
organisation or a game is evidence the regression reads. Same data, split and regularisation
as ``evals.train_ner`` (CLUENER2020's training split, the held-out 15 % never read here: the
held-out figure is ``evals.pii_bench``'s); about 20 minutes on a shared CPU at nice 19.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from assistant.redaction.crf_ner import STACKED_FILE, STACKED_META_FILE
from evals.pii_bench import data_file, gold_spans
from evals.train_ner import (
    Example,
    Featurizer,
    chat_examples,
    load_rows,
    split,
    tags_for,
    train,
)

ALL_KINDS = {
    "name": "PER",
    "address": "ADDR",
    "organization": "ORG",
    "company": "COM",
    "government": "GOV",
    "position": "POS",
    "book": "BOOK",
    "game": "GAME",
    "movie": "MOV",
    "scene": "SCN",
}
C1, C2 = 0.05, 0.01  # evals.train_ner's choice, not re-tuned


def stacked_examples(rows: list[dict[str, Any]]) -> list[Example]:
    """Every CLUENER entity kind as its own label, plus the chat-like name/address sentences."""
    labelled = [
        tags_for(
            r["text"], [(lab, s, e) for k, lab in ALL_KINDS.items() for s, e in gold_spans(r, k)]
        )
        for r in rows
    ]
    return labelled + chat_examples(rows)


def train_stacked(rows: list[dict[str, Any]], target: Path) -> float:
    """Train on ``rows`` (LAC run on every sentence); the seconds it took."""
    return train(stacked_examples(rows), Featurizer(lac=True), target, C1, C2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/ (default ../shared/data)")
    parser.add_argument("--write", action="store_true", help="store the model in models/")
    args = parser.parse_args()
    trainable, heldout = split(load_rows(data_file(args.data)))
    target = STACKED_FILE if args.write else Path("/tmp/zh_ner_stacked.crfsuite")
    seconds = train_stacked(trainable, target)
    print(f"trained in {seconds:.0f}s on {len(trainable)} sentences + chat ({target})")
    if args.write:
        card = {
            "source": "CLUENER2020 train split, hemingkx/CLUENER2020 @ 4bfd0b5, BERT-CRF/data/clue/train.json",
            "licence": "the data set is published without a licence",
            "command": "python -m evals.train_ner_stacked --write",
            "trained": dt.date.today().isoformat(),
            "c1": C1,
            "c2": C2,
            "labels": sorted(ALL_KINDS.values()),
            "features": "crf_ner.char_features with LAC's words (LAC==2.1.2)",
            "sentences_trained": len(trainable),
            "sentences_held_out_never_read": len(heldout),
            "sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        }
        STACKED_META_FILE.write_text(
            json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"wrote {target} ({target.stat().st_size // 1024} KB) and {STACKED_META_FILE.name}")


if __name__ == "__main__":
    main()
