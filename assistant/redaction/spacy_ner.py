"""The spaCy alternative to the CRF: a blank ``zh`` pipeline with a trained ``ner`` (tok2vec CNN).

Tokens are single characters (CLUENER's entity offsets are character offsets, and a jieba
word often glues a name to the verb after it, 王刚说, so word tokens would lose entity
boundaries); each character's ``tag_`` carries the jieba word it falls in (its position
B/M/E/S and the dictionary's part-of-speech tag or ``unk``), and the tok2vec embeds that tag
beside the character and its shape, so the CNN sees the segmentation the CRF sees.

The pipeline is trained by ``python -m evals.train_ner_spacy`` (its config is
``models/zh_ner_spacy.cfg``) and stored under ``models/zh_ner_spacy/``; it is loaded from
there only, never downloaded. ``SpacyTagger.spans`` has the CRF tagger's interface, so the
same recognizer logic serves both (``models/README.md`` has the comparison).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from assistant.redaction.crf_ner import LABELS, Span, Token, word_tag

SPACY_MODEL_DIR = Path(__file__).parent / "models" / "zh_ner_spacy"
TOKENIZER_NAME = "fund_assistant.zh_char_jieba.v1"
SPAN_SCORE = 0.9  # the greedy parser gives no probability; one fixed score for its spans


def jieba_words(text: str) -> list[Token]:
    """jieba's words as (start, end), as spaCy's jieba segmenter (presidio's zh) cuts them."""
    out, start = [], 0
    for word in jieba.cut(text, cut_all=False):
        out.append((start, start + len(word)))
        start += len(word)
    return out


def char_tags(text: str, tokens: list[Token]) -> list[str]:
    """Per character: its position in its jieba word (B/M/E/S) and the word's POS tag."""
    tags = ["S:chr"] * len(text)
    for start, end in tokens:
        tag = word_tag(text[start:end])
        for i in range(start, end):
            pos = "S" if end - start == 1 else "B" if i == start else "E" if i == end - 1 else "M"
            tags[i] = f"{pos}:{tag}"
    return tags


def char_doc(vocab: Vocab, text: str, tokens: list[Token] | None = None) -> Doc:
    """One token per character (spaces included, so token i is character i), tags from jieba."""
    tags = char_tags(text, tokens if tokens is not None else jieba_words(text))
    return Doc(vocab, words=list(text), spaces=[False] * len(text), tags=tags)


class CharJiebaTokenizer:
    """spaCy tokenizer: ``char_doc`` over jieba's segmentation."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return char_doc(self.vocab, text)

    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> CharJiebaTokenizer:
        return self

    def to_disk(self, path: Path, **kwargs: Any) -> None:
        """Nothing to store: jieba's dictionary ships with jieba."""

    def from_disk(self, path: Path, **kwargs: Any) -> CharJiebaTokenizer:
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_char_jieba_tokenizer() -> Any:
    """The registered factory the config names (``[nlp.tokenizer]``)."""

    def make(nlp: Language) -> CharJiebaTokenizer:
        return CharJiebaTokenizer(nlp.vocab)

    return make


class SpacyTagger:
    """The trained pipeline; ``spans`` tags a text given its jieba words (like ``CrfTagger``)."""

    def __init__(self, model_dir: Path = SPACY_MODEL_DIR) -> None:
        self._nlp = spacy.load(model_dir)

    def spans(self, text: str, tokens: list[Token]) -> list[Span]:
        """Entities of the ner component, mapped to presidio types."""
        if not text:
            return []
        doc = self._nlp(char_doc(self._nlp.vocab, text, tokens))
        return [
            Span(LABELS[ent.label_], ent.start_char, ent.end_char, SPAN_SCORE)
            for ent in doc.ents
            if ent.label_ in LABELS
        ]


@cache
def default_spacy_tagger() -> SpacyTagger:
    """The shipped spaCy model, loaded once per process."""
    return SpacyTagger()
