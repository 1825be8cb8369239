"""The learned emotion reader, and how its verdict combines with the cue rules.

A calibrated classifier (`calibrated.py`) trained on real Weibo posts (SMP2020-EWECT: angry →
angry, fear → anxious, sad → negative, neutral / happy / surprise → neutral) and on the team's
own service messages (`python -m evals.train_emotion_model --write`) gives each message a
probability per label. A label other than neutral needs its probability at or above the file's
threshold for it (chosen by cross-validation so that calm and happy posts are rarely read as
angry or anxious); of the labels that pass, the most probable wins.

How it combines with the cues (`combine`). The cue lists were written for messages to a fund
company and are precise there, and wrong on everyday posts (on held-out Weibo posts, 18 % of calm
or happy ones read angry or anxious by cues). So:

- a message about something we serve (not out of scope): a strong cue verdict (angry or anxious
  at the rules' `strong` score) stands, as an override; otherwise the model's angry, anxious or
  negative reading stands (anger without cue words); otherwise the cue verdict (calm, or mild
  worry with a low score);
- an off-topic message (out of scope): the model's reading alone. It is reported, and the gate
  does not hand it off for emotion: an angry post about a football match gets the off-topic
  reply, not an agent (`confidence_gate.escalations`).
"""

from __future__ import annotations

from pathlib import Path

from assistant.understanding.calibrated import CalibratedLinear
from assistant.understanding.models import EmotionVerdict, Evidence
from assistant.vocabulary import EMOTION_LABELS, HANDOFF_EMOTIONS, EmotionLabel

# The labels a model must earn with a threshold; anything else reads neutral.
LABELS: tuple[EmotionLabel, ...] = tuple(e for e in EMOTION_LABELS if e != "neutral")


def decide(probabilities: dict[str, float], thresholds: dict[str, float]) -> tuple[str, float]:
    """The most probable of the labels that reach their threshold, else neutral."""
    passing = [label for label in LABELS if probabilities[label] >= thresholds.get(label, 0.5)]
    if not passing:
        return "neutral", probabilities["neutral"]
    best = max(passing, key=lambda label: probabilities[label])
    return best, probabilities[best]


class EmotionModel:
    def __init__(self, model: CalibratedLinear) -> None:
        self.model = model
        self.version = model.version

    @classmethod
    def load(cls, path: Path) -> EmotionModel:
        return cls(CalibratedLinear.load(path))

    def read(self, text: str) -> EmotionVerdict:
        """The model's verdict on normalised `text`."""
        label, score = decide(self.model.probability(text), self.model.thresholds)
        evidence = [Evidence(kind="model", text=self.version, weight=round(score, 3))]
        return EmotionVerdict(label=label, score=round(score, 3), evidence=evidence)  # type: ignore[arg-type]


def combine(
    cues: EmotionVerdict, model: EmotionVerdict, *, in_scope: bool, strong: float
) -> EmotionVerdict:
    """One verdict from the cue rules' and the model's (see the module docstring)."""
    if model.label == "neutral":
        return cues if in_scope else model
    both = [*cues.evidence, *model.evidence]
    if not in_scope:
        return model.model_copy(update={"evidence": both})
    if cues.label in HANDOFF_EMOTIONS and cues.score >= strong:
        return cues.model_copy(update={"evidence": both})
    return model.model_copy(update={"evidence": both})
