"""Currency share classes: where the documents write a currency beside every code of a fund, a
class asked for by currency that no code has (港币份额, 美元C类, USD class C) is not offered."""

from __future__ import annotations

import pytest

from assistant.fund_currencies import currency_of, letter_after_currency
from assistant.funds import FundCatalog
from assistant.index.chroma_store import StoredChunk

QDII = [
    StoredChunk(
        "q1",
        "| 项目 | 内容 |\n| --- | --- |\n| 基金简称 | 星河全球医疗QDII |\n"
        "| 人民币A类份额代码 | 024690 |\n| 人民币C类份额代码 | 024691 |\n"
        "| 美元现汇A类份额代码 | 024692 |\n| 美元现钞A类份额代码 | 024693 |",
        {"source": "chanpin/星河全球医疗QDII_产品资料概要.docx",
         "title": "星河全球医疗健康股票型证券投资基金（QDII）产品资料概要"},
    ),
    StoredChunk(
        "q2",
        "| 基金名称 | 代码 |\n| --- | --- |\n| 星河稳健纯债A | 007001 |\n| 星河稳健纯债C | 007002 |\n"
        "| 星河添利货币A | 008100 |",
        {"source": "fees.md", "title": "费率表"},
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def catalog() -> FundCatalog:
    return FundCatalog.from_chunks(QDII)


@pytest.mark.parametrize(
    ("question", "currency", "offered"),
    [
        ("全球医疗有港币份额吗", "港币", False),
        ("全球医疗有日元份额吗", "日元", False),
        ("全球医疗美元C类的销售服务费", "美元", False),
        ("全球医疗美元现汇C怎么买", "美元", False),
        ("全球医疗 USD class C fee", "美元", False),
        ("全球医疗美元份额能定投吗", "美元", True),
        ("全球医疗美元现钞A最低买多少", "美元", True),
        ("全球医疗人民币C类费率", "人民币", True),
        # a fund whose codes carry no currency is not judged by one
        ("稳健纯债人民币份额费率", "人民币", None),
    ],
)
def test_a_currency_class_the_fund_lacks_is_not_offered(
    catalog: FundCatalog, question: str, currency: str, offered: bool | None
) -> None:
    (mention,) = catalog.spot(question)
    assert mention.currency == currency
    assert mention.fund.offers(mention.share_class, mention.currency) is offered


@pytest.mark.parametrize(
    ("text", "currency", "letter"),
    [
        ("港币份额", "港币", None),
        ("HKD class", "港币", None),
        ("美元现汇C的申购费", "美元", "C"),
        ("the US dollar class", "美元", None),
        ("最低1000元", None, None),
    ],
)
def test_currency_words(text: str, currency: str | None, letter: str | None) -> None:
    assert currency_of(text) == currency
    assert letter_after_currency(text) == letter
