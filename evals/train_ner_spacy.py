"""Train the spaCy alternative to the CRF: `python -m evals.train_ner_spacy [--write]`.

Same data and split as ``evals.train_ner`` (CLUENER2020's training split read from
``../shared/data``, its fixed 15 % held out and never trained on; of the rest, the hashed 10 %
development part is spaCy's dev corpus, which picks the best checkpoint). Training examples are
the 90 % fit part plus the same chat-like sentences the CRF gets. The config is
``assistant/redaction/models/zh_ner_spacy.cfg``; run it under ``nice -n 19`` with
``OMP_NUM_THREADS=1`` (about 20 minutes on a shared CPU). ``--write`` copies the best
checkpoint to ``assistant/redaction/models/zh_ner_spacy/``. Prints exact-span figures on the
held-out part, as the CRF trainer does.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path
from typing import Any

from spacy.cli.train import train as spacy_train
from spacy.tokens import DocBin
from spacy.tokens import Span as SpacySpan
from spacy.vocab import Vocab

from assistant.redaction.crf_ner import bio_spans
from assistant.redaction.spacy_ner import SPACY_MODEL_DIR, SpacyTagger, char_doc
from evals.pii_bench import bucket, data_file, load_rows
from evals.train_ner import (
    DEV_PER_MILLE,
    Example,
    Featurizer,
    chat_examples,
    entity_f1,
    examples,
    split,
)

CONFIG = SPACY_MODEL_DIR.parent / "zh_ner_spacy.cfg"


def doc_bin(data: list[Example], path: Path) -> None:
    """Character docs with their gold entities (BIO tags → spans), stored for spaCy."""
    vocab, docs = Vocab(), DocBin(store_user_data=False)
    for text, tags in data:
        doc = char_doc(vocab, text)
        doc.ents = [SpacySpan(doc, s, e, label=lab) for lab, s, e in bio_spans(tags)]
        docs.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(path)


def prepare(trainable: list[dict[str, Any]], work: Path) -> tuple[Path, Path]:
    dev = [r for r in trainable if bucket(r["text"], "dev") < DEV_PER_MILLE]
    fit = [r for r in trainable if bucket(r["text"], "dev") >= DEV_PER_MILLE]
    doc_bin(examples(fit) + chat_examples(fit), work / "train.spacy")
    doc_bin(examples(dev), work / "dev.spacy")
    print(f"spaCy corpora in {work}: {len(fit)} sentences + chat to train, {len(dev)} dev")
    return work / "train.spacy", work / "dev.spacy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/ (default ../shared/data)")
    parser.add_argument("--write", action="store_true", help="store the best model in the repo")
    parser.add_argument("--max-epochs", type=int, help="override [training] max_epochs")
    parser.add_argument(
        "--no-train", action="store_true", help="use the best checkpoint of an earlier run"
    )
    args = parser.parse_args()
    trainable, heldout = split(load_rows(data_file(args.data)))
    work = Path(os.environ.get("FA_CACHE", "/tmp")) / "zh_ner_spacy"
    if not args.no_train:
        train_path, dev_path = prepare(trainable, work)
        overrides: dict[str, Any] = {"paths.train": str(train_path), "paths.dev": str(dev_path)}
        if args.max_epochs:
            overrides["training.max_epochs"] = args.max_epochs
        spacy_train(CONFIG, work / "output", overrides=overrides)
    best = work / "output" / "model-best"
    scores = entity_f1(SpacyTagger(best), Featurizer(), examples(heldout))  # type: ignore[arg-type]
    print("held out (exact spans): " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()))
    if args.write:
        shutil.rmtree(SPACY_MODEL_DIR, ignore_errors=True)
        shutil.copytree(best, SPACY_MODEL_DIR)
        size = sum(p.stat().st_size for p in SPACY_MODEL_DIR.rglob("*") if p.is_file())
        print(f"wrote {SPACY_MODEL_DIR} ({size // 1024} KB)")


if __name__ == "__main__":
    main()
