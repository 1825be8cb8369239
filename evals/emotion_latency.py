"""What the emotion read costs a turn: `python -m evals.emotion_latency [--n 200]`.

Each emotion model file in prompts/understanding (v2, v5) reads the team's dev routing messages
with their e5 vectors, one message at a time on the caller's thread, as the understand step
does; prints load time and p50 / p95 per read. A timing benchmark: run it un-niced under
`flock /work/wt/quiet.lock` on the shared machine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from assistant.index.embeddings import E5_SMALL, load_embedder
from assistant.prompts import PROMPTS_DIR
from assistant.understanding.emotion_model import EmotionModel
from evals.realtext_data import team_routing
from evals.realtext_train import reading

FILES = ("emotion_model.v2.json", "emotion_model.v5.json")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="messages to read")
    args = parser.parse_args()
    embedder = load_embedder(E5_SMALL)
    texts = [r.text for r in team_routing() if r.source == "routing"][: args.n]
    vectors = [embedder.get_query_embedding(t) for t in texts]
    for name in FILES:
        started = time.perf_counter()
        model = EmotionModel.load(PROMPTS_DIR / "understanding" / name, embedder.model_name)
        loaded = time.perf_counter() - started
        for t, v in zip(texts[:20], vectors[:20], strict=True):  # warm-up
            model.read(reading(t), v)
        times = []
        for t, v in zip(texts, vectors, strict=True):
            s = time.perf_counter()
            model.read(reading(t), v)
            times.append((time.perf_counter() - s) * 1000)
        print(
            f"{name}: load {loaded:.1f} s; read p50 {np.percentile(times, 50):.2f} ms, "
            f"p95 {np.percentile(times, 95):.2f} ms over {len(times)} messages"
        )


if __name__ == "__main__":
    main()
