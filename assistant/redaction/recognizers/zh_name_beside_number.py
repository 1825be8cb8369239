"""A bare Chinese name written right next to a phone, ID or card number
(谢宇航 13356292884 …, 13356292884 谢宇航, 韩冬 他的卡6222…).

Clients often paste their details as a list with no trigger word, so ``zh_person_name`` (which
needs 我叫, 姓名, 先生…) misses the name while the number beside it is caught. A number of 10+
digits is strong context: a standalone run of 2–4 Chinese characters right before or after it
that starts with a surname and passes the same plausibility checks (no stop characters, not a
common word per jieba, not a brand) is taken as a name. Format of names: GB/T 28039-2011.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import regex as re
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from assistant.redaction.recognizers.zh_person_name import plausible_name

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

_HAN = r"\p{Han}"
_NUMBER = r"\+?\d[\d\s-]{8,}\d"
_SEP = r"[\s,，、:：;；/]+"
# The name stands alone: not glued to other Chinese characters on its outer side.
# A few words may stand between the name and the number (韩冬 他的卡6222…).
_BEFORE = re.compile(rf"(?<!{_HAN})(?P<name>{_HAN}{{2,4}}){_SEP}(?:[^\d\s]{{0,5}})(?={_NUMBER})")
_AFTER = re.compile(rf"(?<=\d){_SEP}(?P<name>{_HAN}{{2,4}})(?!{_HAN})")
SCORE = 0.6


class ZhNameBesideNumberRecognizer(EntityRecognizer):
    ENTITY = "PERSON"
    SUPPORTED_LANGUAGES: ClassVar[tuple[str, ...]] = ("zh",)

    def __init__(self, supported_language: str = "zh") -> None:
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for pattern in (_BEFORE, _AFTER):
            for match in pattern.finditer(text):
                name = match.group("name")
                if plausible_name(name):
                    results.append(self._result(match.start("name"), match.end("name")))
        return results

    def _result(self, start: int, end: int) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=type(self).__name__,
            original_score=SCORE,
            textual_explanation="name beside a long number",
        )
        return RecognizerResult(self.ENTITY, start, end, SCORE, analysis_explanation=explanation)
