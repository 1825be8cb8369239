"""A bare Chinese name written right next to a phone, ID or card number
(谢宇航 13356292884 …, 13356292884 谢宇航, 韩冬 他的卡6222…).

Clients often paste their details as a list with no trigger word, so ``zh_person_name`` (which
needs 我叫, 姓名, 先生…) misses the name while the number beside it is caught. A number of 10+
digits is strong context: a standalone run of 2–4 Chinese characters right before or after it
that starts with a surname and passes the same plausibility checks (no stop characters, not a
common word per jieba, not a brand) is taken as a name. Format of names: GB/T 28039-2011.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex as re
from presidio_analyzer import RecognizerResult

from assistant.redaction.recognizers.base import RuleRecognizer
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


class ZhNameBesideNumberRecognizer(RuleRecognizer):
    """A plausible standalone name right before or after a number of 10+ digits."""

    ENTITY = "PERSON"
    SUPPORTED_LANGUAGES = ("zh",)
    EXPLANATION = "name beside a long number"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Candidates before, then after, a long number that pass ``plausible_name``."""
        return [
            self._result(match.start("name"), match.end("name"), SCORE)
            for pattern in (_BEFORE, _AFTER)
            for match in pattern.finditer(text)
            if plausible_name(match.group("name"))
        ]
