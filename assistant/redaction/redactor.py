"""The redaction step: find personal data in a customer message and mask it.

``Redactor`` is built once (it loads jieba and the spaCy pipelines) and then called per
message. Detection is presidio's ``AnalyzerEngine`` over our recognizers and the offline
NLP engine; masking is presidio-anonymizer's ``replace`` operator, so the masked text reads
``我的手机是<PHONE_NUMBER>``. Redactions carry offsets into the original text, never values.

Messages mix languages (My name is 张伟, phone 13812345678), so each message is analysed
in every language it contains — zh when it has Chinese characters (or no Latin words), en
when it has Latin words — and overlapping results are merged: the highest score wins, then
the longest span, then the earlier recognizer in ``ALL_RECOGNIZERS``; the winner then covers
the characters a loser of its own type found beyond it (a rule's 单图书大厦北京市… and a model's
西单图书大厦北京市…: all of it is masked), so no part of a value stays readable because two
recognizers cut it differently.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

import regex as re
from presidio_analyzer import (
    AnalyzerEngine,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpEngine
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerInput
from pydantic import BaseModel, ConfigDict

from assistant.redaction.context_enhancer import IndexedLemmaContextAwareEnhancer
from assistant.redaction.nlp_engine import OfflineNlpEngine
from assistant.redaction.normalize import normalize
from assistant.redaction.recognizers import ALL_RECOGNIZERS, RecognizerClass
from assistant.settings import RedactionSettings

_HAN = re.compile(r"\p{Han}")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_TITLE_SUFFIX = re.compile(r"(?:先生|女士|小姐|经理|老师|总)$")
_MASK = {"DEFAULT": OperatorConfig("replace")}  # new_value unset: "<ENTITY_TYPE>"


class Redaction(BaseModel):
    """One masked span: its type, offsets in the original text and detection score."""

    model_config = ConfigDict(frozen=True)

    entity_type: str
    start: int
    end: int
    score: float


class RedactionResult(BaseModel):
    """The masked text and what was masked (sorted, non-overlapping, without values)."""

    model_config = ConfigDict(frozen=True)

    text: str
    redactions: list[Redaction]


def languages_for(text: str) -> list[str]:
    """The analysis languages a message needs: zh for Chinese (default), en for Latin words."""
    has_latin = _LATIN_WORD.search(text) is not None
    languages = ["zh"] if _HAN.search(text) or not has_latin else []
    return languages + (["en"] if has_latin else [])


def build_analyzer(recognizers: Sequence[RecognizerClass], nlp_engine: NlpEngine) -> AnalyzerEngine:
    """A presidio analyzer with exactly our recognizers: never presidio's predefined ones.

    (An empty registry would make presidio load its defaults, whose e-mail recognizer
    fetches a suffix list, so an empty ``recognizers`` is refused.)
    """
    if not recognizers:
        raise ValueError("at least one recognizer is required")
    languages = nlp_engine.get_supported_languages()
    registry = RecognizerRegistry(supported_languages=languages)
    for recognizer_cls in recognizers:
        for language in recognizer_cls.SUPPORTED_LANGUAGES:
            if language in languages:
                registry.add_recognizer(recognizer_cls(supported_language=language))
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=languages,
        # Labels may follow the value in Chinese (H12345678是我的回乡证号), so look both ways.
        context_aware_enhancer=IndexedLemmaContextAwareEnhancer(
            context_prefix_count=5, context_suffix_count=3
        ),
    )


def resolve_overlaps(
    results: list[RecognizerResult], priority: dict[str, int]
) -> list[RecognizerResult]:
    """Keep non-overlapping results: highest score, then longest, then registry order."""

    def rank(r: RecognizerResult) -> tuple[float, int, int]:
        name = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
        return (-r.score, -(r.end - r.start), priority.get(name, len(priority)))

    starts: list[int] = []  # kept spans never overlap, so sorted by start is sorted by end
    kept: list[RecognizerResult] = []
    for result in sorted(results, key=rank):
        i = bisect_left(starts, result.end)  # kept[i-1] is the only one that could overlap
        if i == 0 or kept[i - 1].end <= result.start:
            starts.insert(i, result.start)
            kept.insert(i, result)
    return widened(kept, results)


def widened(
    kept: list[RecognizerResult], results: list[RecognizerResult]
) -> list[RecognizerResult]:
    """Each kept result (sorted, non-overlapping) spread over the results of its type that
    overlap it, where the union reaches no other kept result."""
    out = list(kept)
    for result in results:
        for i, k in enumerate(out):
            if k.entity_type != result.entity_type or not (
                result.start < k.end and k.start < result.end
            ):
                continue
            start, end = min(k.start, result.start), max(k.end, result.end)
            before = out[i - 1].end if i > 0 else 0
            after = out[i + 1].start if i + 1 < len(out) else end
            if (start, end) != (k.start, k.end) and before <= start and end <= after:
                out[i] = RecognizerResult(
                    k.entity_type,
                    start,
                    end,
                    k.score,
                    k.analysis_explanation,
                    k.recognition_metadata,
                )
            break
    return out


class AllowList:
    """Spans of allow-listed values (hotlines, 12378) that must never be masked."""

    def __init__(self, items: Sequence[str]) -> None:
        alternatives = "|".join(re.escape(i) for i in sorted(set(items), key=len, reverse=True))
        self._pattern = (
            re.compile(rf"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])")
            if alternatives
            else None
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where allow-listed values occur as whole values (not inside a longer number)."""
        return [m.span() for m in self._pattern.finditer(text)] if self._pattern else []


# Roles a fund company's documents name people in (prospectus, fund contract, reports):
# the people in these lines are public, the rest of a document is not scanned (speed).
_PUBLIC_ROLE = re.compile(
    r"基金经理|投资经理|投资总监|董事长|总经理|督察长|(?i:fund\s+manager|portfolio\s+manager|managed\s+by)"
)


def lines_naming_public_roles(texts: Iterable[str]) -> list[str]:
    """The lines of public documents that name someone in a public role (基金经理为刘思远)."""
    return [line for text in texts for line in text.splitlines() if _PUBLIC_ROLE.search(line)]


class Redactor:
    """Masks personal data in customer messages; build once, call per message."""

    def __init__(
        self,
        settings: RedactionSettings,
        *,
        recognizers: Sequence[RecognizerClass] = ALL_RECOGNIZERS,
        nlp_engine: NlpEngine | None = None,
    ) -> None:
        """Build the analyzer (heavy: loads jieba and spaCy unless ``nlp_engine`` is given).

        ``recognizers`` and ``nlp_engine`` exist for tests: one recognizer in isolation, one
        loaded engine shared by many redactors.
        """
        self._threshold = settings.score_threshold
        self._allow_list = AllowList(settings.allow_list)
        if nlp_engine is None:
            nlp_engine = OfflineNlpEngine()
        if not nlp_engine.is_loaded():
            nlp_engine.load()
        self._analyzer = build_analyzer(recognizers, nlp_engine)
        self._languages = {r.supported_language for r in self._analyzer.registry.recognizers}
        self._priority: dict[str, int] = {}  # registry order breaks score/length ties
        for i, recognizer in enumerate(self._analyzer.registry.recognizers):
            self._priority.setdefault(type(recognizer).__name__, i)
        self._anonymizer = AnonymizerEngine()
        self._public_names: frozenset[str] = frozenset()

    def allow_names(self, names: Iterable[str]) -> None:
        """People whose names are public and must stay readable: the fund managers named in
        the live documents (prospectuses and reports publish them, and a client asking about
        张坤's funds needs the name to reach the retriever). Replaces the previous list; the
        caller (the app at startup, after ingest) builds it from the index, so no company's
        names live in code. A name with a title (张坤经理) is kept too."""
        self._public_names = frozenset(n.strip() for n in names if len(n.strip()) >= 2)

    def public_names_in(self, text: str) -> list[str]:
        """The public people (`allow_names`) a message names: a question about 张坤 is about
        the documents that name him."""
        return [name for name in self._public_names if name in text]

    def allow_names_from_documents(self, texts: Iterable[str]) -> set[str]:
        """Allow exactly the names that the lines of ``texts`` naming a public role publish
        (the live documents: called at startup and for every new index generation, so a
        manager added by an ingest is readable and one removed is masked again)."""
        names = self.names_in(lines_naming_public_roles(texts))
        self.allow_names(names)
        return names

    def names_in(self, texts: Iterable[str]) -> set[str]:
        """The people's names found in public texts (the live documents), for ``allow_names``:
        a name that the company publishes (a fund manager in a prospectus, English or Chinese)
        is public information, not a client's personal data."""
        names = set()
        for text in texts:
            names |= {
                text[r.start : r.end] for r in self._find_raw(text) if r.entity_type == "PERSON"
            }
        return names

    def _is_public_name(self, value: str) -> bool:
        """The name, with a title (张坤经理) or one glued character (刘思远管的) after it."""
        if value in self._public_names or _TITLE_SUFFIX.sub("", value) in self._public_names:
            return True
        return value[:-1] in self._public_names

    def find(self, text: str) -> list[Redaction]:
        """Detect personal data; offsets refer to ``text``. Detection only, nothing masked.

        Detection runs on the folded text (``normalize``: invisible characters dropped,
        full-width digits and spaces folded), and each finding is mapped back so that it
        covers the whole value as written, invisible characters included.
        """
        return [
            r
            for r in self._find_raw(text)
            if not (r.entity_type == "PERSON" and self._is_public_name(text[r.start : r.end]))
        ]

    def _find_raw(self, text: str) -> list[Redaction]:
        """Every finding, public names included (``find`` drops those)."""
        if not text.strip():
            return []
        folded = normalize(text)
        found = self._find_folded(folded.text)
        if not folded.changed:
            return found
        redactions = []
        for r in found:
            start, end = folded.span_to_original(r.start, r.end)
            redactions.append(r.model_copy(update={"start": start, "end": end}))
        return redactions

    def _find_folded(self, text: str) -> list[Redaction]:
        """The analyzer over every language ``text`` needs, minus allow-listed values."""
        results: list[RecognizerResult] = []
        for language in languages_for(text):
            if language in self._languages:
                results += self._analyzer.analyze(
                    text=text, language=language, score_threshold=self._threshold
                )
        allowed = self._allow_list.spans(text)
        results = [r for r in results if not _overlaps_any(r, allowed)]
        return [
            Redaction(entity_type=r.entity_type, start=r.start, end=r.end, score=r.score)
            for r in resolve_overlaps(results, self._priority)
        ]

    def masked(self, text: str | None) -> str | None:
        """Optional staff or client input (an agent's reply, a comment), masked for storing."""
        return self.redact(text).text if text else None

    def redact(self, text: str) -> RedactionResult:
        """Mask every finding with ``<ENTITY_TYPE>``; offsets refer to the original text."""
        redactions = self.find(text)
        if not redactions:
            return RedactionResult(text=text, redactions=[])
        masked = self._anonymizer.anonymize(
            text=text,
            analyzer_results=[
                AnonymizerInput(r.entity_type, r.start, r.end, r.score) for r in redactions
            ],
            operators=_MASK,
            merge_entities_with_spaces=False,  # keep one placeholder per redaction
        )
        return RedactionResult(text=masked.text, redactions=redactions)


def _overlaps_any(result: RecognizerResult, spans: list[tuple[int, int]]) -> bool:
    """Masking a result that touches an allow-listed value would mask (part of) that value."""
    return any(result.start < end and start < result.end for start, end in spans)
