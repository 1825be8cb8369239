"""Passages that send the reader to another document: 两类份额的差别在于销售服务费不同，具体见
《费率一览》. Quoted, such a passage answers a fee question with a pointer, at high confidence,
because it names the very thing asked for. A client asking about what the pointer defers to is
served by the document it points to, so that document's best passage for the question ranks
just above the pointer (the passage ranker then weighs both).

The pointer is found by a pattern from `prompts/retrieval.yaml` (`reference_pattern`: the cue
and the quoted title), the target by the titles of the live documents, so any company's own
cross-references work; a title no live document carries (招募说明书 not ingested) is no
reference. A pointer is followed only when its sentence, the title left out (the brand is in every
question), shares a word with the question: the product page's "B类份额代码017302，首次申购最低金额为500万元" still answers a question about the
minimum, though the same passage defers the fees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.index.chroma_store import StoredChunk
from assistant.retrieval.tokenizer import tokenize
from assistant.text import split_sentences

_QUOTED_TITLE = re.compile(r"《[^《》]*》")
_NOT_IN_TITLE = re.compile(r"[\s《》〈〉（）()【】\[\]「」“”\"'·:：,，、.。]")
MIN_TITLE_CHARS = 4  # a shorter title (费率, 公告) would match too much as a part of another


@dataclass(frozen=True)
class Reference:
    """A sentence of one passage deferring to another live document."""

    source: str
    words: frozenset[str]


def _bare(title: str) -> str:
    return _NOT_IN_TITLE.sub("", title).lower()


def _target(title: str, sources_by_title: dict[str, str]) -> str | None:
    """The live document a quoted title names: the same title, or one containing the other
    (《费率一览》 for 青岚基金旗下公募基金费率一览（2026年版）)."""
    bare = _bare(title)
    if len(bare) < MIN_TITLE_CHARS:
        return None
    if bare in sources_by_title:
        return sources_by_title[bare]
    found = {s for t, s in sources_by_title.items() if bare in t or t in bare}
    return found.pop() if len(found) == 1 else None


def find_references(
    chunks: list[StoredChunk], pattern: re.Pattern[str]
) -> dict[int, list[Reference]]:
    """Per chunk position, the other live documents its sentences defer to."""
    sources_by_title: dict[str, str] = {}
    for chunk in chunks:
        title = _bare(str(chunk.metadata.get("title") or ""))
        if len(title) >= MIN_TITLE_CHARS:
            sources_by_title.setdefault(title, str(chunk.metadata.get("source")))
    found: dict[int, list[Reference]] = {}
    for position, chunk in enumerate(chunks):
        if not pattern.search(chunk.text):
            continue
        own = str(chunk.metadata.get("source"))
        for sentence in split_sentences(chunk.text):
            for title in pattern.findall(sentence):
                source = _target(title, sources_by_title)
                if source is not None and source != own:
                    words = tokenize(_QUOTED_TITLE.sub(" ", sentence))
                    reference = Reference(source, frozenset(words))
                    found.setdefault(position, []).append(reference)
    return found


def followed(references: list[Reference], question_words: Iterable[str]) -> list[str]:
    """The documents a passage's pointers send this question to: those whose pointing sentence
    shares a word of two or more characters with the question."""
    asked = {w for w in question_words if len(w) >= 2}
    return list(dict.fromkeys(r.source for r in references if r.words & asked))
