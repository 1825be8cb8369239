"""The CRF and the spaCy model together: what either finds, the spaCy model's names only where
the CRF does not rule them out.

On the development split the two models miss different names (the CRF sees ±2 characters
and jieba's words; the CNN sees a wider window and learns transliterated foreign names
better), so their union masks more names than either; but the spaCy model alone puts a
PERSON mask on more sentences without a name, and its greedy parser gives no probability to
trade that with. The CRF's marginals do: a spaCy name is kept when the CRF's mean
probability that its characters are a name reaches ``confirm`` (chosen on the development
split, ``models/README.md``). Addresses of both models are kept (the street-level rule
filters them afterwards). So when no character is that likely a name and the text holds no
street-level word, no spaCy span could survive, and the spaCy model is not run at all.
"""

from __future__ import annotations

from functools import cache

import regex as re

from assistant.redaction.crf_ner import CrfTagger, Span, Token, model_meta
from assistant.redaction.spacy_ner import SpacyTagger, default_spacy_tagger


class EnsembleTagger:
    """CRF spans plus the spaCy model's spans that the CRF's marginals confirm."""

    def __init__(
        self, crf: CrfTagger, spacy: SpacyTagger, confirm: float, street: re.Pattern[str]
    ) -> None:
        self.crf, self.spacy, self.confirm, self._street = crf, spacy, confirm, street

    def spans(self, text: str, tokens: list[Token]) -> list[Span]:
        """Both models' spans (overlaps are merged by the recognizer)."""
        if not text:
            return []
        tags, probs = self.crf.probabilities(text, tokens)
        found = self.crf.decode(text, tags, probs)
        if max(probs["PER"]) < self.confirm and not self._street.search(text):
            return found  # no spaCy span could be kept: skip its ~3 ms
        for span in self.spacy.spans(text, tokens):
            if span.entity_type == "PERSON":
                mean = sum(probs["PER"][span.start : span.end]) / (span.end - span.start)
                if mean < self.confirm:
                    continue
            found.append(span)
        return found


@cache
def default_ensemble_tagger() -> EnsembleTagger:
    """Both shipped models with the confirmation threshold from the CRF's card."""
    from assistant.redaction.recognizers.zh_ner import STREET_LEVEL  # it imports this module

    meta = model_meta()
    crf = CrfTagger(thresholds=meta["ensemble_thresholds"], extend=meta["extend"])  # type: ignore[arg-type]
    confirm = float(meta.get("spacy_confirm", 0.0))  # type: ignore[arg-type]
    return EnsembleTagger(crf, default_spacy_tagger(), confirm, STREET_LEVEL)
