"""int8 query vectors' smoothing: `python -m evals.calibrate_query_encoder [--write]`.

Why: a turn embeds two to four texts as queries (the message, its standalone rewriting, the
question without a fund's name), ~8 ms each in float on one core. int8 runs them in a third of
that, but plain int8 moves a query vector to a cosine of 0.9975 with float, because a few input
channels of e5's matrices are 10-100 times larger than the rest and set each activation's 8-bit
scale. SmoothQuant (`assistant/encoder/onnx.py`) moves that range into the weights, which are
quantized per channel; it needs each channel's largest activation, measured here by the float
network on dev questions (the first company's retrieval set and kb2's, kb4's, kb6's and kb7's
questions; never kb3's or kb5's, which are held out): the first `--texts` after a seeded
shuffle. The rest judge it: the cosine of each one's int8 vector with its float vector, and the
time a vector takes, both printed and written into `assistant/encoder/query_int8.json` with the
maxima (`--write`).

Alphas (the share of a channel's range moved into the weights), chosen on the judging
questions in session 29: the feed-forward input's and attention's at 0.5 (SmoothQuant's
default), the feed-forward output's at 0.8 (its input is a GELU's, whose few large channels
0.5 leaves too large: cosine 0.9976 at 0.5 against 0.9993 at 0.8).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch

from assistant.encoder.model import load_encoder
from assistant.encoder.onnx import (
    ATTENTION_IN,
    FEED_FORWARD_IN,
    FEED_FORWARD_OUT,
    BorrowingSession,
    Smoothing,
    TokenStates,
    exported,
    input_maxima,
    quantized,
    word_vectors,
)
from assistant.encoder.sentence import QUERY_INT8_FILE, QUERY_PREFIX, pooled_vector

ROOT = Path(__file__).resolve().parent
DEV_QUESTIONS = [
    ROOT / "datasets" / "retrieval.jsonl",
    *(ROOT / kb / "questions.jsonl" for kb in ("kb2", "kb4", "kb6", "kb7")),
]
ALPHAS = ((FEED_FORWARD_IN, 0.5), (ATTENTION_IN, 0.5), (FEED_FORWARD_OUT, 0.8))
# The shuffle's seed, which picks the questions the maxima are read on. Session 29 tried 0 and 1:
# both agree with float alike (cosine 0.9995 on average, 0.9988 / 0.9990 at the least), and the
# dev answers either changes are near ties, moved in opposite directions (seed 0: 1 right fewer
# and 6 wrong more, seed 1: 13 right more and 6 wrong fewer of some 5,000; README, session 29).
# 1 is served: chosen on dev, so its gain there is the luck of rounding, not an estimate.
SEED = 1


def dev_questions() -> list[str]:
    texts = []
    for path in DEV_QUESTIONS:
        with path.open(encoding="utf-8") as lines:
            texts += [json.loads(line)["question"] for line in lines if line.strip()]
    random.Random(SEED).shuffle(texts)
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--texts", type=int, default=400, help="questions the maxima are read on")
    parser.add_argument("--write", action="store_true", help=f"write {QUERY_INT8_FILE.name}")
    args = parser.parse_args()
    torch.set_num_threads(1)
    encoder = load_encoder()
    states = TokenStates(encoder).eval()

    def vectors(text: str) -> np.ndarray:
        return word_vectors(encoder, encoder.tokenizer.encode(text, QUERY_PREFIX).ids)

    questions = dev_questions()
    fit, judge = questions[: args.texts], questions[args.texts :]
    smooth = [
        Smoothing(input_maxima(states, map(vectors, fit), where), alpha) for where, alpha in ALPHAS
    ]
    graph = exported(states, vectors(""))
    float_session, int8_session = (
        BorrowingSession(graph),
        BorrowingSession(quantized(graph, (), smooth)),
    )

    def pooled(session: BorrowingSession, text: str) -> np.ndarray:
        return pooled_vector(session.one, vectors(text))  # one thread, as the figures say

    cosines = np.array([pooled(float_session, t) @ pooled(int8_session, t) for t in judge])
    timing = {}
    for name, session in (("float", float_session), ("int8", int8_session)):
        start = time.perf_counter()
        for text in judge[:300]:
            pooled(session, text)
        timing[name] = round((time.perf_counter() - start) * 1000 / 300, 2)
    agreement = {
        "questions": len(judge),
        "mean": round(float(cosines.mean()), 5),
        "p1": round(float(np.percentile(cosines, 1)), 5),
        "min": round(float(cosines.min()), 5),
    }
    print(f"cosine with float over {len(judge)} questions: {agreement}")
    print(f"ms a query vector on one thread: {timing}")
    if args.write:
        sets = [path.parent.name for path in DEV_QUESTIONS]
        card = {
            "command": "python -m evals.calibrate_query_encoder --write",
            "maxima_from": f"{len(fit)} dev questions ({', '.join(sets)})",
            "agreement_with_float": agreement,
            "ms_a_query_one_thread": timing,
            "smoothing": [{"alpha": s.alpha, "maxima": s.maxima} for s in smooth],
        }
        QUERY_INT8_FILE.write_text(json.dumps(card, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {QUERY_INT8_FILE}")


if __name__ == "__main__":
    main()
