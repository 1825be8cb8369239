"""Is this message a question or request for a fund company's customer service at all?

The out-of-scope cue list names what the team thought of (weather, lottery, other companies'
funds); real off-topic text is everything else, and on it the list and the signal model let most
through: of held-out Weibo posts 95 % were read as in scope, of real Baidu Zhidao questions
about loans, credit cards and banks 80 %, and those then got answered with a quote from the fund
documents. A calibrated classifier (`calibrated.py`), trained on the team's in-scope messages and
questions against real off-topic text (LCQMC questions, Weibo posts) and the team's out-of-scope
examples (`python -m evals.train_scope_model --write`), gives P(in scope). Below the file's
threshold (chosen by grouped cross-validation so that few of the team's fund questions are
called out of scope) the message is out of scope.

It replaces the signal model's opinion on out_of_scope; the out-of-scope cues stay as an override
(a message they flag is out of scope whatever the model says), and their calm phrases still
protect the look-alikes (银行卡绑定, 持有哪些股票) from the cues.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.understanding.calibrated import CalibratedLinear
from assistant.understanding.models import Evidence

IN_SCOPE = "in_scope"
_WORDS = re.compile(r"\w")


class ScopeModel:
    def __init__(self, model: CalibratedLinear) -> None:
        self.model = model
        self.version = model.version
        self.threshold = model.thresholds[IN_SCOPE]

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        return cls(CalibratedLinear.load(path))

    def in_scope(self, text: str) -> float:
        """P(normalised `text` is a question or request for a fund company's service)."""
        return self.model.probability(text)[IN_SCOPE]

    def out_of_scope(self, text: str) -> Evidence | None:
        """Evidence for out_of_scope when the model reads `text` as off-topic. Nothing to read
        (an empty message, "??", only emoji or placeholders) is no evidence either way."""
        if not _WORDS.search(text):
            return None
        p = self.in_scope(text)
        if p >= self.threshold:
            return None
        return Evidence(kind="model", text=self.version, weight=round(1 - p, 3))
