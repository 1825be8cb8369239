"""The coverage check with the market terms in force: a topic the question names is uncovered
only while no document mentions any of its words."""

from __future__ import annotations

import re

import pytest

from assistant.coverage import CoverageCheck
from assistant.models import TurnRequest
from assistant.prompts import PromptLibrary

CORPUS = """融通全球科技精选混合(QDII) 投资于美国、中国香港等境外市场上市的科技公司。
融通沪深300指数增强 标的指数：沪深300指数。货币基金份额可用于快速申购。"""


@pytest.fixture(scope="module")
def check() -> CoverageCheck:
    return CoverageCheck.from_prompts(PromptLibrary())


def in_corpus(pattern: re.Pattern[str]) -> bool:
    return pattern.search(CORPUS) is not None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("你们有新能源主题基金吗", "new_energy"),
        ("有没有医药方向的基金", "healthcare"),
        ("中证500的指数基金你们有吗", "other_a_share_indices"),
        ("支付宝上能买你们的基金不", "third_party_platforms"),
        ("基金能转托管到别家吗", "custody_transfer"),
        ("do you offer any ESG funds?", "esg"),
        ("can I buy a Nasdaq index fund with you", "overseas_indices"),
        ("Do you issue paper certificates for fund units?", "paper_certificates"),
    ],
)
def test_a_topic_no_document_mentions_is_uncovered(
    check: CoverageCheck, question: str, topic: str
) -> None:
    assert [u.topic for u in check.uncovered(question, in_corpus)] == [topic]


@pytest.mark.parametrize(
    "question",
    [
        "有没有投美股的基金",  # us_stocks: the documents say 美国
        "QDII能投香港的股票吗",
        "你们有货币基金吗",  # not a market term at all
        "沪深300增强的申购费多少",
        "how do I use netflix-style autopay",  # 'ETF' inside a word is not ETF
        "赎回多久到账",
        "你们的基金在券商能买吗",  # a broker as a channel, not the brokerage sector
    ],
)
def test_a_topic_the_documents_mention_or_no_topic_is_covered(
    check: CoverageCheck, question: str
) -> None:
    assert check.uncovered(question, in_corpus) == []


def test_a_document_that_mentions_the_topic_covers_it(check: CoverageCheck) -> None:
    def with_new_fund(pattern: re.Pattern[str]) -> bool:
        return pattern.search(CORPUS + "\n融通新能源主题混合：投资于光伏、储能等行业。") is not None

    assert check.uncovered("你们有新能源主题基金吗", with_new_fund) == []


def test_every_topic_has_words_and_the_file_a_version() -> None:
    rules = PromptLibrary().rules("market_terms")
    assert rules["version"]
    assert all(terms for terms in rules["topics"].values())


def test_the_live_index_answers_what_it_mentions(components) -> None:  # type: ignore[no-untyped-def]
    assert components.retriever.mentions(re.compile("境外"))
    assert not components.retriever.mentions(re.compile("新能源"))


@pytest.mark.parametrize(
    "message", ["你们有新能源主题基金吗 想了解下", "do you have a healthcare sector fund?"]
)
def test_an_uncovered_topic_hands_off_with_its_evidence(pipeline, message: str) -> None:  # type: ignore[no-untyped-def]
    reply = pipeline.handle(TurnRequest(message=message))
    assert reply.route == "handoff"
    assert reply.reasons == ["low_confidence"]
    assert reply.explanation.evidence["uncovered"]
    assert "market-terms" in reply.explanation.rules_version
