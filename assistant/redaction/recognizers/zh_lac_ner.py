"""People's names and street-level addresses in Chinese from two models: the CRF and LAC.

The shipped NER recognizer. It applies the decisions of ``ZhNerRecognizer`` (street-level
addresses only; no one-character or non-Chinese "names"; public names filtered by the
redactor) to the spans of ``name_combiner.CombinedTagger``: every name the CRF trained here or
Baidu's LAC proposes, kept when a regression over both models' evidence says it is a person
(fitted on CLUENER's training split, ``python -m evals.train_name_combiner``), and both
models' addresses. Why two models and how they combine: ``models/README.md``.
"""

from __future__ import annotations

from typing import ClassVar

from assistant.redaction.recognizers.zh_ner import ZhNerRecognizer


class ZhLacNerRecognizer(ZhNerRecognizer):
    """Names and street-level addresses of the CRF and LAC, combined by a regression."""

    EXPLANATION = "NER models (CRF + LAC)"
    USES: ClassVar[tuple[str, ...]] = ("combined",)
