"""The offline NLP engine: blank spaCy pipelines that presidio can use without any model.

presidio only needs tokens and lemmas from spaCy (for context words); our recognizers are
patterns and rules, not NER. A trained pipeline would mean a download, so we build blank ones:

* ``zh`` segments with jieba, because spaCy's default Chinese tokenizer splits every
  character and then a context word such as 身份证 can never equal a token;
* ``en`` is spaCy's rule-based English tokenizer.

Blank pipelines have no lemmatizer, so lemmas are empty and presidio's context enhancer
would never match; the ``lemma_is_text`` component copies each token's text into its lemma.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import jieba
import spacy
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from spacy.language import Language
from spacy.tokens import Doc

LANGUAGES: tuple[str, ...] = ("zh", "en")

_ZH_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}


@Language.component("lemma_is_text")
def lemma_is_text(doc: Doc) -> Doc:
    """Use each token's own text as its lemma, so presidio context words can match."""
    for token in doc:
        token.lemma_ = token.text
    return doc


def build_blank_pipeline(language: str) -> Language:
    """A blank spaCy pipeline for ``language`` (jieba segmentation for zh) plus lemmas."""
    nlp = spacy.blank(language, config=_ZH_CONFIG if language == "zh" else {})
    nlp.add_pipe("lemma_is_text")
    return nlp


class KeywordList(list[str]):
    """A list of keywords with O(1) membership.

    presidio's context enhancer asks ``lemma in nlp_artifacts.keywords`` for every token it
    walks past, which on a plain list makes a long message with many findings quadratic.
    """

    def __init__(self, keywords: list[str]) -> None:
        super().__init__(keywords)
        self._members = frozenset(keywords)

    def __contains__(self, item: object) -> bool:
        return item in self._members


class OfflineNlpEngine(SpacyNlpEngine):
    """presidio's spaCy engine over blank pipelines; never loads or downloads a model."""

    def __init__(self, languages: Sequence[str] = LANGUAGES) -> None:
        models = [{"lang_code": lang, "model_name": f"blank:{lang}"} for lang in languages]
        super().__init__(models=models)

    def load(self) -> None:
        """Build the blank pipelines (replaces the parent's download-if-missing load)."""
        if any(model["lang_code"] == "zh" for model in self.models):
            jieba.setLogLevel(logging.WARNING)  # its dictionary-load banner goes to stderr
            jieba.initialize()
        pipelines = {m["lang_code"]: build_blank_pipeline(m["lang_code"]) for m in self.models}
        self.nlp = pipelines  # type: ignore[assignment]  # the parent declares it as None

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        """The parent's artifacts, with keywords that answer ``in`` in constant time."""
        artifacts = super()._doc_to_nlp_artifact(doc, language)
        artifacts.keywords = KeywordList(artifacts.keywords)
        return artifacts
