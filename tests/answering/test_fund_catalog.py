"""Funds are read from front matter where a company writes it, and from titles, sentences and
table rows where it does not: another company's documents need no front matter."""

from __future__ import annotations

import pytest

from assistant.funds import FundCatalog
from assistant.index.chroma_store import StoredChunk

BODY_ONLY = [
    StoredChunk(
        "c1",
        "| 基金名称 | 基金代码 |\n| 星河稳健纯债A | 007001 |\n| 星河稳健纯债C | 007002 |",
        {"title": "费率表", "source": "fees.md"},
    ),
    StoredChunk(
        "c2",
        "星河货币市场基金（代码：008100）于2020年成立，最低申购100000元。",
        {"title": "星河货币市场基金简介", "source": "mmf.md"},
    ),
    StoredChunk(
        "c3",
        "| 基金全称 | 简称 | 份额与代码 |\n| --- | --- | --- |\n"
        "| 星河全球精选混合型证券投资基金（QDII） | 星河全球 | 人民币A类 009010；人民币C类 009011；"
        "美元现汇A类 009012 |",
        {"title": "旗下基金一览", "source": "funds.md"},
    ),
]


@pytest.fixture(scope="module")
def catalog() -> FundCatalog:
    return FundCatalog.from_chunks(BODY_ONLY)


@pytest.mark.parametrize(
    ("question", "codes", "share_class"),
    [
        ("007002赎回费多少", ("007001", "007002"), "C"),
        ("星河稳健纯债A类的申购费", ("007001", "007002"), "A"),
        ("星河货币市场基金几点截止", ("008100",), None),
        # codes after share-class labels in a table row belong to the fund the row names
        ("009010的基金经理是谁", ("009010", "009011", "009012"), "A"),
        ("星河全球精选混合型证券投资基金的费率", ("009010", "009011", "009012"), None),
    ],
)
def test_a_fund_named_only_in_the_text_is_spotted(
    catalog: FundCatalog, question: str, codes: tuple[str, ...], share_class: str | None
) -> None:
    (mention,) = catalog.spot(question)
    assert mention.fund.codes == codes
    assert mention.share_class == share_class


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("161725这个基金怎么样", ["161725"]),  # another company's fund
        ("007001的费率", []),  # ours
        ("我想买100000元", []),  # an amount, not a code
        ("最低申购100000", ["100000"]),  # a bare six-digit number is read as a code: hand off
    ],
)
def test_a_code_no_document_knows_is_reported(
    catalog: FundCatalog, question: str, unknown: list[str]
) -> None:
    assert catalog.unknown_codes(question) == unknown


def test_an_amount_beside_a_fund_name_is_not_a_code(catalog: FundCatalog) -> None:
    assert "100000" not in {c for f in catalog.funds for c in f.codes}
