"""People's names and street-level addresses in Chinese, wherever they stand: the NER models.

The rule recognizers (``zh_person_name``, ``cn_address``…) find what a trigger word or a door
number announces; this one finds names without a trigger (a relative, a third party, a name
alone on a line, a name in a news sentence) and addresses written without a cue word. The
shipped model is the CRF (``crf_ner.py``, ``python -m evals.train_ner``); the spaCy pipeline
(``spacy_ner.py``, ``python -m evals.train_ner_spacy``) and the two together
(``ensemble_ner.py``) were measured against it (``models/README.md`` says why the CRF).

Decisions:

* an address is masked only when it is street-level (a road, street, lane, door number,
  housing estate, building, room, village group): a place alone (北京, 辽宁省, 美国) identifies
  no one and is kept, so the retriever still sees 北京 in 北京的分红怎么交税;
* a one-character "name" is never masked (the model's fragments; 叶 alone identifies no one),
  nor one without two Chinese characters (the models, trained on Chinese news, take stray
  English words such as "address" for names): a Latin word is a name only when the
  Latin-name regression (``latin_names.py``) says so, or a pattern recognizer finds it;
* names the redactor is told are public (the fund managers named in the live documents, via
  ``Redactor.allow_names``) are filtered by the redactor, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar, Protocol

import jieba
import regex as re
from presidio_analyzer import RecognizerResult

from assistant.redaction.crf_ner import Span, Token, default_tagger, doc_tokens
from assistant.redaction.e5_ner import default_e5_tagger
from assistant.redaction.ensemble_ner import default_ensemble_tagger
from assistant.redaction.name_combiner import (
    LATIN_PERSON,
    default_combined_tagger,
    default_lac_tagger,
)
from assistant.redaction.recognizers.base import RuleRecognizer
from assistant.redaction.spacy_ner import default_spacy_tagger

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

# A road, street or lane; a door, building, unit, floor or room number; a housing estate,
# village or group: what makes an address point at a household rather than a region.
STREET_LEVEL = re.compile(
    r"大道|大街|路|街|巷|弄|胡同|里\d|\d+号|号院|号楼|[0-9一二三四五六七八九十A-Za-z]+(?:栋|幢|座|单元|层|室)"
    r"|小区|花园|公寓|家园|新村|大厦|社区|[村组]\d*|屯"
)
# What may follow a street-level address and still be part of it: the door, building, unit,
# floor and room numbers a model left out (…小区 + 三期b座, …榆林路 + 某弄5号, …198 + -3号).
ADDRESS_TAIL = re.compile(
    r"(?:[-－—]?(?:[0-9A-Za-z]{1,6}|[一二三四五六七八九十百零〇两]{1,4}|某)"
    r"(?:号楼|号院|号铺|号|栋|幢|座|单元|层|楼|室|弄|巷|期|排|户|组))+"
)
# A position at or beside an address that still points at the place (…交叉路口, …对面,
# …东北角, …西北300米): CLUENER's annotators count it in, and masked it hides no business value.
ADDRESS_POSITION = re.compile(
    r"的?(?:交叉路口|十字路口|路口|交汇处|交汇点|交界处|对面|旁边|旁|附近"
    r"|[东南西北]{1,2}(?:角|侧|面|门)(?:\d+米)?|[东南西北]{1,2}\d+米)"
)
# What makes two addresses one place: 翁洲大道与盐河路交叉路口, 长丰村1号或2号.
ADDRESS_JOIN = re.compile(r"[与和及或、/]")
_HAS_HAN = re.compile(r"\p{Han}")
# A name's own spelling in Latin letters in brackets right after it: 古德穆德森（gudmundsson）,
# 伊桑-科恩（ethancoen）, 沙俊春(WE.PJ). The same person's name (or handle): masked with it.
NAME_ALIAS = re.compile(r"[（(]\s*[A-Za-z][A-Za-z0-9 .'_-]{0,40}[）)]")
_HAS_NAME_CHARS = re.compile(r"\p{Han}{2}|\p{Han}[·•]\p{Han}")


class Tagger(Protocol):
    """What a model offers: tagged spans of a text, given its jieba words."""

    def spans(self, text: str, tokens: list[Token]) -> list[Span]: ...


# The trained models by name (each loaded once per process on first use).
MODELS: dict[str, Callable[[], Tagger]] = {
    "crf": default_tagger,
    "spacy": default_spacy_tagger,
    "ensemble": default_ensemble_tagger,  # the CRF, plus spaCy names the CRF confirms
    "lac": default_lac_tagger,  # Baidu LAC alone: its PER words, its places continued
    "combined": default_combined_tagger,  # CRF and LAC candidates kept by a regression
    "e5": default_e5_tagger,  # e5's top layers fine-tuned as a tagger (e5_ner.py)
}


def is_street_level(address: str) -> bool:
    """True for an address that names a street, door, estate or village (not a region)."""
    return STREET_LEVEL.search(address) is not None


def score_of(probability: float) -> float:
    """The presidio score of a tagged span: 0.41–0.49, above the masking threshold (0.4) and
    below every rule's score, so where a rule and the model overlap the rule's span (with its
    title, 王先生; with its trigger conventions) is the one kept."""
    return round(0.4 + 0.09 * probability, 4)


class ZhNerRecognizer(RuleRecognizer):
    """Names and street-level addresses tagged by the CRF, scored by its marginals."""

    ENTITY = "PERSON"
    SUPPORTED_LANGUAGES = ("zh",)
    EXPLANATION = "NER model"
    USES: ClassVar[tuple[str, ...]] = ("crf",)  # the shipped choice: models/README.md says why

    def __init__(self, supported_language: str = "zh") -> None:
        super().__init__(supported_language)
        self.supported_entities = ["PERSON", "ADDRESS"]

    def load(self) -> None:
        """jieba's dictionary (the word features) and the model, once per process."""
        jieba.initialize()
        for name in self.USES:
            MODELS[name]()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Tagged spans that pass the decisions in the module docstring (none in a text
        without a Chinese character: every span kept needs one, so the models are not run)."""
        if not _HAS_HAN.search(text):
            return []
        if nlp_artifacts is not None and nlp_artifacts.tokens is not None:
            tokens = doc_tokens(nlp_artifacts.tokens)
        else:
            tokens = [(s, e) for _, s, e in jieba.tokenize(text)]
        results = []
        spans = merged(span for name in self.USES for span in MODELS[name]().spans(text, tokens))
        people = [with_alias(text, s) for s in spans if s.entity_type in ("PERSON", LATIN_PERSON)]
        places = whole_addresses(text, [s for s in spans if s.entity_type == "ADDRESS"], tokens)
        for span in people + places:
            value = text[span.start : span.end]
            if span.entity_type == "ADDRESS" and not is_street_level(value):
                continue
            if span.entity_type == "PERSON" and not is_name_like(value):
                continue
            result = self._result(span.start, span.end, score_of(span.score))
            result.entity_type = "PERSON" if span.entity_type == LATIN_PERSON else span.entity_type
            results.append(result)
        return results


def is_name_like(value: str) -> bool:
    """Whether a model's PERSON span may be masked as a name: two Chinese characters (or two
    around a name dot); the Latin-name regression's words are kept apart (``LATIN_PERSON``)."""
    return _HAS_NAME_CHARS.search(value) is not None


def with_alias(text: str, span: Span) -> Span:
    """A name carried over its Latin spelling in brackets right after it (``NAME_ALIAS``),
    also where the model's span stops inside the brackets: left readable, the alias names the
    person the mask hides. On the training split, out of fold, 10 more of 3,174 names wholly
    masked, no sentence more given a false mask."""
    end = min(len(text), span.end + 48)
    for found in NAME_ALIAS.finditer(text, span.start, end):
        if found.start() <= span.end < found.end():
            return Span(span.entity_type, span.start, found.end(), span.score)
    return span


def completed(text: str, span: Span) -> Span:
    """An address span carried over the door, building, unit and room numbers right after
    it (``ADDRESS_TAIL``), then over a position (``ADDRESS_POSITION``): the mask covers the
    whole household, not the road alone."""
    end = span.end
    for pattern in (ADDRESS_TAIL, ADDRESS_POSITION):
        found = pattern.match(text, end)
        end = found.end() if found else end
    return span if end == span.end else Span(span.entity_type, span.start, end, span.score)


def whole_addresses(text: str, spans: list[Span], tokens: list[Token]) -> list[Span]:
    """The models' address spans made whole: widened to the words they cut (大圣烧烤港窑路店,
    not 圣烧烤港窑路店), ``completed``, and two joined by 与, 和 or 或 made one span
    (翁洲大道与盐河路交叉路口). Session 12 measured each step: ``models/README.md``."""
    starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
    widened = merged(to_words(span, starts, ends) for span in spans)
    out: list[Span] = []
    for span in merged(completed(text, s) for s in widened):
        last = out[-1] if out else None
        if last and span.start == last.end + 1 and ADDRESS_JOIN.match(text, last.end):
            out[-1] = Span(span.entity_type, last.start, span.end, max(last.score, span.score))
        else:
            out.append(span)
    return out


def to_words(span: Span, starts: set[int], ends: set[int]) -> Span:
    """A span of two characters or more widened to the word boundaries around it."""
    if span.end - span.start < 2:
        return span
    start = max((s for s in starts if s <= span.start), default=span.start)
    end = min((e for e in ends if e >= span.end), default=span.end)
    return Span(span.entity_type, start, end, span.score)


def merged(spans: Iterable[Span]) -> list[Span]:
    """Spans of one type that overlap or touch (two models, or a name cut in two) become one
    span over both, with the higher score: masking must cover the whole value."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda sp: (sp.entity_type, sp.start)):
        last = out[-1] if out else None
        if last and last.entity_type == span.entity_type and span.start <= last.end:
            out[-1] = Span(
                span.entity_type, last.start, max(last.end, span.end), max(last.score, span.score)
            )
        else:
            out.append(span)
    return out


def ner_recognizer(uses: tuple[str, ...]) -> type[ZhNerRecognizer]:
    """The recognizer over other models (``("spacy",)``, ``("crf", "spacy")``): for the
    benchmark's comparison."""
    return type(f"ZhNerRecognizer_{'_'.join(uses)}", (ZhNerRecognizer,), {"USES": uses})
