"""People's names and street-level addresses in Chinese from the CRFs, LAC and e5 together.

The shipped NER recognizer. It applies the decisions of ``ZhNerRecognizer`` (street-level
addresses only; no one-character or non-Chinese "names"; public names filtered by the
redactor) to the spans of ``name_combiner.CombinedTagger``: every name the CRF trained here,
Baidu's LAC or e5 fine-tuned here (``e5_ner.py``) proposes, kept when a regression over all
their evidence says it is a person (fitted on CLUENER's training split out of fold,
``python -m evals.train_name_combiner --e5 DIR``), and the models' addresses. Why several
models and how they combine: ``models/README.md``.
"""

from __future__ import annotations

from typing import ClassVar

from assistant.redaction.recognizers.zh_ner import ZhNerRecognizer


class ZhLacNerRecognizer(ZhNerRecognizer):
    """Names and street-level addresses of the CRFs, LAC and e5, combined by a regression."""

    EXPLANATION = "NER models (CRF + LAC + e5)"
    USES: ClassVar[tuple[str, ...]] = ("combined",)
