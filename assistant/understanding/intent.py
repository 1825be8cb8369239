"""The intent verdict: which part of the service the message is about.

Keyword cues per intent give a rule score; the nearest seed examples, when an embedder is
configured, add a share of at most `examples.weight`. Some signals decide outright
(`from_signals` in the rules): a complaint is the `complaint` intent whatever its topic, since
an agent picks it up as a complaint, and an out-of-scope request is `other`. A follow-up with no topic of its own ("那C类呢")
inherits the topic of the client's previous message at a discount. With no topic at all the
intent is `other`, scored by its own cues (hotline, greetings): often 0, meaning "no evidence".
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.understanding.cues import CueSet, Scored, noisy_or
from assistant.understanding.examples import NearestExamples
from assistant.understanding.models import INTENTS, Evidence, Intent, SignalVerdict
from assistant.understanding.rules import IntentSpec


class IntentReader:
    def __init__(self, spec: IntentSpec, examples: NearestExamples | None) -> None:
        self.spec = spec
        self.sets: dict[Intent, CueSet] = {
            intent: CueSet.from_spec(cues) for intent, cues in spec.cues.items()
        }
        self.examples = examples if spec.examples and spec.examples.enabled else None

    def scores(self, text: str, vector: Sequence[float] | None) -> dict[Intent, Scored]:
        """Rule score per intent, blended with the seed examples' vote when there is one."""
        scored = {i: self.sets[i].score(text) if i in self.sets else Scored() for i in INTENTS}
        if self.examples is None or vector is None or self.spec.examples is None:
            return scored
        spec = self.spec.examples
        votes = self.examples.vote(vector, k=spec.k, min_similarity=spec.min_similarity)
        for intent in INTENTS:
            if intent in votes:
                share, seeds = votes[intent]
                scored[intent].score = noisy_or([scored[intent].score, spec.weight * share])
                scored[intent].evidence += seeds[:2]
        return scored

    def read(
        self,
        text: str,
        vector: Sequence[float] | None,
        signals: list[SignalVerdict],
        history: Sequence[str] = (),
    ) -> tuple[Intent, float, list[Evidence]]:
        """The intent, its score and evidence for normalised `text`."""
        for signal in signals:  # in SIGNAL_NAMES order: complaint first
            decided = self.spec.from_signals.get(signal.name)
            if decided is not None:
                return decided, signal.score, _positive(signal.evidence)
        scored = self.scores(text, vector)
        intent = max(scored, key=lambda name: scored[name].score)
        best = scored[intent]
        if best.score >= self.spec.min_score:
            return intent, best.score, _positive(best.evidence)
        fallback = scored["other"]
        if history:
            inherited = self._from_history(history)
            if inherited is not None:
                return inherited
        return "other", fallback.score, _positive(fallback.evidence)

    def _from_history(self, history: Sequence[str]) -> tuple[Intent, float, list[Evidence]] | None:
        """The previous message's topic, discounted, if it had one."""
        previous, score, evidence = self.read(history[-1], None, [], history[:-1])
        if previous == "other":
            return None
        return previous, round(score * self.spec.history_discount, 3), evidence


def _positive(evidence: list[Evidence]) -> list[Evidence]:
    return [e for e in evidence if e.weight > 0]
