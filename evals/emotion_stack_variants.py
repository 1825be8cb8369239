"""Dev-split comparison of what the emotion stack could read beside v5's three readers:
`python -m evals.emotion_stack_variants [--runs TAG ...]` (session 12; figures in the model card).

Everything here is read on the dev rows only (fold 0 of the grouped 5-fold split, as in
`evals/train_emotion_encoder.py`); the held-out Weibo posts are never read. Each variant's stack
is fitted by grouped 5-fold within the dev rows (C = 0.1, as served), and is read three ways:
log-loss (needs no threshold), the figures at thresholds chosen on the same predictions (which
flatters every variant alike), and nested (thresholds chosen on four fifths of the dev rows,
read on the fifth, averaged over three fold seeds): the honest one.

The inputs, all cached under $FA_REALTEXT_CACHE by the trainers:
- v2's text and vector readers, out of fold (`python -m evals.train_emotion_model`);
- the words reader, out of fold (`python -m evals.train_emotion_model --words`);
- fine-tuned readers' dev readings, one per run tag (`python -m evals.train_emotion_encoder`,
  e.g. `--seed 11`, `--six`); the first tag is the served reader's. A tag `file:NAME` reads
  the dev rows with a stored reader (`prompts/understanding/NAME`, trained on the other 80 %)
  instead of a cached run: `file:emotion_encoder.v5.safetensors` is v5 as served;
- the cue rules' scores (angry, anxious, negative, with the !!! emphasis; computed here).
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from assistant.prompts import PROMPTS_DIR
from evals.emotion_encoder_stack import ENCODER_STACK_C, as_ours, log_loss, within_dev
from evals.emotion_thresholds import read_labels, thresholds_for
from evals.realtext_data import CACHE
from evals.realtext_train import digest
from evals.train_emotion_model import FOLDS, TEXT_C, VECTOR_C, WORD_FEATURES, WORDS_C, rows
from evals.train_emotion_model import cached as cached_array

SERVED_RUN = "6-3-4-0.00015-0.0015-0.0"  # v5's reader
NESTED_SEEDS = (1, 2, 3)


def log(p: np.ndarray) -> np.ndarray:
    return np.log(np.clip(p, 1e-9, 1))


def cue_scores(texts: list[str], raw: list[str]) -> np.ndarray:
    """Each text's cue-rule scores for angry, anxious and negative (the emotion reader's own
    arithmetic, the complaint signal aside)."""
    from assistant.understanding.emotion import EmotionReader
    from assistant.understanding.rules import load_rulebook

    reader = EmotionReader(load_rulebook(PROMPTS_DIR / "understanding").emotion)
    out = []
    for text, original in zip(texts, raw, strict=True):
        scored = {label: cues.score(text) for label, cues in reader.sets.items()}
        reader._add_emphasis(scored, text, original)
        out.append([scored[label].score for label in ("angry", "anxious", "negative")])
    return np.array(out)


def reader_dev(tag: str, texts: list[str], dev: np.ndarray) -> np.ndarray:
    """A reader's log-probabilities of the dev rows: a cached run's, or a stored file's."""
    if not tag.startswith("file:"):
        return np.load(CACHE / f"emotion-encoder-dev-{tag}.npy")
    from assistant.understanding.emotion_encoder import EmotionEncoder

    name = tag.removeprefix("file:")
    reader = EmotionEncoder(PROMPTS_DIR / "understanding" / name)
    return cached_array(
        f"emotion-encoder-dev-{name}-{reader.version}",
        lambda: reader.log_probabilities([texts[i] for i in dev]),
    )


def nested(
    p: np.ndarray, y: np.ndarray, kinds: np.ndarray, groups: np.ndarray, classes: list[str]
) -> np.ndarray:
    """Anger, fear and calm-alarmed read at thresholds chosen on the other dev folds."""
    calm = np.isin(kinds, ["neutral", "happy"])
    out = []
    for seed in NESTED_SEEDS:
        reads = np.empty(len(y), dtype=object)
        splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=seed)
        for fit, held in splitter.split(p, y, groups):
            chosen, _ = thresholds_for(p[fit], classes, list(kinds[fit]))
            reads[held] = read_labels(p[held], classes, chosen)
        out.append(
            (
                np.isin(reads[kinds == "angry"], ["angry", "negative"]).mean(),
                (reads[kinds == "fear"] == "anxious").mean(),
                np.isin(reads[calm], ["angry", "anxious"]).mean(),
            )
        )
    return np.mean(out, axis=0)


def report(
    name: str,
    p: np.ndarray,
    y: np.ndarray,
    kinds: np.ndarray,
    groups: np.ndarray,
    classes: list[str],
) -> None:
    loss = log_loss(p, y)
    _, found = thresholds_for(p, classes, list(kinds))
    anger, fear, calm = nested(p, y, kinds, groups, classes)
    print(
        f"{name:<46} log-loss {loss:.4f} | own thresholds: anger "
        f"{found['anger_read_angry_or_negative']:.3f} fear {found['fear_read_anxious']:.3f} "
        f"calm {found['calm_read_angry_or_anxious']:.3f} | nested: anger {anger:.3f} "
        f"fear {fear:.3f} calm {calm:.3f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", nargs="+", default=[SERVED_RUN], help="reader run tags")
    args = parser.parse_args()
    texts, raw, labels, kinds, groups = rows()
    classes = sorted(set(labels))
    y = np.array([classes.index(v) for v in labels])
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=0)
    dev = next(iter(splitter.split(texts, y, groups)))[1]
    key = digest(texts, labels)
    v2 = np.load(CACHE / f"emotion-oof-{key}-{TEXT_C}-{VECTOR_C}.npy")[dev]
    words_path = CACHE / f"emotion-oof3-{key}-{TEXT_C}-{WORDS_C}-{WORD_FEATURES}-{VECTOR_C}.npy"
    cues = cached_array(f"emotion-cues-{key}", lambda: cue_scores(texts, raw))[dev]
    readers = [log(as_ours(reader_dev(t, texts, dev))) for t in args.runs]
    dy, dk, dg = y[dev], np.array(kinds)[dev], np.array(groups)[dev]
    base = np.hstack([log(v2), readers[0]])
    variants = {"v5: text, vector, reader": base, "+ cue scores": np.hstack([base, cues])}
    if words_path.exists():  # the words reader's readings, if its trainer has cached them
        words = log(np.load(words_path)[dev, 4:8])
        variants["+ words reader"] = np.hstack([base, words])
        variants["+ words reader + cue scores"] = np.hstack([base, words, cues])
    for tag, reader in zip(args.runs[1:], readers[1:], strict=True):
        variants[f"run {tag} instead"] = np.hstack([log(v2), reader])
        mean = log((np.exp(readers[0]) + np.exp(reader)) / 2)
        variants[f"mean of the first and {tag}"] = np.hstack([log(v2), mean])
    for name, features in variants.items():
        report(name, within_dev(features, dy, list(dg), ENCODER_STACK_C), dy, dk, dg, classes)


if __name__ == "__main__":
    main()
