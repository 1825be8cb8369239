"""Funds are read from front matter where a company writes it, and from titles, sentences and
table rows where it does not: another company's documents need no front matter."""

from __future__ import annotations

import pytest

from assistant.fund_names import names_after_brand
from assistant.funds import FundCatalog, classes_asked, classes_named
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


SHARE_CLASSES = [
    StoredChunk(
        "d1",
        "| 基金名称 | 份额与代码 |\n| --- | --- |\n"
        "| 星河添利货币市场基金 | A类 018001；B类 018002 |\n"
        "| 星河稳享纯债债券型证券投资基金 | A类 018101；C类 018102 |\n"
        "| 星河沪深300指数增强型证券投资基金 | A类 018201；C类 018202 |",
        {"title": "旗下基金一览", "source": "funds.md"},
    ),
    StoredChunk(
        "d2",
        "## 一、星河添利货币（A类018001、B类018002）\n销售服务费A类0.25%，B类0.01%。",
        {"title": "费率一览", "source": "fees.pdf"},
    ),
]


@pytest.fixture(scope="module")
def classed() -> FundCatalog:
    return FundCatalog.from_chunks(SHARE_CLASSES)


@pytest.mark.parametrize(
    ("question", "codes", "share_class", "offered"),
    [
        # short names derived from the full name: the type dropped, then the shared brand
        ("星河稳享纯债E类份额代码是多少", ("018101", "018102"), "E", False),
        ("稳享纯债c的赎回费", ("018101", "018102"), "C", True),
        ("添利货币C类的销售服务费", ("018001", "018002"), "C", False),  # A/B only
        ("添利B类销售服务费", ("018001", "018002"), "B", True),
        ("沪深300a申购费", ("018201", "018202"), "A", True),
    ],
)
def test_short_names_and_the_share_classes_a_fund_offers(
    classed: FundCatalog, question: str, codes: tuple[str, ...], share_class: str, offered: bool
) -> None:
    (mention,) = classed.spot(question)
    assert mention.fund.codes == codes
    assert mention.share_class == share_class
    assert mention.fund.offers(share_class) is offered


def test_classes_are_not_judged_when_the_documents_do_not_label_every_code(
    catalog: FundCatalog,
) -> None:
    # 星河全球: two codes labelled A (RMB and USD): the labels do not tell the classes apart
    (mention,) = catalog.spot("009010的E类")
    assert mention.fund.offers("E") is None
    assert mention.fund.code_for_class("B") == "009011"  # the old positional reading stands


def test_a_code_names_the_class_the_documents_label_it(classed: FundCatalog) -> None:
    (mention,) = classed.spot("018002第一次买最少多少钱")
    assert mention.share_class == "B" and mention.fund.offers("B") is True


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("星河短债C赎回几天到账", ["星河短债"]),  # a fund of the brand the documents never name
        ("星河养老2045什么时候能买", ["星河养老2045"]),
        ("星河中证500指数基金管理费多少", ["星河中证500指数"]),  # the type word past 6 characters
        ("星河稳享1年纯债什么时候开放", ["星河稳享1年纯债"]),  # starts like ours, adds a term
        ("星河稳享纯债会买股票吗", []),  # ours
        ("星河稳享债什么时候开放", []),  # ours, shortened
        ("星河300指数费率", []),  # ours, shortened
        ("星河添利货币C类", []),  # ours (its class is judged apart)
        ("星河的货币基金收益怎么样", []),  # the company's funds in general
        ("星河有没有ETF", []),
        ("星河怎么买基金", []),  # a question, not a name
        ("星河一共管几只公募基金", []),  # counts the funds, names none
        ("星河总共管理多少只基金", []),
        ("星河客服电话多少", []),  # after the brand, but nothing fund-like
    ],
)
def test_a_fund_like_name_after_the_brand_that_shortens_none_of_ours_is_unknown(
    classed: FundCatalog, question: str, unknown: list[str]
) -> None:
    assert classed.brand == "星河"
    assert names_after_brand(classed, question) == unknown


def test_two_funds_read_from_one_overview_are_both_spotted() -> None:
    """Funds found in the text share the document they were read from; one question naming
    two of them had been one mention."""
    overview = StoredChunk(
        "o1",
        "| 基金名称 | 代码 |\n| --- | --- |\n| 星河稳健纯债A | 007001 |\n| 星河货币市场基金 | 008100 |",
        {"title": "旗下基金一览", "source": "funds.md"},
    )
    named = FundCatalog.from_chunks([overview]).spot("星河稳健纯债和星河货币市场基金哪个好")
    assert {m.fund.codes for m in named} == {("007001",), ("008100",)}


@pytest.mark.parametrize(
    ("passage", "named"),
    [
        ("申购费（A类份额，前端收费）", {"A"}),
        ("A类、C类份额的赎回费相同", {"A", "C"}),
        ("A/C类份额", {"A", "C"}),
        ("Class A subscription fees are charged on a net basis", {"A"}),
        ("Is Class A or Class C cheaper?", {"A", "C"}),
        ("Classes A and C share one portfolio", {"A", "C"}),
        ("养老2045 Y类份额不收取申购费", {"Y"}),
        ("| 鹤汀安享纯债A | M＜100万元 | 0.80% |", {"A"}),
        ("鹤汀添益货币A/B/E 不限", {"A", "B", "E"}),
        ("星河纯债C（024621）", {"C"}),
        ("A股市场与B站用户", set()),  # a market and a website, not share classes
        ("投资A股和H股，完成B轮融资", set()),
        ("ABC类资产", set()),
        ("各项费用按日计提", set()),
    ],
)
def test_the_share_classes_a_passage_names(passage: str, named: set[str]) -> None:
    assert classes_named(passage) == named


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("qdii美元c有申购费吗", {"C"}),  # after a currency, lower-case
        ("c类收申购费吗", {"C"}),
        ("A类能转成C类吗", {"A", "C"}),
        ("What is the minimum first purchase for the money fund E class?", {"E"}),
        ("Can I switch A shares into C shares", {"A", "C"}),
        ("redemption fee for US tech QDII C after 10 days", {"C"}),
        ("subscription fee for Advanced Manufacturing A if I buy 2 million yuan?", {"A"}),
        ("Do you have a USD class C?", {"C"}),
        ("What is the fee of E Fund Blue Chip Select?", set()),  # a company's name
        ("Is the CSI A500 index fund an ETF?", set()),
        ("A股能买吗", set()),
        ("c4能买吗", set()),  # a risk level
    ],
)
def test_the_share_classes_a_message_asks_about_without_naming_a_fund(
    message: str, asked: set[str]
) -> None:
    """A passage naming only other classes does not answer these (`_about_what_is_asked`)."""
    assert classes_asked(message) == asked


CUT_NAMES = [
    StoredChunk(
        "c1",
        "| 基金名称 | 基金代码 |\n| 星河恒信6个月定开债A | 010001 |\n| 星河恒信6个月定开债C | 010002 |\n"
        "| 星河红利低波指数A | 010101 |\n| 星河红利低波指数C | 010102 |",
        {"title": "费率表", "source": "fees.md"},
    ),
    StoredChunk(
        "c2",
        "分红方式分为现金分红和红利再投资两种，默认现金分红。",
        {"title": "分红规则", "source": "dividends.md"},
    ),
]


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        # a head of a short name the documents write only where they name the fund
        ("恒信定开什么时候开放", ("010001", "010002")),
        ("红利低波跟踪什么指数", ("010101", "010102")),
        # 红利 alone is the documents' word for something else (红利再投资)
        ("红利再投资怎么改", None),
    ],
)
def test_a_fund_cut_short_as_clients_write_it_is_spotted(
    question: str, codes: tuple[str, ...] | None
) -> None:
    mentions = FundCatalog.from_chunks(CUT_NAMES).spot(question)
    assert [m.fund.codes for m in mentions] == ([codes] if codes else [])


NUMBERED = [
    StoredChunk(
        "n1",
        "| 基金名称 | 份额与代码 |\n| --- | --- |\n"
        "| 星河颐年养老目标日期2040三年持有期混合型发起式基金中基金（FOF） | A类 011001；Y类 011002 |\n"
        "| 星河中证A500指数型证券投资基金 | A类 011101；C类 011102 |\n"
        "| 星河恒信6个月定期开放债券型证券投资基金 | A类 011201；C类 011202 |\n"
        "| 星河日日盈货币市场基金 | A类 011301；B类 011302 |",
        {"title": "旗下基金一览", "source": "funds.md"},
    ),
    StoredChunk(
        "n2",
        "星河颐年养老目标日期2040三年持有期混合型发起式基金中基金（FOF）"
        "（以下简称\u201c颐年2040\u201d或\u201c颐年\u201d）",
        {"title": "颐年2040产品说明", "source": "yinian.md"},
    ),
]


@pytest.mark.parametrize(
    ("question", "other"),
    [
        # our name going on with a number none of our names holds: another fund
        ("颐年2050有没有Y类", ["颐年2050"]),
        ("星河颐年2050能买吗", ["颐年2050"]),
        ("恒信3个月定开什么时候开放", ["恒信3"]),
        # hard negatives: our own number, a class after it, dates, amounts and terms of ours
        ("颐年2040有没有Y类", []),
        ("颐年2040a类费率", []),
        ("颐年3年持有期到了怎么赎回", []),  # our 三年, in digits: not the length of 2040
        ("恒信12月几号开放", []),
        ("恒信6个月定开什么时候开放", []),
        ("日日盈7日年化多少", []),  # no name of ours has a number after 日日盈
        ("中证A500指数C类费率", []),
    ],
)
def test_a_name_of_ours_going_on_with_another_number_is_another_fund(
    question: str, other: list[str]
) -> None:
    assert FundCatalog.from_chunks(NUMBERED).names_with_other_numbers(question) == other


def test_a_name_that_drops_part_of_our_funds_number_does_not_shorten_it() -> None:
    catalog = FundCatalog.from_chunks(NUMBERED)
    assert names_after_brand(catalog, "星河中证500指数管理费多少") == ["星河中证500指数"]
    assert names_after_brand(catalog, "星河中证A500指数管理费多少") == []


@pytest.mark.parametrize(
    ("message", "fund_code", "pointed"),
    [
        ("恒信开放期什么时候", "011201", True),  # a word of its names no other fund has
        ("指数型的管理费多少", "011101", True),
        ("管理费多少", "011201", False),
        ("基金经理是谁", "011001", False),  # 基金 is in every fund's name
    ],
)
def test_a_message_points_to_a_fund_by_a_word_of_its_names_few_funds_share(
    message: str, fund_code: str, pointed: bool
) -> None:
    catalog = FundCatalog.from_chunks(NUMBERED)
    fund = catalog.by_code(fund_code)
    assert fund is not None
    assert catalog.pointed_to(message, fund) is pointed


def test_a_passage_is_about_one_fund_only_if_its_codes_are_one_funds() -> None:
    catalog = FundCatalog.from_chunks(NUMBERED)
    fund = catalog.fund_of(["011201", "011202"])
    assert fund is not None and fund.codes == ("011201", "011202")
    assert catalog.fund_of(["011201", "011101"]) is None
    assert catalog.fund_of([]) is None


PENSION = [
    StoredChunk(
        "p1",
        "| 基金名称 | 份额与代码 |\n| --- | --- |\n"
        "| 星河养老目标日期2045三年持有期混合型发起式基金中基金（FOF） | A类 011401；Y类 011402 |\n"
        "| 星河稳享纯债债券型证券投资基金 | A类 011501；C类 011502 |",
        {"title": "旗下基金一览", "source": "funds.md"},
    ),
    StoredChunk(
        "p2",
        "基金简称：星河养老2045\n本基金为目标日期基金。",
        {"title": "产品要素", "source": "p.md"},
    ),
]


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("星河养老2045A类管理费多少", []),  # the class's letter after our number: ours
        ("星河养老2045Y类怎么买", []),
        ("星河养老2050A类管理费", ["星河养老2050"]),  # another number: another fund
    ],
)
def test_a_class_letter_after_a_names_number_is_the_class_not_the_name(
    question: str, unknown: list[str]
) -> None:
    assert names_after_brand(FundCatalog.from_chunks(PENSION), question) == unknown
