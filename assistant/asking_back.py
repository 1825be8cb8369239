"""Ask back instead of guessing: "如何申购" could mean the steps, the fees or the cut-off time.

A short question whose best passages answer different things gets a short clarifying reply and
up to three questions taken from those passages (猜你想问), which the client sends with one tap.
The gate asks back only where it would otherwise hand off for low confidence: a question the
passages answer confidently is answered, however short.
"""

from __future__ import annotations

from assistant.retrieval.hybrid import ScoredChunk
from assistant.retrieval.tokenizer import tokenize

MAX_TERMS = 3  # "如何申购", "fees?", "定投": a topic, not yet a question
MAX_SUGGESTIONS = 3
MIN_SIMILARITY = 0.80  # the passages are about the topic at all (e5 cosine)


def suggestions_for(question: str, chunks: list[ScoredChunk]) -> list[str]:
    """Up to three distinct questions the best passages answer, when `question` is too short to
    choose between them; [] when it is not (then the gate answers or hands off)."""
    if len(tokenize(question)) > MAX_TERMS:
        return []
    found: list[str] = []
    for chunk in chunks:
        if (chunk.dense_similarity or 0.0) < MIN_SIMILARITY:
            continue
        label = str(chunk.metadata.get("question") or chunk.section or "").strip()
        if label and label not in found and label.rstrip("？?") != question.rstrip("？?"):
            found.append(label)
        if len(found) == MAX_SUGGESTIONS:
            break
    return found if len(found) >= 2 else []
