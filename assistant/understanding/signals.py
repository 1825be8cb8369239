"""The hand-off signals: crisis, complaint, human_requested, advice_request, guarantee_request,
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
        crisis: SignalModel | None = None,
        beyond: SignalModel | None = None,
    ) -> None:
        self.rules = rules
        self.sets = {name: CueSet.from_spec(spec) for name, spec in rules.signals.items()}
        spec = rules.signal_examples
        self.examples = examples if spec is not None and spec.enabled else None
        self.model = model
        self.scope = scope
        self.crisis = crisis
        self.beyond = beyond

    @property
    def models(self) -> list[SignalModel]:
        """The learned models over the message's e5 vector: the signal model, the crisis one and
        the beyond-the-documents one."""
        return [m for m in (self.model, self.crisis, self.beyond) if m is not None]

    def scores(
        self, text: str, vector: Sequence[float] | None, names_ours: bool = False
    ) -> dict[str, Scored]:
        """Every signal's score on normalised `text`, fired or not.

        A message that names a fund or a fund manager of the live documents (`names_ours`)
        is about the business: the scope model, a character n-gram model that learns fund
        names as in-scope words and has never seen this company's, is not asked (trained on
        the first company alone it declined 16 of kb4's 281 answerable questions, 全球医疗美元
        现钞代码 and 宋清禾从业多少年了 among them). The out-of-scope cues still are."""
        scored: dict[str, Scored] = {name: cues.score(text) for name, cues in self.sets.items()}
        for model in self.models:
            for signal, p in model.confident(vector, text).items() if vector is not None else ():
                if signal != "out_of_scope" or self.scope is None:  # else the scope model, below
                    self._add_model(scored.get(signal), signal, p, model.version)
        if self.scope is not None and "out_of_scope" in scored and not names_ours:
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

    def _add_model(self, entry: Scored | None, signal: str, p: float, version: str) -> None:
        """A confident model fires the signal alone, unless a calm cue cancelled a match: the
        hand-written look-alikes (投诉电话是多少, 跳楼价) are the authority on calm questions."""
        if entry is not None and not any(e.weight < 0 for e in entry.evidence):
            entry.score = max(entry.score, self.sets[signal].threshold)  # type: ignore[index]
            entry.evidence.append(Evidence(kind="model", text=version, weight=round(p, 3)))

    def _add_scope(self, entry: Scored, text: str) -> None:
        """The scope model's verdict on out_of_scope, unless a calm cue cancelled a match."""
        assert self.scope is not None
        evidence = self.scope.out_of_scope(text)
        if evidence is not None and not any(e.weight < 0 for e in entry.evidence):
            entry.score = max(entry.score, self.sets["out_of_scope"].threshold)
            entry.evidence.append(evidence)

    def read(
        self, text: str, vector: Sequence[float] | None, names_ours: bool = False
    ) -> tuple[list[SignalVerdict], float]:
        """The fired signals, and the complaint score whether it fired or not (for emotion)."""
        scored = self.scores(text, vector, names_ours)
        fired = [
            SignalVerdict(name=name, score=scored[name].score, evidence=scored[name].evidence)
            for name in SIGNAL_NAMES
            if name in scored and scored[name].score >= self.sets[name].threshold
        ]
        silenced = {quiet for s in fired for quiet in self.rules.suppress.get(s.name, [])}
        complaint = scored["complaint"].score if "complaint" in scored else 0.0
        return [s for s in fired if s.name not in silenced], complaint
