"""Ask back instead of guessing: "如何申购" could mean the steps, the fees or the cut-off time.

A short question whose best passages answer different things gets a short clarifying reply and
up to three questions taken from those passages (猜你想问), which the client sends with one tap.
The gate asks back only where it would otherwise hand off for low confidence: a question the
passages answer confidently is answered, however short.

One exception: a question that several funds answer differently and that names none (管理费多少,
基金经理是谁, what is the management fee?) is asked back whatever the confidence, with the
funds as suggestions (`fund_choices`). Retrieval picks one fund's fee table as surely as any
other's, and quoting it is the wrong fee for the client's fund: the worst answer we can give.
"""

from __future__ import annotations

from assistant.funds import FundCatalog
from assistant.retrieval.hybrid import ScoredChunk
from assistant.retrieval.tokenizer import tokenize

MAX_TERMS = 3  # "如何申购", "fees?", "定投": a topic, not yet a question
MAX_SUGGESTIONS = 3
MIN_SIMILARITY = 0.80  # the passages are about the topic at all (e5 cosine)
# Another fund's passage this close (e5 cosine) to the best one: the question does not choose.
# 0.01 and at most four terms: on the dev companies, whose questions name their funds, 0.02 or
# any length asked back 3-20 questions that the documents answered right (kb4 0.890 -> 0.804
# answered with no limit).
FUND_MARGIN = 0.01
MAX_FUND_TERMS = 4


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


def fund_choices(
    question: str, chunks: list[ScoredChunk], catalog: FundCatalog, language: str
) -> list[str]:
    """The question asked of each of up to three funds, when the best passage is about one
    fund, the question names none, and a passage about another fund matches it about as
    closely; [] otherwise."""
    about = [c for c in chunks if c.about_funds and c.dense_similarity is not None]
    short = len(tokenize(question)) <= MAX_FUND_TERMS
    if not short or not chunks or not chunks[0].about_funds or not about:
        return []
    best = max(c.dense_similarity or 0.0 for c in about)
    funds: list[tuple[str, ...]] = []
    for chunk in about:
        codes = tuple(chunk.about_funds)
        close = (chunk.dense_similarity or 0.0) >= best - FUND_MARGIN
        if close and not any(set(codes) & set(seen) for seen in funds):
            funds.append(codes)
    if len(funds) < 2:
        return []
    names = [_short_name(catalog, codes, language) for codes in funds[:MAX_SUGGESTIONS]]
    asked = question.strip().rstrip("？?")
    if language == "en":
        return [f"{asked} ({name})?" for name in names if name]
    return [f"{name}{asked}" for name in names if name]


def _short_name(catalog: FundCatalog, codes: tuple[str, ...], language: str) -> str:
    """The shortest name of the fund a client would recognise (four characters or more, not the
    cut heads clients type, 红利低): Chinese for Chinese, for English an English name the
    documents write (two words or more: not the pinyin words a client may type, Quanqiu)."""
    fund = next((f for code in codes if (f := catalog.by_code(code)) is not None), None)
    if fund is None:
        return ""
    latin = [a for a in fund.aliases if a.isascii() and " " in a]
    chinese = [a for a in fund.aliases if not a.isascii() and len(a) >= 4] or [fund.name]
    return min(latin if language == "en" and latin else chinese, key=len)
