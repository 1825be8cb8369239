"""presidio's lemma context enhancer, with a token look-up that scales to long messages.

``LemmaContextAwareEnhancer`` finds the token under each result by walking the spaCy doc
from the start, so a message with many findings costs (findings × tokens): a 20,000-character
message dense with names took seconds. Tokens are sorted by offset, so a binary search over
``tokens_indices`` finds the same token in O(log n). Matching behaviour is unchanged.
"""

from __future__ import annotations

from bisect import bisect_right

from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from spacy.tokens import Doc


class IndexedLemmaContextAwareEnhancer(LemmaContextAwareEnhancer):
    """``LemmaContextAwareEnhancer`` with an O(log n) match-token look-up."""

    @staticmethod
    def _find_index_of_match_token(
        word: str, start: int, tokens: Doc, tokens_indices: list[int]
    ) -> int:
        """The first token that ends after ``start`` (the parent's rule), by bisection."""
        i = bisect_right(tokens_indices, start) - 1
        if i >= 0 and start < tokens_indices[i] + len(tokens[i]):
            return i
        if i + 1 < len(tokens_indices):
            return i + 1
        raise ValueError(f"Did not find word '{word}' in the list of tokens")
