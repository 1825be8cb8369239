"""The hand-off signals: complaint, human_requested, advice_request, guarantee_request,
out_of_scope.

Each signal is scored by its cue set; when seed examples are configured, the share of the
message's nearest seeds that belong to the signal adds up to `signal_examples.weight`. Calm
seeds (information questions with alarming words) sit among them and take their share too,
so a calm question near calm seeds gets no push. A signal fires at its threshold; a fired
signal can silence others (`suppress`: advice about a stock is out of scope, not advice).
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.understanding.cues import CueSet, Scored, noisy_or
from assistant.understanding.examples import NearestExamples
from assistant.understanding.models import SIGNAL_NAMES, Evidence, SignalVerdict
from assistant.understanding.rules import RuleBook
from assistant.understanding.scope_model import ScopeModel
from assistant.understanding.signal_model import SignalModel


class SignalReader:
    def __init__(
        self,
        rules: RuleBook,
        examples: NearestExamples | None,
        model: SignalModel | None = None,
        scope: ScopeModel | None = None,
    ) -> None:
        self.rules = rules
        self.sets = {name: CueSet.from_spec(spec) for name, spec in rules.signals.items()}
        spec = rules.signal_examples
        self.examples = examples if spec is not None and spec.enabled else None
        self.model = model
        self.scope = scope

    def scores(self, text: str, vector: Sequence[float] | None) -> dict[str, Scored]:
        """Every signal's score on normalised `text`, fired or not."""
        scored: dict[str, Scored] = {name: cues.score(text) for name, cues in self.sets.items()}
        if self.model is not None and vector is not None:
            confident = self.model.confident(vector)
            for signal, cues in self.sets.items():
                if signal == "out_of_scope" and self.scope is not None:
                    continue  # the scope model decides it, below
                p = confident.get(signal)
                entry = scored[signal]
                # Confident alone is enough to fire, unless a calm cue cancelled a match: the
                # hand-written look-alikes (投诉电话是多少) are the authority on calm questions.
                if p is not None and not any(e.weight < 0 for e in entry.evidence):
                    entry.score = max(entry.score, cues.threshold)
                    entry.evidence.append(
                        Evidence(kind="model", text=self.model.version, weight=round(p, 3))
                    )
        if self.scope is not None and "out_of_scope" in scored:
            self._add_scope(scored["out_of_scope"], text)
        spec = self.rules.signal_examples
        if self.examples is None or vector is None or spec is None:
            return scored
        votes = self.examples.vote(vector, k=spec.k, min_similarity=spec.min_similarity)
        for name, (share, seeds) in votes.items():
            if name in scored:
                entry = scored[name]
                entry.score = noisy_or([entry.score, spec.weight * share])
                entry.evidence += seeds[:2]
        return scored

    def _add_scope(self, entry: Scored, text: str) -> None:
        """The scope model's verdict on out_of_scope, unless a calm cue cancelled a match."""
        assert self.scope is not None
        evidence = self.scope.out_of_scope(text)
        if evidence is not None and not any(e.weight < 0 for e in entry.evidence):
            entry.score = max(entry.score, self.sets["out_of_scope"].threshold)
            entry.evidence.append(evidence)

    def read(self, text: str, vector: Sequence[float] | None) -> tuple[list[SignalVerdict], float]:
        """The fired signals, and the complaint score whether it fired or not (for emotion)."""
        scored = self.scores(text, vector)
        fired = [
            SignalVerdict(name=name, score=scored[name].score, evidence=scored[name].evidence)
            for name in SIGNAL_NAMES
            if name in scored and scored[name].score >= self.sets[name].threshold
        ]
        silenced = {quiet for s in fired for quiet in self.rules.suppress.get(s.name, [])}
        complaint = scored["complaint"].score if "complaint" in scored else 0.0
        return [s for s in fired if s.name not in silenced], complaint
