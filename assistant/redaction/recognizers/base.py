"""What the recognizers here share.

* Case-sensitive regex flags: presidio's default adds IGNORECASE, which would let a
  passport pattern take ``e12345678`` and an English-name pattern take ``worried``.
* Number edges as explicit lookarounds: ``\\b`` does not separate digits from Chinese
  characters (``手机13812345678`` has no word boundary before the ``1``).
* A veto for numbers that the message itself labels as non-personal: ``订单号 2026…``,
  ``流水号``, ``验证码``, ``order no.``. An order number can pass a Luhn check by chance
  (one in ten does); the label in front of it is the better evidence.
* For the rule-based recognizers (names), the presidio plumbing: constructor and result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

import jieba
import regex as re
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

FLAGS = re.DOTALL | re.MULTILINE

# Scores. WEAK patterns are masked only with a context word nearby: presidio's context
# enhancer adds 0.35, lifting 0.2 to 0.55, above the default 0.4 threshold.
WEAK = 0.2
MEDIUM = 0.5
STRONG = 0.85

DIGIT_START = r"(?<![0-9A-Za-z])"
# Not followed by more digits/letters, a decimal part, or a unit that makes it an amount.
DIGIT_END = r"(?![0-9A-Za-z]|[.．]\d|\s?[元万亿份%％])"

_LABEL_WINDOW = 24  # long enough for "verification code: "
_NOT_PII_LABEL = re.compile(
    r"(?:订单|流水|交易单|交易|委托|申请|业务|合同|确认|回执|批次|工单|投诉|受理|验证|校验|动态|短信)"
    r"(?:编号|单号|号码|号|码|id|ID)\s*(?:是|为)?\s*[:：#＃]?\s*$"
    r"|(?<![A-Za-z])(?i:order|transaction|txn|trade|reference|ref|confirmation|ticket"
    r"|verification|otp)\s*(?i:no\.?|number|id|code|#)?\s*(?i:is)?\s*[:：#]?\s*$"
)


class RecognizerClass(Protocol):
    """What the registry needs from a recognizer class: its languages and a constructor."""

    @property
    def SUPPORTED_LANGUAGES(self) -> tuple[str, ...]: ...  # a class constant, read-only

    def __call__(self, supported_language: str = ...) -> EntityRecognizer: ...


def labelled_not_pii(text: str, start: int) -> bool:
    """True when the text right before ``start`` labels the value as an order/code number."""
    return _NOT_PII_LABEL.search(text[max(0, start - _LABEL_WINDOW) : start]) is not None


class BasePatternRecognizer(PatternRecognizer):
    """A presidio ``PatternRecognizer`` declared by class attributes.

    Subclasses set ``ENTITY``, ``PATTERNS`` (name, regex, score), ``CONTEXT`` words in
    Chinese and English, and override ``validate_result`` for checksums.
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    SUPPORTED_LANGUAGES: ClassVar[tuple[str, ...]] = ("zh", "en")

    def __init__(self, supported_language: str = "zh") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            supported_language=supported_language,
            patterns=[Pattern(name, regex, score) for name, regex, score in self.PATTERNS],
            context=list(self.CONTEXT),
            global_regex_flags=FLAGS,
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """presidio's pattern matching, minus values labelled as order or code numbers."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in results if not labelled_not_pii(text, r.start)]


class RuleRecognizer(EntityRecognizer):
    """A presidio ``EntityRecognizer`` whose ``analyze`` is Python rules, not regex patterns.

    Subclasses set ``ENTITY``, ``SUPPORTED_LANGUAGES``, ``EXPLANATION`` and optionally
    ``CONTEXT``, and build their findings with ``_result``.
    """

    ENTITY: ClassVar[str]
    SUPPORTED_LANGUAGES: ClassVar[tuple[str, ...]]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    EXPLANATION: ClassVar[str]

    def __init__(self, supported_language: str = "zh") -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            supported_language=supported_language,
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        """Load jieba's dictionary: the name rules (``plausible_name``) read its word
        frequencies, and a recognizer built without our NLP engine would otherwise find an
        empty dictionary and take common words (白领) for names."""
        jieba.initialize()

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        """A finding with an explanation, which the context enhancer writes its boost into.

        The analyzer adds the recognizer's name and id to the metadata itself.
        """
        explanation = AnalysisExplanation(
            recognizer=type(self).__name__,
            original_score=score,
            textual_explanation=self.EXPLANATION,
        )
        return RecognizerResult(self.ENTITY, start, end, score, analysis_explanation=explanation)
