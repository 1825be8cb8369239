"""The pair reader: e5 reading a question and a candidate passage together (a cross-encoder).

The passage ranker's features (`passage_ranker.py`) look at the question and the passage apart:
similarities of two vectors, shared terms, whether a figure of the kind asked for is there. No
combination of them told "the manager's row of the fund's table" from "the fund's tag line"
(鹤汀红利低波的基金经理), or the USD classes' minimum from their redemption rule: session 19
refitted them every way without gain. This reader is e5's first six layers, the top three
fine-tuned to read `query: <question> passage: <heading> <quote>` as one text and score it, trained
listwise over the five candidates of labelled questions (`python -m evals.train_pair_reader`).
The ranker adds its score, standardised over the candidates, to its own (`pair_reader.weight`).

It runs by onnxruntime on the caller's thread, one candidate a call, its weight matrices int8
(`assistant/encoder/onnx.py`), and reads only the linear ranker's first three candidates, each
in 128 pieces: ~20 ms a turn. A quote too long for them is read by its lines that hold the
question's terms (`fitted_quote`, v2 on): cut at its end, half the candidates had been read
without the line that answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import torch

from assistant.encoder import E5Encoder
from assistant.encoder.finetuned import load_finetuned
from assistant.encoder.onnx import TokenStates, card_smoothing, onnx_session, run, word_vectors
from assistant.encoder.tokenizer import E5Tokenizer
from assistant.text import split_sentences
from assistant.writers.quoting import NUMBER, NUMBER_BONUS, question_terms

# Question, heading and quote in pieces; a longer quote is fitted to them (`fitted_quote`) for
# a reader trained so (its card's `quotes`), else cut at its end. The card of a reader says the
# length it was trained at.
MAX_TOKENS = 128
# int8 except the head, e5's feed-forward inputs smoothed first (the card's `int8_smooth`, as the
# name tagger does, `assistant/redaction/e5_ner.py`): a pair of ~114 pieces in 6.4 ms instead of
# 16.4 in float, and of v1's 979 training questions with a right candidate the ranker picks right
# for 879 either way (plain int8: 874).
INT8_KEEP_FLOAT = ("head",)
_RULE = re.compile(r"^\s*\|(\s*:?-{2,}:?\s*\|)+\s*$")  # a Markdown table's |---|---| line


def pair_text(question: str, heading: str, quote: str) -> str:
    return f"query: {question}\npassage: {heading}\n{quote}"


def fitted_quote(
    tokenizer: E5Tokenizer, question: str, heading: str, quote: str, expanded: str = ""
) -> str:
    """The quote as the reader reads it: whole when the pair fits its pieces; otherwise the
    lines (sentences, table rows) that hold the question's terms (`expanded`'s: the question
    with the documents' words for the client's, so that "custodian" finds 托管人), the most
    telling first, then the rest while there is room, in the passage's order, a table row with
    its header.

    Cut at its end, a quote long enough to be cut (half the candidates) hid its answer from the
    reader: of 1,605 training questions with a right candidate, 372 had the fact asked for past
    the 128th piece of every right one (the fund's manager in the profile's eighth row)."""
    room = tokenizer.max_tokens - 2 - tokenizer.count(pair_text(question, heading, ""))
    if tokenizer.count(quote) <= room:
        return quote
    lines, headers = _lines_and_headers(quote)
    block_terms, weight = question_terms(lines, expanded or question, heading)
    gains = [sum(weight[t] for t in terms) for terms in block_terms]
    told = [
        gain + (NUMBER_BONUS if gain and NUMBER.search(line) else 0.0)
        for gain, line in zip(gains, lines, strict=True)
    ]
    kept: set[int] = set()
    used = 0
    for i in sorted(range(len(lines)), key=lambda i: (-told[i], i)):
        adding = [j for j in (*headers[i], i) if j not in kept]
        cost = sum(tokenizer.count(lines[j]) + 1 for j in adding)
        if used + cost <= room:
            kept.update(adding)
            used += cost
    return "\n".join(lines[i] for i in sorted(kept)) or quote


def _lines_and_headers(quote: str) -> tuple[list[str], list[tuple[int, ...]]]:
    """The quote's sentences and table rows, and for each table row below a header the
    header's lines (its first row and the |---| rule), which say what the row's cells are."""
    lines: list[str] = []
    headers: list[tuple[int, ...]] = []
    header: tuple[int, ...] = ()
    for line in quote.splitlines():
        if not line.lstrip().startswith("|"):
            header = ()
            for sentence in split_sentences(line):
                lines.append(sentence)
                headers.append(())
            continue
        if _RULE.match(line) and lines and not header and lines[-1].lstrip().startswith("|"):
            header = (len(lines) - 1, len(lines))
            lines.append(line.strip())
            headers.append(())
            continue
        lines.append(line.strip())
        headers.append(header)
    return lines, headers


def pair_tokenizer(encoder: E5Encoder, max_tokens: int = MAX_TOKENS) -> E5Tokenizer:
    """e5's tokenizer cutting at `max_tokens`, the end token kept (build it once: each one
    loads the 250k-piece model)."""
    return E5Tokenizer(encoder.tokenizer.vocabulary, max_tokens)


class PairNetwork(torch.nn.Module):
    """e5's token states for the pair, mean-pooled, then the head: one score."""

    def __init__(self, encoder: E5Encoder, head: dict[str, torch.Tensor]) -> None:
        super().__init__()
        self.states = TokenStates(encoder)
        self.head = torch.nn.Linear(head["weight"].shape[1], 1)
        self.head.load_state_dict(head)

    def forward(self, vectors: torch.Tensor) -> torch.Tensor:
        return self.head(self.states(vectors).mean(1))


class PairReader:
    """The reader in a file (`load_finetuned`), run int8 by onnxruntime as its card says."""

    def __init__(self, path: Path) -> None:
        reader = load_finetuned(path)
        self.encoder = reader.encoder
        self.version: str = reader.card["version"]
        self.tokenizer = pair_tokenizer(reader.encoder, int(reader.card.get("max_tokens", 256)))
        # v1 was trained on quotes cut at their end, v2 on fitted ones: each reads as trained
        self.fits_quotes = reader.card.get("quotes") == "fitted"
        self.network = PairNetwork(reader.encoder, reader.head).eval()
        example = self._vectors("管理费多少", "费用", "管理费1.20%")
        smooth = card_smoothing(reader.card.get("int8_smooth"))
        self.session = onnx_session(self.network, example, INT8_KEEP_FLOAT, smooth)

    def _vectors(self, question: str, heading: str, quote: str, expanded: str = "") -> np.ndarray:
        if self.fits_quotes:
            quote = fitted_quote(self.tokenizer, question, heading, quote, expanded)
        ids = self.tokenizer.encode(pair_text(question, heading, quote)).ids
        return word_vectors(self.encoder, ids)

    def scores(
        self, question: str, headings: Sequence[str], quotes: Sequence[str], engine: str = "onnx"
    ) -> np.ndarray:
        """One score per candidate: higher, the likelier it answers (`engine` "torch" runs the
        same network in float torch, for the tests)."""
        return np.array(
            [self.score(question, h, q, engine) for h, q in zip(headings, quotes, strict=True)]
        )

    def score(
        self, question: str, heading: str, quote: str, engine: str = "onnx", expanded: str = ""
    ) -> float:
        """One pair's score (the ranker reads each candidate against its own question;
        `expanded`, see `fitted_quote`)."""
        vectors = self._vectors(question, heading, quote, expanded)
        return float(np.ravel(run(self.session, self.network, vectors, engine))[0])


@cache
def load_pair_reader(path: Path) -> PairReader:
    """One reader a process, shared by every ranker that names the file."""
    return PairReader(path)
