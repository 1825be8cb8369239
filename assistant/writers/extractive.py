"""The default writer: offline, deterministic, and unable to add a fact.

It answers with an FAQ's answer as written, or with the sentences of a section that share the
most terms with the question (a small table travels whole). It prefers a passage in the
question's language among the best three, so English questions get the English FAQ.
"""

from __future__ import annotations

import re

from assistant.prompts import PromptLibrary
from assistant.retrieval.hybrid import ScoredChunk
from assistant.retrieval.tokenizer import tokenize
from assistant.text import split_sentences
from assistant.writers.base import WriteRequest, WrittenAnswer, cite

MAX_SENTENCES = 3
CANDIDATES = 4
RANK_WEIGHTS = (1.0, 0.7, 0.5, 0.35)
QUESTION_FLOOR = 0.88
QUESTION_WEIGHT = 8.0
_NUMBER = re.compile(r"\d")


class ExtractiveWriter:
    name = "extractive"

    def __init__(self, prompts: PromptLibrary) -> None:
        self.messages = prompts.rules("messages")
        types = prompts.rules("answer_types")["types"].values()
        self._answer_types = [
            (re.compile(t["question"], re.I), re.compile(t["passage"], re.I)) for t in types
        ]

    def write(self, request: WriteRequest) -> WrittenAnswer:
        if not request.chunks:
            return WrittenAnswer(text="", writer=self.name, support=0.0, notes=["no passage"])
        chunk = self._pick(request)
        body = _answer_from(chunk, request.question)
        notes = [f"quoted {chunk.metadata.get('kind', 'section')} {chunk.id}"]
        chunk_language = str(chunk.metadata.get("language") or request.language)
        if chunk_language != request.language:
            body = f"{self.messages['cross_language_note'][request.language]}\n{body}"
            notes.append("cross-language passage")
        return WrittenAnswer(
            text=body,
            citations=[cite(chunk)],
            used_chunks=[chunk],
            support=1.0,
            writer=self.name,
            prompt_version=self.messages["version"],
            notes=notes,
        )

    def _pick(self, request: WriteRequest) -> ScoredChunk:
        """Among the best few passages, the one that answers: retrieval rank first, then how
        much of the question it covers, whether it holds the kind of answer asked for (a
        duration for 多久, a rate for 费率), the share class asked about, and the language."""
        chunks, language = request.chunks, request.language
        wanted = [p for q, p in self._answer_types if q.search(request.question)]
        terms = set(tokenize(request.question))
        share_class = _class_marks(request)
        best, best_score = chunks[0], -1.0
        for rank, chunk in enumerate(chunks[:CANDIDATES]):
            text = f"{chunk.metadata.get('section') or ''} {chunk.text}"
            coverage = len(terms & set(tokenize(text))) / len(terms) if terms else 0.0
            kinds = 1.0 if any(p.search(chunk.text) for p in wanted) else 0.0
            same_language = chunk.metadata.get("language", language) == language
            names_class = any(mark in text for mark in share_class)
            score = RANK_WEIGHTS[rank] + coverage + 0.6 * kinds + (0.3 if same_language else 0.0)
            score += 0.4 if names_class else 0.0
            if chunk.question_similarity is not None:
                # e5 query-to-query: paraphrases of a question score 0.93-0.96, others <= 0.88.
                score += QUESTION_WEIGHT * max(0.0, chunk.question_similarity - QUESTION_FLOOR)
            if score > best_score:
                best, best_score = chunk, score
        return best


def _class_marks(request: WriteRequest) -> tuple[str, ...]:
    """How a passage names the share class asked about: 'C类', 'class C', its fund code."""
    if not request.share_class:
        return ()
    marks = [
        f"{request.share_class}类",
        f"class {request.share_class}",
        f"Class {request.share_class}",
    ]
    if request.fund is not None:
        code = request.fund.code_for_class(request.share_class)
        if code:
            marks.append(code)
    return tuple(marks)


def _answer_from(chunk: ScoredChunk, question: str) -> str:
    text = chunk.text.strip()
    if chunk.metadata.get("kind") == "faq":
        lines = text.split("\n", 1)
        return lines[1].strip() if len(lines) > 1 else text
    if chunk.metadata.get("kind") == "table" or len(text) <= 160:
        return text
    return _best_sentences(text, question)


def _best_sentences(text: str, question: str) -> str:
    """Keep a small table whole; choose the sentences richest in the question's terms."""
    blocks = _table_and_text(text)
    wanted = set(tokenize(question))
    scored: list[tuple[float, int, str]] = []
    for position, block in enumerate(blocks):
        terms = set(tokenize(block))
        overlap = len(wanted & terms)
        score = overlap + (0.5 if _NUMBER.search(block) else 0.0)
        scored.append((score, position, block))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:MAX_SENTENCES]
    if not best or best[0][0] == 0:
        return "\n".join(blocks[:MAX_SENTENCES])
    chosen = sorted(best, key=lambda item: item[1])
    return "\n".join(block for score, _, block in chosen if score > 0)


def _table_and_text(text: str) -> list[str]:
    blocks: list[str] = []
    table: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            table.append(line)
            continue
        if table:
            blocks.append("\n".join(table))
            table = []
        blocks.extend(split_sentences(line))
    if table:
        blocks.append("\n".join(table))
    return blocks
