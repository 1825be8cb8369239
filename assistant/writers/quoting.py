"""What an extractive answer quotes from one passage: an FAQ's answer as written, a small
passage or table whole, or the few sentences of a section that together cover the question.

The sentences are chosen greedily, each for the question's terms it holds, a term already
quoted counting half (a soft set cover), so three lines that all repeat the fund's name do not
crowd out the one line that holds what was asked: "均衡优选基金经理" had quoted the title, 基金全称 and 基金简称
instead of "基金经理：韩知微". A term weighs by how rare it is among the passage's sentences (an
inverse document frequency within the passage), and less when the passage's title or heading
already carries it: it says where the answer is, not which sentence holds it. A line that
introduces what follows ("赎回费：") travels with it.

A section of up to `WHOLE_CHARS` characters is quoted whole: the choice of sentences is a
lexical guess, and in a short rule it guessed wrong often enough ("现金分红几天到账" quoted the
two sentences that repeat 现金分红 and not "现金红利于红利发放日起2个工作日内划至…") that a
quote missing the answer was the commonest wrong answer on the other companies' documents. A
whole short rule also keeps its conditions and exceptions ("除基金合同另有约定外") beside the
sentence that answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from assistant.retrieval.hybrid import ScoredChunk
from assistant.retrieval.tokenizer import tokenize
from assistant.text import split_sentences

MAX_SENTENCES = 3
WHOLE_CHARS = 400  # a passage this short is quoted whole (about the length of one chat reply)
LOCATING = 0.2  # the weight of a question term the title or heading already carries
REPEATED = 0.5  # the weight of a term an already chosen sentence holds
NUMBER_BONUS = 0.3  # a sentence with a figure, among those sharing a term with the question
# a sentence holding a kind of answer asked for (a duration for 几天) that no chosen one holds
TYPE_BONUS = 1.0
NUMBER = re.compile(r"\d")
_LEAD_IN = ("：", ":", "？", "?")  # a line that introduces what follows: a label, a question


def answer_from(chunk: ScoredChunk, question: str, kinds: Sequence[re.Pattern[str]] = ()) -> str:
    text = chunk.text.strip()
    if chunk.metadata.get("kind") == "faq":
        lines = text.split("\n", 1)
        return lines[1].strip() if len(lines) > 1 else text
    if chunk.metadata.get("kind") == "table" or len(text) <= WHOLE_CHARS:
        return text
    return _best_sentences(text, question, chunk.heading, kinds)


def _best_sentences(
    text: str, question: str, where: str = "", kinds: Sequence[re.Pattern[str]] = ()
) -> str:
    """Keep a small table whole; choose the sentences that together cover the question."""
    blocks = _table_and_text(text)
    block_terms, weight = question_terms(blocks, question, where)
    holds = [{k for k, kind in enumerate(kinds) if kind.search(block)} for block in blocks]
    chosen: list[int] = []
    covered: set[str] = set()
    found: set[int] = set()  # the kinds of answer asked for that a chosen sentence holds
    for _ in range(MAX_SENTENCES):
        gains = [
            sum(weight[t] * (REPEATED if t in covered else 1.0) for t in terms)
            if i not in chosen
            else 0.0
            for i, terms in enumerate(block_terms)
        ]
        scores = [
            g
            + (NUMBER_BONUS if g and NUMBER.search(b) else 0.0)
            + (TYPE_BONUS if g and h - found else 0.0)
            for g, b, h in zip(gains, blocks, holds, strict=True)
        ]
        best = max(range(len(blocks)), key=lambda i: (scores[i], -i), default=None)
        if best is None or scores[best] <= 0:
            break
        chosen.append(best)
        covered |= block_terms[best]
        found |= holds[best]
    if not chosen:
        return "\n".join(blocks[:MAX_SENTENCES])
    return "\n".join(blocks[i] for i in sorted(chosen))


def question_terms(
    blocks: Sequence[str], question: str, where: str = ""
) -> tuple[list[set[str]], dict[str, float]]:
    """The question's terms each block holds, and each term's weight: the rarer among the
    blocks, the more it says which block answers; less where the heading already carries it."""
    wanted = set(tokenize(question))
    named_where = set(tokenize(where))
    block_terms = [set(tokenize(block)) & wanted for block in blocks]
    weight = {
        term: (LOCATING if term in named_where else 1.0)
        * math.log(1 + len(blocks) / max(1, sum(term in terms for terms in block_terms)))
        for term in wanted
    }
    return block_terms, weight


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
    return _with_lead_ins(blocks)


def _with_lead_ins(blocks: list[str]) -> list[str]:
    """A block ending with a colon ("赎回费：") or a question ("问：可以开几个账户？") joined
    with the block after it: quoted alone, it answers nothing."""
    joined: list[str] = []
    for block in blocks:
        if joined and joined[-1].endswith(_LEAD_IN):
            joined[-1] = f"{joined[-1]}\n{block}"
        else:
            joined.append(block)
    return joined
