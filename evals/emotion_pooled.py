"""The emotion stack and its thresholds chosen on every training row, out of fold, and the
reader retrained on all of them: `python -m evals.emotion_pooled [--write --name v6]`.

Why: v5's stack and thresholds were fitted on the 1,557 dev rows alone (fold 0 of the grouped
5-fold split: 104 fear posts decide the fear threshold) and its reader never saw those rows.
Here the fine-tuned reader is read out of fold on all 7,784 rows (fold 0 by v5's own file, folds
1-4 by runs of the same setting with that fold left out), so the stack is fitted on five times
the rows and the thresholds are chosen on five times the fear posts; the served reader is then
trained on every row, at the epoch the folds chose. The held-out Weibo posts are never read.

    FA_REALTEXT_CACHE=DIR python -m evals.train_emotion_model          # v2's readers out of fold
    FA_REALTEXT_CACHE=DIR python -m evals.train_emotion_encoder --fold K    # K = 1, 2, 3, 4
    FA_REALTEXT_CACHE=DIR python -m evals.train_emotion_encoder --all-rows E
    FA_REALTEXT_CACHE=DIR python -m evals.emotion_pooled [--write --name v6]

Printed first, like for like with v5 on fold 0's rows (thresholds chosen without those rows):
v5 as served (stack within dev, C = 0.1, nested as in `emotion_stack_variants`), then the pooled
stack; then the pooled stack's figures over all rows, thresholds chosen on the other folds.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from assistant.encoder import load_encoder
from assistant.encoder.finetuned import save_finetuned
from evals.emotion_encoder_stack import (
    ENCODER_STACK_C,
    READER_PROVENANCE,
    log_loss,
    within_dev,
    write_model,
)
from evals.emotion_stack_variants import SERVED_RUN, nested, reader_dev
from evals.emotion_thresholds import figures, thresholds_for
from evals.realtext_data import CACHE
from evals.realtext_train import digest
from evals.train_emotion_encoder import DEPTH, OUT_DIR, Head  # noqa: F401 (unpickling runs)
from evals.train_emotion_model import FOLDS, TEXT_C, VECTOR_C, rows, stack_features

# Head is imported because the trainer pickles its runs from its __main__, where the unpickler
# looks for the class.
V5_FILE = "emotion_encoder.v5.safetensors"  # the fold-0 reader: trained on folds 1-4
STACK_CS = (0.1, 0.3, 1.0, 3.0)


def pooled_reader(texts: list[str], folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The fine-tuned reader's log-probabilities of every row, each by a reader that did not
    train on it."""
    out = np.zeros((len(texts), 4))
    for k, (_, held) in enumerate(folds):
        if k == 0:
            out[held] = reader_dev(f"file:{V5_FILE}", texts, held)
        else:
            out[held] = np.load(CACHE / f"emotion-encoder-dev-{SERVED_RUN}-f{k}.npy")
    return out


def on_fold(
    p: np.ndarray, y: np.ndarray, kinds: np.ndarray, classes: list[str], held: np.ndarray
) -> dict[str, float]:
    """Figures on one fold's rows at thresholds chosen on every other row."""
    rest = np.setdiff1d(np.arange(len(y)), held)
    chosen, _ = thresholds_for(p[rest], classes, list(kinds[rest]))
    return figures(p[held], classes, list(kinds[held]), chosen)


def line(name: str, found: dict[str, float]) -> str:
    return (
        f"{name:<58} anger {found['anger_read_angry_or_negative']:.3f} fear "
        f"{found['fear_read_anxious']:.3f} calm {found['calm_read_angry_or_anxious']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help="store the reader and the model")
    parser.add_argument("--name", default="v6", help="the files' version")
    parser.add_argument(
        "--epoch", type=int, default=0, help="the all-rows run's epoch (default: the folds' choice)"
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    texts, _, labels, kinds_list, groups = rows()
    classes = sorted(set(labels))
    y = np.array([classes.index(v) for v in labels])
    kinds = np.array(kinds_list)
    key = digest(texts, labels)
    folds = list(StratifiedGroupKFold(FOLDS, shuffle=True, random_state=0).split(texts, y, groups))
    parts = np.load(CACHE / f"emotion-oof-{key}-{TEXT_C}-{VECTOR_C}.npy")
    reader = pooled_reader(texts, folds)
    features = np.hstack([stack_features(parts[:, :4], parts[:, 4:]), reader])
    dev = folds[0][1]

    # v5 as served: its stack fitted within fold 0's rows; figures nested within them.
    v5 = within_dev(features[dev], y[dev], list(np.array(groups)[dev]), ENCODER_STACK_C)
    anger, fear, calm = nested(v5, y[dev], kinds[dev], np.array(groups)[dev], classes)
    print(
        f"{'v5 as served (fold 0, stack within it, nested)':<58} log-loss {log_loss(v5, y[dev]):.4f} | anger {anger:.3f} fear {fear:.3f} calm {calm:.3f}"
    )

    losses = {c: log_loss(within_dev(features, y, groups, c), y) for c in STACK_CS}
    c = min(losses, key=lambda k: losses[k])
    print(
        "pooled stack C by out-of-fold log-loss:",
        {k: round(v, 4) for k, v in losses.items()},
        "->",
        c,
    )
    pooled = within_dev(features, y, groups, c)
    print(
        line(
            f"pooled stack on fold 0 (log-loss {log_loss(pooled[dev], y[dev]):.4f})",
            on_fold(pooled, y, kinds, classes, dev),
        )
    )
    per_fold = [on_fold(pooled, y, kinds, classes, held) for _, held in folds]
    mean = {k: float(np.mean([f[k] for f in per_fold])) for k in per_fold[0]}
    print(line(f"pooled stack, every fold (log-loss {log_loss(pooled, y):.4f})", mean))
    chosen, found = thresholds_for(pooled, classes, list(kinds))
    print(line("pooled stack, all rows at the written thresholds", found), chosen)
    best = [
        int(
            np.argmin(
                torch.load(
                    CACHE / f"emotion-encoder-run-{key}-{SERVED_RUN}-f{k}.pt", weights_only=False
                )[3]
            )
        )
        + 1
        for k in range(1, FOLDS)
    ]
    epoch = args.epoch or Counter([3, *best]).most_common(1)[0][0]  # v5 (fold 0) chose epoch 3
    print(
        f"best epochs: fold 0 3 (v5), folds 1-4 {best} -> the all-rows reader keeps epoch {epoch}"
    )
    if not args.write:
        return
    head, state, _, _ = torch.load(
        CACHE / f"emotion-encoder-run-{key}-{SERVED_RUN}-all{epoch}.pt", weights_only=False
    )
    encoder = load_encoder(DEPTH)
    encoder.model.load_state_dict(state, strict=False)
    stamp = time.strftime("%Y.%m.%d")
    reader_path = OUT_DIR / f"emotion_encoder.{args.name}.safetensors"
    reader_version = f"emotion-encoder-{args.name}-{stamp}-{key}"
    card = {
        "version": reader_version,
        "classes": classes,
        **READER_PROVENANCE,
        "command": f"python -m evals.train_emotion_encoder --all-rows {epoch}, then "
        f"python -m evals.emotion_pooled --write --name {args.name}",
        "layers": DEPTH,
        "trained_layers": 3,
        "epochs": epoch,
        "rows": len(y),
    }
    save_finetuned(encoder, head.out, reader_path, card)
    from assistant.understanding.emotion_encoder import EmotionEncoder

    stored = EmotionEncoder(reader_path)
    sample = folds[0][1][:300]
    trained_on = log_loss(np.exp(stored.log_probabilities([texts[i] for i in sample])), y[sample])
    print(
        f"the stored reader on 300 of its training rows: log-loss {trained_on:.4f} (out of fold {log_loss(np.exp(reader[sample]), y[sample]):.4f})"
    )
    stack = LogisticRegression(C=c, max_iter=3000).fit(features, y)
    written = {f"oof_{k}": v for k, v in found.items()}
    written |= {"stack_C": c, "rows": float(len(y))}
    version = f"emotion-model-e5ft-{args.name}-{stamp}-{key}"
    write_model(
        OUT_DIR / f"emotion_model.{args.name}.json",
        reader_path,
        version,
        reader_version,
        stack,
        chosen,
        written,
    )


if __name__ == "__main__":
    main()
