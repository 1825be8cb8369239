"""Funds named in a question that no live document knows, with or without the brand; and the
short names (简称) the documents declare for the funds they do know."""

from __future__ import annotations

import pytest

from assistant.fund_names import names_no_document_knows
from assistant.fund_short_names import written_short_names
from assistant.funds import FundCatalog
from assistant.index.chroma_store import StoredChunk
from assistant.index.embeddings import E5SmallEmbedding
from assistant.retrieval.tokenizer import tokenize

DOCUMENTS = [
    "星河稳健纯债债券型证券投资基金（简称\u201c星河纯债\u201d）投资于国债、金融债，不投资股票。",
    "星河沪深300指数增强型证券投资基金（以下简称\u201c300增强\u201d或\u201c沪深300增强\u201d）跟踪沪深300指数。",
    "| 基金名称 | 简称 | 代码 |\n| --- | --- | --- |\n"
    "| 星河全球科技精选混合型证券投资基金（QDII） | 星河全球科技 | A类 013970 |",
    "基金名称：星河均衡优选混合型证券投资基金\n基金简称：星河均衡A / 星河均衡C\n",
    "The Xinghe Pure Bond Fund invests in government bonds. Our money market fund pays daily.",
    "本公司暂无ETF、LOF和FOF产品；货币基金、混合基金和指数基金均可在App购买。",
]
TERMS = frozenset(t for text in DOCUMENTS for t in tokenize(text))
KNOWN = ["星河稳健纯债", "星河纯债", "纯债", "300增强", "沪深300", "全球科技", "均衡优选"]


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        # names no document writes: another company's fund, a theme we have no fund for
        ("你家有没有恒生科技指数基金，最低买多少", True),
        ("你们家的医药基金怎么样", True),
        ("易方达蓝筹精选混合费率多少", True),
        ("招商中证白酒指数基金C类怎么买", True),
        ("minimum for the Xinghe Short-Term Bond Fund class A?", True),
        ("Who manages the Xinghe Dividend Low Volatility Index Fund", True),
        # hard negatives: our funds by their names, shorthand and kinds; no fund at all
        ("星河纯债基金的经理是谁", False),
        ("300指增基金C类费率", False),
        ("那个均衡的混合基金风险高吗", False),
        ("你们的货币基金几点到账", False),
        ("新手买什么基金好", False),
        ("基金经理是谁", False),
        ("what is the fee of the Xinghe Pure Bond Fund", False),
        ("how do I buy your money market fund", False),
    ],
)
def test_a_fund_name_with_a_word_no_document_writes_is_unknown(
    question: str, unknown: bool
) -> None:
    assert bool(names_no_document_knows(question, TERMS, KNOWN)) is unknown


def test_a_name_holding_one_of_our_funds_names_is_ours() -> None:
    assert names_no_document_knows("星河纯债红利基金", TERMS, []) == ["星河纯债红利基金"]
    assert names_no_document_knows("星河纯债红利基金", TERMS, ["星河纯债"]) == []


def test_the_short_names_documents_declare_are_read() -> None:
    full = [
        "星河稳健纯债债券型证券投资基金",
        "星河沪深300指数增强型证券投资基金",
        "星河全球科技精选混合型证券投资基金",
        "星河均衡优选混合型证券投资基金",
        "星河货币市场基金",
    ]
    assert written_short_names(DOCUMENTS, full) == [
        {"星河纯债"},
        {"300增强", "沪深300增强"},
        {"星河全球科技"},
        {"星河均衡"},
        set(),
    ]


def test_a_short_name_field_far_from_the_full_name_goes_to_the_fund_it_shortens() -> None:
    """A fund's own page declares 基金简称 without its full name beside it: the short name
    goes to the one fund whose name it shortens (X养老2045 of X养老目标日期2045…), not only
    to one whose name starts with it."""
    full = [
        "星河养老目标日期2045三年持有期混合型基金中基金（FOF）",
        "星河养老目标日期2050五年持有期混合型基金中基金（FOF）",
    ]
    page = ["| 基金简称 | 星河养老2045 |", "基金简称：星河养老目标 |"]
    assert written_short_names(page, full) == [{"星河养老2045"}, set()]  # 养老目标 shortens both


def test_a_declared_short_name_spots_the_fund_and_its_missing_class() -> None:
    chunks = [
        StoredChunk(
            "c1",
            "| 基金名称 | 简称 | 份额与代码 |\n| --- | --- | --- |\n"
            "| 星河沪深300指数增强型证券投资基金 | 星河300增强 | A类 011560；C类 011561 |\n"
            "| 星河稳健纯债债券型证券投资基金 | 星河纯债 | A类 008421；C类 008422 |",
            {"title": "旗下基金一览", "source": "funds.md"},
        )
    ]
    catalog = FundCatalog.from_chunks(chunks)
    [mention] = catalog.spot("星河300增强Y份额管理费多少")
    assert mention.fund.codes == ("011560", "011561")
    assert mention.share_class == "Y"
    assert mention.fund.offers("Y") is False


ENGLISH_FAQ = [
    "Redemptions: Xinghe Tianli Money Market Fund: T+1. Xinghe Wenxiang Pure Bond Fund: T+2. "
    "Xinghe CSI 300 Enhanced Index Fund and Xinghe Balanced Select Hybrid Fund: T+3.",
    "Download the Xinghe Wealth app to buy any Xinghe fund.",
]


def test_english_names_are_tied_to_our_funds_by_their_pinyin_and_numbers() -> None:
    from assistant.fund_english_names import english_aliases

    short = [
        ["星河添利", "添利"],
        ["星河稳享纯债", "稳享纯债"],
        ["星河沪深300", "沪深300"],
        ["均衡优选"],
    ]
    tianli, wenxiang, csi300, balanced = english_aliases(ENGLISH_FAQ, short, "星河")
    assert {"Xinghe Tianli Money Market Fund", "Tianli Money Market Fund", "Tianli"} <= tianli
    assert "Money Market" in tianli  # the rest of the name, no other fund's
    assert {"Wenxiang Pure Bond Fund", "Wenxiang", "Pure Bond"} <= wenxiang
    assert "Xinghe CSI 300 Enhanced Index Fund" in csi300
    assert balanced == set()  # a translated name (Balanced Select) carries nothing to tie it


TRANSLATED_GUIDE = [
    "Heting Global Healthcare Equity Fund (QDII) has two US dollar share classes. "
    "For Heting Advanced Manufacturing Equity Fund, see the Chinese prospectus. "
    "Heting Fund serves Hong Kong investors by phone.",
]


def test_translated_english_names_are_tied_by_the_multilingual_embedder(
    e5: E5SmallEmbedding,
) -> None:
    """No pinyin in "Global Healthcare": the embedder places it by the Chinese product name;
    the company's own name (Heting Fund) is no fund's."""
    from assistant.fund_english_names import by_translation, english_aliases

    short = [
        ["鹤汀添益货币", "添益货币"],
        ["鹤汀先进制造", "先进制造"],
        ["鹤汀全球医疗健康", "全球医疗"],
    ]
    translate = by_translation(e5.get_query_embedding, ["添益货币", "先进制造", "全球医疗健康"])
    money, manufacturing, healthcare = english_aliases(TRANSLATED_GUIDE, short, "鹤汀", translate)
    assert {"Heting Global Healthcare Equity Fund (QDII)", "Global Healthcare"} <= healthcare
    assert "Heting Advanced Manufacturing Equity Fund" in manufacturing  # "For" is not the name's
    assert money == set()
    assert english_aliases(TRANSLATED_GUIDE, short, "鹤汀") == [set(), set(), set()]  # no embedder


def test_a_translation_too_close_to_call_ties_no_fund(e5: E5SmallEmbedding) -> None:
    from assistant.fund_english_names import by_translation

    translate = by_translation(e5.get_query_embedding, ["全球医疗健康", "全球医疗健康精选"])
    assert translate("Global Healthcare Equity") is None  # two near-identical names: no owner


def test_a_client_naming_a_fund_in_english_words_is_read_by_translation(
    e5: E5SmallEmbedding,
) -> None:
    """The words before "fund" (the sentence's own words and the brand dropped) are translated;
    a phrase that names no fund stays unnamed."""
    from assistant.fund_english_names import by_translation, client_named

    translate = by_translation(e5.get_query_embedding, ["全球医疗健康", "先进制造", "添利货币"])
    assert client_named("who manages the advanced manufacturing fund", translate, "榕湾") == 1
    assert client_named("Redemption fee on Advanced Manufacturing class A?", translate, "") == 1
    assert client_named("who manages Rongwan Global Healthcare now", translate, "榕湾") == 0
    assert client_named("when was Rongwan Fund founded", translate, "榕湾") is None
    # a class after the sentence's own words only: no name to translate
    assert client_named("and what about class C?", translate, "榕湾") is None
    assert client_named("is there a fee for the C class", translate, "榕湾") is None


@pytest.mark.parametrize(
    ("short", "spelled"),
    [
        # a short name's first run of characters, its first two and four syllables
        (
            [["鹤汀添益货币", "添益货币"], ["鹤汀恒信6个月定开债", "恒信"]],
            [{"Tianyi", "Tianyihuobi"}, {"Hengxin"}],
        ),
        # a word two funds' names spell is neither's (全球 of both global funds)
        ([["全球医疗"], ["全球科技"]], [{"Quanqiuyiliao"}, {"Quanqiukeji"}]),
        # the brand's word is no fund's; a full name's long run (the index provider 中证) is not spelled
        ([["鹤汀", "鹤汀中证红利低波动指数证券投资基金"]], [set()]),
        # under five letters: too short to tell from an English word
        ([["安安"]], [set()]),
    ],
)
def test_a_funds_short_name_is_spelled_in_pinyin_as_clients_write_it_in_english(
    short: list[list[str]], spelled: list[set[str]]
) -> None:
    from assistant.fund_english_names import pinyin_aliases

    assert pinyin_aliases(short, "鹤汀") == spelled


def _product_summary(name: str, short: str, codes: str, text: str) -> StoredChunk:
    """A fund's product summary, its front matter as ingestion stores it."""
    meta = {"source": f"{short}.md", "doc_type": "product_summary", "title": name}
    return StoredChunk(short, text, {**meta, "fund_codes": codes, "aliases": f"{name},{short}"})


def test_a_fund_spelled_in_pinyin_is_spotted_only_as_a_whole_word() -> None:
    chunks = [
        _product_summary(
            "鹤汀安盈短债债券型证券投资基金",
            "安盈短债",
            "024630,024631",
            "安盈短债A类 024630，C类 024631。",
        ),
        _product_summary(
            "鹤汀添益货币市场基金", "添益货币", "024610", "鹤汀添益货币市场基金 024610。"
        ),
    ]
    catalog = FundCatalog.from_chunks(chunks)
    [mention] = catalog.spot("What's the class A code of the Anying short-term bond fund?")
    assert mention.fund.codes == ("024630", "024631") and mention.share_class == "A"
    [mention] = catalog.spot("does tianyi money market fund charge a fee")
    assert mention.fund.codes == ("024610",)
    assert catalog.spot("Is the accompanying document in English?") == []


def test_funds_offered_in_english_go_by_an_english_name_the_documents_write() -> None:
    """Not by a pinyin word a client may type (Quanqiu): by the documents' English name, else
    the Chinese short name."""
    from assistant.asking_back import _short_name
    from assistant.funds import Fund

    healthcare = ("鹤汀全球医疗", "Global Healthcare", "Quanqiu", "Quanqiuyiliao")
    catalog = FundCatalog(
        [
            Fund("鹤汀全球医疗", ("024690",), healthcare, None, "qdii.md"),
            Fund("鹤汀添益货币", ("024610",), ("鹤汀添益货币", "添益货币", "Tianyi"), None, "m.md"),
        ]
    )
    assert _short_name(catalog, ("024690",), "en") == "Global Healthcare"
    assert _short_name(catalog, ("024610",), "en") == "添益货币"
    assert _short_name(catalog, ("024610",), "zh") == "添益货币"
