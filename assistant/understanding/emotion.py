"""The emotion verdict: angry, anxious, negative or neutral, with a strength.

Each label has its own cue set. Shouting (!!!, capitals) carries no feeling of its own: it
strengthens whichever of angry or anxious the words lean to, so "急!!!" reads anxious and
"转人工!!!" angry. A grievance is dissatisfaction, so the complaint score also feeds
`negative`. Mild worry ("有点担心", "正常吗") stays anxious with a low score, which the gate
answers; only strong distress crosses 0.5.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.understanding.cues import CueSet, Scored, noisy_or
from assistant.understanding.emotion_model import EmotionModel, combine
from assistant.understanding.models import EmotionLabel, EmotionVerdict, Evidence
from assistant.understanding.rules import EmotionSpec, ShoutingSpec

_LATIN_WORD = re.compile(r"[A-Za-z]+")

# On equal scores the label that needs a human more wins.
PRIORITY: tuple[EmotionLabel, ...] = ("angry", "anxious", "negative")


def shouting(original: str, spec: ShoutingSpec) -> Evidence | None:
    """Evidence of words in capitals ("GET ME A REAL PERSON", "NOW"), acronyms aside."""
    acronyms = {a.upper() for a in spec.acronyms}
    words = [
        w
        for w in _LATIN_WORD.findall(original)
        if len(w) >= 2 and w.isupper() and w not in acronyms
    ]
    letters = sum(len(w) for w in words)
    if letters >= spec.min_letters:
        weight = spec.weight
    elif any(len(w) >= spec.word_letters for w in words):
        weight = spec.word_weight
    else:
        return None
    return Evidence(kind="pattern", text=" ".join(words)[:60], weight=weight)


def _label(scored: dict[str, Scored], strong: float) -> EmotionLabel:
    """The first of angry, anxious, negative that is strong; else the highest score.

    Anger with "!!!" can score a little below the dissatisfaction around it; the stronger
    reading is the one a human must see.
    """
    for name in PRIORITY:
        if scored[name].score >= strong:
            return name
    return max(PRIORITY, key=lambda name: (scored[name].score, -PRIORITY.index(name)))


class EmotionReader:
    def __init__(self, spec: EmotionSpec, model: EmotionModel | None = None) -> None:
        self.spec = spec
        self.model = model
        self.sets = {
            "angry": CueSet.from_spec(spec.angry),
            "anxious": CueSet.from_spec(spec.anxious),
            "negative": CueSet.from_spec(spec.negative),
        }
        self.emphasis = CueSet.from_spec(spec.emphasis)

    def read(
        self,
        text: str,
        original: str,
        complaint_score: float,
        *,
        in_scope: bool = True,
        vector: Sequence[float] | None = None,
    ) -> EmotionVerdict:
        """The verdict on normalised `text` (`original` keeps its capitals; `vector` is its e5
        vector, if the understand step has one): the cues' and, if there is one, the learned
        model's, combined as `emotion_model.combine` says."""
        cues = self.read_cues(text, original, complaint_score)
        if self.model is None:
            return cues
        learned = self.model.read(text, vector)
        return combine(cues, learned, in_scope=in_scope, strong=self.spec.strong)

    def read_cues(self, text: str, original: str, complaint_score: float) -> EmotionVerdict:
        """The strongest label by the cue rules alone."""
        scored: dict[str, Scored] = {label: cues.score(text) for label, cues in self.sets.items()}
        self._add_emphasis(scored, text, original)
        derived = round(complaint_score * self.spec.negative_from_complaint, 3)
        if derived > scored["negative"].score:
            scored["negative"].score = derived
            scored["negative"].evidence.append(
                Evidence(kind="pattern", text="complaint", weight=derived)
            )
        label = _label(scored, self.spec.strong)
        best = scored[label]
        if best.score < self.spec.min_score:
            return EmotionVerdict(label="neutral", score=round(1 - best.score, 3))
        live = [e for e in best.evidence if e.weight > 0]
        return EmotionVerdict(label=label, score=best.score, evidence=live)

    def _add_emphasis(self, scored: dict[str, Scored], text: str, original: str) -> None:
        """Give !!!/??? and capitals to anxious if the words lean anxious, else to angry."""
        emphasis = self.emphasis.score(text).evidence
        caps = shouting(original, self.spec.shouting)
        extra = [e for e in [*emphasis, caps] if e is not None and e.weight > 0]
        if not extra:
            return
        leaning = scored["anxious"].score > scored["angry"].score
        target = scored["anxious" if leaning else "angry"]
        target.evidence += extra
        target.score = noisy_or([target.score, *(e.weight for e in extra)])
