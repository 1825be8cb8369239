"""Fund codes read from documents without front matter, in the layouts companies write them:
each code goes to the fund most of its sightings name, a label-only code to the fund its
document is about, and labels, company names and bonds' codes never become funds."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.fund_codes import document_fund, fund_key, majority_prefix, named_codes, read_funds
from assistant.funds import FundCatalog
from assistant.index.chroma_store import StoredChunk
from ingestion.loaders import load_document
from ingestion.pipeline import document_files


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "星河安享纯债A（024620）；星河安享纯债C（024621）",
            [("星河安享纯债A", "024620"), ("星河安享纯债C", "024621")],
        ),
        # a label-only code: no name, but announced as a fund code
        ("代码分别为：A类024610，B类024611", [("", "024610"), ("", "024611")]),
        ("| 基金主代码 | 024660 |", [("", "024660")]),
        ("基金主代码：027731", [("", "027731")]),  # a notice's field, not a fund named 基金主
        ("| C类份额代码 | 024631 |", [("", "024631")]),
        # the first cell is a field label, the name stands beside the code
        ("| 下属分级基金的简称和代码 | 星河安享纯债A（024620） |", [("星河安享纯债A", "024620")]),
        # codes listed together are one fund's
        (
            "星河沪深300指数增强（011560/011561）产品页",
            [("星河沪深300指数增强", "011560"), ("星河沪深300指数增强", "011561")],
        ),
        # a bond's code in a holdings table, an amount: not fund codes
        ("| 1 | 240205 | 24国开05 | 313,594,400.00 | 8.12% |", []),
        ("最低申购100000元", []),
    ],
)
def test_what_stands_beside_a_code(line: str, expected: list[tuple[str, str]]) -> None:
    assert [(names[0] if names else "", code) for names, code in named_codes(line)] == expected


@pytest.mark.parametrize(
    ("source", "title", "fund"),
    [
        (
            "chanpin/XH-01_星河添益货币市场基金_基金合同摘要.txt",
            "第一条基金名称和份额代码",
            "星河添益货币市场基金",
        ),
        (
            "gonggao/2026-12-02_星河恒信6个月定开债第三个开放期的公告.txt",
            "一、基金基本信息",
            "星河恒信6个月定开债",
        ),
        (
            "chanpin/XH-08_星河养老2045_产品手册.md",
            "星河养老目标日期2045三年持有期混合型发起式基金中基金（FOF）产品手册",
            "星河养老目标日期2045三年持有期混合型发起式基金中基金（FOF）",
        ),
        ("chanpin/XH-09_星河养老2045_产品手册.md", "产品手册", "星河养老2045"),
        # the company and its fee table are about no one fund
        ("gongsi/星河基金管理有限公司概况.md", "公司概况", ""),
        ("feilv/星河基金直销费率表（2026年7月版）.pdf", "星河基金直销费率表", ""),
    ],
)
def test_the_fund_a_document_is_about(source: str, title: str, fund: str) -> None:
    assert document_fund(source, title, "星河") == fund


def test_the_brand_is_what_most_names_share() -> None:
    assert (
        majority_prefix(["星河安享纯债", "星河添益货币", "星河先锋成长混合", "下属分级基金"])
        == "星河"
    )
    assert majority_prefix(["星河安享纯债", "海风添益货币"]) == ""


DOCUMENTS = [
    (
        "chanpin/XH-01_星河添益货币市场基金_基金合同摘要.txt",
        "第一条基金名称和份额代码",
        "本基金设A类、B类、E类三类份额，代码分别为：A类024610，B类024611，E类024612。",
    ),
    (
        "chanpin/XH-02_星河安享纯债_季度报告.md",
        "星河安享纯债债券型证券投资基金2026年第3季度报告",
        "| 下属分级基金的简称和代码 | 星河安享纯债A（024620）；星河安享纯债C（024621） |\n"
        "| 1 | 240205 | 24国开05 | 313,594,400.00 | 8.12% |",
    ),
    (
        "chanpin/XH-03_星河安盈短债_产品资料概要.docx",
        "星河安盈短债债券型证券投资基金产品资料概要",
        "| A类份额代码 | 024630 |\n| C类份额代码 | 024631 |",
    ),
    (
        "gonggao/2026-11-10_关于星河先锋成长混合型证券投资基金调低管理费率的公告.txt",
        "一、费率调整内容",
        "星河基金管理有限公司决定自2026年11月15日起调低星河先锋成长混合型证券投资基金"
        "（A类份额代码024670，C类份额代码024671）的管理费率。",
    ),
    (
        "chanpin/XH-06_星河先进制造股票_招募说明书.txt",
        "招募说明书节选",
        "份额代码：星河先进制造A 024660；星河先进制造C 024661",
    ),
]


@pytest.fixture(scope="module")
def documents_catalog() -> FundCatalog:
    return FundCatalog.from_chunks(
        [
            StoredChunk(f"c{i}", text, {"source": source, "title": title})
            for i, (source, title, text) in enumerate(DOCUMENTS)
        ]
    )


def test_funds_read_from_documents_in_many_layouts() -> None:
    funds = {f.codes: f for f in read_funds(DOCUMENTS, set())}
    assert set(funds) == {
        ("024610", "024611", "024612"),
        ("024620", "024621"),
        ("024630", "024631"),
        ("024660", "024661"),
        ("024670", "024671"),
    }  # no bond's code, no fund named 下属分级基金的简称和代码
    assert funds["024610", "024611", "024612"].name == "星河添益货币市场基金"
    # the sentence that ran on before the name is cut at the brand
    assert funds["024670", "024671"].name == "星河先锋成长混合型证券投资基金"


@pytest.mark.parametrize(
    ("question", "codes", "share_class"),
    [
        ("024610基金经理是谁", ("024610", "024611", "024612"), "A"),
        ("安享纯债C的销售服务费", ("024620", "024621"), "C"),
        ("024631持有10天赎回费多少", ("024630", "024631"), "C"),
        ("先进制造c类", ("024660", "024661"), "C"),
        ("先锋成长A的管理费现在多少", ("024670", "024671"), "A"),
    ],
)
def test_a_question_finds_the_fund_it_names(
    question: str, codes: tuple[str, ...], share_class: str, documents_catalog: FundCatalog
) -> None:
    (mention,) = documents_catalog.spot(question)
    assert mention.fund.codes == codes
    assert mention.share_class == share_class


@pytest.mark.parametrize(
    ("question", "share_class", "offered"),
    [
        # classes read from the names beside the codes (星河安享纯债A（024620）) ...
        ("安享纯债D类代码", "D", False),
        ("安享纯债c类", "C", True),
        # ... and from a key-value table's labels (| C类份额代码 | 024631 |)
        ("安盈短债E类申购费", "E", False),
        ("先进制造E类申购费多少", "E", False),
    ],
)
def test_the_classes_a_fund_read_from_its_documents_offers(
    question: str, share_class: str, offered: bool, documents_catalog: FundCatalog
) -> None:
    (mention,) = documents_catalog.spot(question)
    assert mention.share_class == share_class
    assert mention.fund.offers(share_class) is offered


def test_a_product_page_title_names_its_fund_though_the_codes_stand_beside_a_short_name() -> None:
    """The page's full name never stands beside a code (the short name does), yet it names the
    fund; an announcement titled by one fund that lists another fund's codes names neither."""
    page = (
        "chanpin/xinghe-dividend-lowvol-024650.html",
        "星河中证红利低波动指数证券投资基金 | 产品详情",
        "份额代码：星河红利低波指数A 024650；星河红利低波指数C 024651",
    )
    conversion = (
        "gonggao/2026-12-01_星河恒信定开债开放转换业务的公告.txt",
        "星河恒信定开债开放转换业务的公告",
        "可转换为星河安享纯债A（024620）。",
    )
    funds = {f.codes: f for f in read_funds([*DOCUMENTS, page, conversion], set())}
    dividend = funds["024650", "024651"]
    assert dividend.name == "星河红利低波指数"  # the name beside the codes still leads
    assert "星河中证红利低波动指数证券投资基金" in dividend.aliases
    assert not any("恒信" in a for f in funds.values() for a in f.aliases)


def test_a_qdii_funds_short_and_full_names_are_one_fund() -> None:
    """kb7's documents write 榕湾亚太精选QDII beside some of its four codes and 榕湾亚太精选股票型
    证券投资基金 beside others: QDII, like the type, is no part of what names the fund, so the
    codes voted to each are one fund's (they had made two funds of one)."""
    docs = Path(__file__).resolve().parents[2] / "evals" / "kb7" / "docs"
    texts = [
        (loaded.source, "", loaded.markdown)
        for path in document_files(docs)
        for loaded in [load_document(path, docs, path.read_bytes())]
    ]
    asia = [f.codes for f in read_funds(texts, set()) if "亚太" in f.name]
    assert asia == [("027761", "027762", "027763", "027764")]
    assert fund_key("榕湾亚太精选QDII", "榕湾") == fund_key(
        "榕湾亚太精选股票型证券投资基金", "榕湾"
    )
    assert fund_key("榕湾亚太精选QDII", "榕湾") != fund_key(
        "榕湾湾区精选股票型证券投资基金", "榕湾"
    )
