"""The emotion model's thresholds and figures, on cross-validated probabilities of the training
split (`evals/train_emotion_model.py` uses them; the held-out posts never reach them).

Thresholds maximise real anger read as angry or negative plus real fear read as anxious, with
calm or happy posts read as angry or anxious at most MAX_CALM_ALARMED, read as anything but
neutral at most MAX_CALM_NOT_NEUTRAL (without it "negative" would swallow a third of the calm
posts to count anger), and the team's calm messages read angry or anxious at most
MAX_TEAM_ALARMED. The grid runs from 0.1 to 0.9 per label, in steps of 0.05 (v2) or 0.025.
"""

from __future__ import annotations

import itertools

import numpy as np

from assistant.understanding.emotion_model import LABELS

STEP = 0.05  # v2's; 0.025 for the v3 candidate (see the model card)
MAX_CALM_ALARMED = 0.04
MAX_CALM_NOT_NEUTRAL = 0.10
MAX_TEAM_ALARMED = 0.03
# The search's own column order (LABELS follows the vocabulary's, which is another).
ORDER = ("angry", "anxious", "negative")


def read_labels(probabilities: np.ndarray, classes: list[str], t: dict[str, float]) -> np.ndarray:
    """`emotion_model.decide` on every row at once."""
    p = probabilities[:, [classes.index(label) for label in LABELS]]
    read = _read(p, np.array([t[label] for label in LABELS]))
    return np.array([*LABELS, "neutral"])[read]


def figures(
    probabilities: np.ndarray, classes: list[str], kinds: list[str], thresholds: dict[str, float]
) -> dict[str, float]:
    r = read_labels(probabilities, classes, thresholds)
    k = np.array(kinds)
    calm = np.isin(k, ["neutral", "happy"])

    def share(mask: np.ndarray, labels: tuple[str, ...]) -> float:
        return round(float(np.isin(r[mask], labels).mean()), 4)

    return {
        "anger_read_angry_or_negative": share(k == "angry", ("angry", "negative")),
        "fear_read_anxious": share(k == "fear", ("anxious",)),
        "sad_read_negative": share(k == "sad", ("negative",)),
        "calm_read_angry_or_anxious": share(calm, ("angry", "anxious")),
        "calm_read_not_neutral": share(calm, LABELS),
        "team_angry_read_angry": share(k == "team-angry", ("angry",)),
        "team_anxious_read_anxious": share(k == "team-anxious", ("anxious",)),
        "team_calm_read_angry_or_anxious": share(k == "team-neutral", ("angry", "anxious")),
    }


def grid(step: float) -> tuple[float, ...]:
    return tuple(round(step * i, 3) for i in range(round(0.1 / step), round(0.9 / step) + 1))


def thresholds_for(
    probabilities: np.ndarray,
    classes: list[str],
    kinds: list[str],
    step: float = STEP,
    fear_weight: float = 1.0,
) -> tuple[dict[str, float], dict[str, float]]:
    """The thresholds with the most anger and fear read within the calm limits, and figures."""
    p = probabilities[:, [classes.index(label) for label in ORDER]]
    k = np.array(kinds)
    rows = {
        name: p[mask]
        for name, mask in {
            "calm": np.isin(k, ["neutral", "happy"]),
            "team": k == "team-neutral",
            "angry": k == "angry",
            "fear": k == "fear",
        }.items()
    }
    chosen: dict[str, float] | None = None
    score = -1.0
    for t in itertools.product(*[grid(step)] * 3):
        read = {name: _read(q, np.array(t)) for name, q in rows.items()}
        alarmed = np.isin(read["calm"], (0, 1)).mean()
        if (
            alarmed > MAX_CALM_ALARMED
            or (read["calm"] < 3).mean() > MAX_CALM_NOT_NEUTRAL
            or np.isin(read["team"], (0, 1)).mean() > MAX_TEAM_ALARMED
        ):
            continue
        value = np.isin(read["angry"], (0, 2)).mean() + fear_weight * (read["fear"] == 1).mean()
        if value > score:
            chosen, score = dict(zip(ORDER, t, strict=True)), float(value)
    assert chosen is not None, "no thresholds keep the calm limits"
    return chosen, figures(probabilities, classes, kinds, chosen)


def _read(p: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Each row's label as an index: the column of the most probable label at its threshold
    (columns in the caller's order: ORDER in the search), else len(t), neutral."""
    passing = p >= t
    best = np.where(passing, p, -1.0).argmax(axis=1)
    return np.where(passing.any(axis=1), best, len(t))
