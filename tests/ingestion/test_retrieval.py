"""Hybrid retrieval on a small real index: Chinese, English, fund names, codes, filters."""

from __future__ import annotations

from pathlib import Path

from assistant.funds import Fund, FundCatalog
from assistant.index.chroma_store import StoredChunk
from assistant.index.embeddings import embedding_id
from assistant.retrieval.hybrid import (
    RetrievalFilters,
    _carried_on,
    _funds_of,
    without_fund_names,
)
from assistant.retrieval.query_adapter import load_query_adapter
from tests.ingestion.conftest import LEADING_GROWTH, PURE_BOND, write_docs


def test_chinese_colloquial_question_finds_the_faq(
    ingest, sample_docs: Path, open_retriever
) -> None:
    ingest(sample_docs)
    top = open_retriever().search("交易密码忘了咋整")[0]
    assert top.source == "faq/account_faq.md" and "找回交易密码" in top.text
    assert top.section == "密码 > 忘记交易密码怎么办？"
    assert top.dense_similarity is not None and top.bm25_score is not None


def test_english_question_finds_the_english_faq(ingest, sample_docs: Path, open_retriever) -> None:
    ingest(sample_docs)
    top = open_retriever().search("forgot my trading pin, how to reset")[0]
    assert "Reset Trading Password" in top.text


def test_fund_short_name_pulls_that_funds_chunk(ingest, sample_docs: Path, open_retriever) -> None:
    ingest(sample_docs)
    retriever = open_retriever()
    assert retriever.search("纯债C类收不收销售服务费")[0].source == "products/pure_bond.md"
    assert retriever.search("领先成长C类收不收销售服务费")[0].source == "products/leading_growth.md"
    assert retriever.search("016802赎回多久到账")[0].source == "products/leading_growth.md"


def test_filters_restrict_both_modes(ingest, sample_docs: Path, open_retriever) -> None:
    ingest(sample_docs)
    retriever = open_retriever()
    only_bond = RetrievalFilters(fund_codes=["002001"])
    for mode in ("dense", "bm25", "hybrid"):
        results = retriever.search("赎回多久到账", filters=only_bond, mode=mode)
        assert results and {r.source for r in results} == {"products/pure_bond.md"}
    untyped = RetrievalFilters(doc_types=["general"])  # the FAQ file has no front matter
    assert {r.source for r in retriever.search("密码", filters=untyped)} == {"faq/account_faq.md"}


def test_llama_index_interface_returns_nodes_with_metadata(
    ingest, sample_docs: Path, open_retriever
) -> None:
    ingest(sample_docs)
    nodes = open_retriever().retrieve("领先成长申购费")
    assert nodes and nodes[0].node.metadata["source"] == "products/leading_growth.md"
    assert nodes[0].score is not None and nodes[0].score > 0


def test_running_retriever_sees_a_published_update(ingest, tmp_path: Path, open_retriever) -> None:
    docs = write_docs(tmp_path / "docs", {"growth.md": LEADING_GROWTH})
    ingest(docs)
    retriever = open_retriever()
    retriever.refresh_interval_s = 0.0  # check the generation on every call, as time allows
    assert retriever.search("纯债赎回到账")[0].source == "growth.md"
    write_docs(docs, {"bond.md": PURE_BOND})
    ingest(docs)
    retriever.refresh_if_stale()  # the mechanism the service relies on, not an explicit refresh
    assert retriever.search("纯债赎回到账")[0].source == "bond.md"


def test_in_process_dense_search_agrees_with_the_vector_store(
    ingest, sample_docs: Path, open_retriever, e5
) -> None:
    """Dense search runs on the snapshot's vectors: the same chunks, and the same cosine
    similarities, as asking the Chroma collection itself (1 - its cosine distance). A question
    naming a fund reports the mean of that and the similarity to the question without the
    fund's name, which is what tells that fund's passages apart."""
    ingest(sample_docs)
    retriever = open_retriever()
    for question in ("交易密码忘了咋整", "纯债C类赎回费怎么收", "forgot my trading pin"):
        vector = e5.get_query_embedding(question)
        ours = retriever.search(question, mode="dense", top_k=5)
        stored = dict(retriever.index.store.nearest(vector, 30))
        assert ours and all(r.dense_similarity is not None for r in ours)
        mentions = retriever.catalog.spot(question)
        rest = without_fund_names(question, mentions)
        nameless = dict(retriever.index.store.nearest(e5.get_query_embedding(rest), 200))
        for result in ours:
            e5_similarity = 1 - stored[result.id]
            if mentions:
                expected = (e5_similarity + 1 - nameless[result.id]) / 2
                assert abs(expected - e5_similarity) > 1e-3  # the name's share really left
            else:
                expected = e5_similarity
            assert abs(result.dense_similarity - expected) < 1e-4
        best = max(stored, key=lambda chunk_id: -stored[chunk_id])
        assert ours[0].id == best
    assert retriever.catalog.spot("纯债C类赎回费怎么收")  # the case above was exercised


OVERVIEW_ONLY = {
    "about/funds.md": "# 旗下基金一览\n\n"
    "| 基金名称 | 简称 | 份额与代码 |\n| --- | --- | --- |\n"
    "| 星河稳健纯债债券型证券投资基金 | 星河纯债 | A类 007001；C类 007002 |\n"
    "| 星河货币市场基金 | 星河货币 | A类 008100；B类 008101 |\n\n"
    "旗下基金的赎回款到账时间以各基金说明为准。\n",
    "products/bond.md": "# 星河纯债产品说明\n\n星河纯债的赎回款在赎回申请确认后T+2个工作日内到账。\n",
    "products/money.md": "# 星河货币产品说明\n\n星河货币的赎回款在T+1日到账，支持快速取现。\n",
}


def test_funds_without_front_matter_are_told_apart_in_one_passage(
    ingest, tmp_path: Path, open_retriever
) -> None:
    """Both funds of the overview are read from one document: a question naming both spots
    both (they had been one mention, keyed by that document), and a passage about the named
    fund alone ranks above the overview that names it among others, which stays."""
    ingest(write_docs(tmp_path / "docs", OVERVIEW_ONLY))
    retriever = open_retriever()
    named = retriever.catalog.spot("星河纯债和星河货币哪个赎回快")
    assert {m.fund.codes for m in named} == {("007001", "007002"), ("008100", "008101")}
    sources = [r.source for r in retriever.search("星河纯债赎回多久到账")]
    assert sources[0] == "products/bond.md"
    assert "about/funds.md" in sources and "products/money.md" not in sources


CLASSES_AND_NOTICES = {
    **OVERVIEW_ONLY,
    "fees/rates.md": "# 星河基金费率表\n\n"
    "## 申购费（A类份额）\n\n星河纯债A类份额申购费率为0.60%，按申购金额计算。\n\n"
    "## 销售服务费（C类份额）\n\n星河纯债C类份额不收申购费，销售服务费年费率0.30%。\n\n"
    "## 费用的计提\n\n各项费用按日计提，按月支付。\n",
    # an announcement whose first heading stands as its title: only its file name names the fund
    "notices/2026-12-02_星河货币暂停大额申购的公告.md": "# 一、暂停安排\n\n"
    "自2026年12月3日起暂停大额申购，单日申购上限10万元，赎回款到账时间不变。\n",
}


def test_a_question_naming_a_class_is_not_answered_from_another_class_only(
    ingest, tmp_path: Path, open_retriever
) -> None:
    """The A class's fee section does not say what the C class costs: a passage naming only
    other classes is left out; one naming the class asked, or none, stays."""
    ingest(write_docs(tmp_path / "docs", CLASSES_AND_NOTICES))
    retriever = open_retriever()
    sections = [r.section for r in retriever.search("星河纯债C类申购费多少")]
    assert "申购费（A类份额）" not in sections and "销售服务费（C类份额）" in sections
    sections = [r.section for r in retriever.search("星河纯债A类销售服务费多少")]
    assert "销售服务费（C类份额）" not in sections
    assert "费用的计提" in sections and "申购费（A类份额）" in sections


def test_a_document_filed_by_one_fund_is_about_it_throughout(
    ingest, tmp_path: Path, open_retriever
) -> None:
    ingest(write_docs(tmp_path / "docs", CLASSES_AND_NOTICES))
    retriever = open_retriever()
    about_bond = [r.source for r in retriever.search("星河纯债暂停大额申购了吗 单日上限多少")]
    assert not any(s.startswith("notices/") for s in about_bond)
    about_money = retriever.search("星河货币暂停大额申购了吗 单日上限多少")
    assert about_money[0].source.startswith("notices/")
    assert about_money[0].about_funds == ["008100", "008101"]


def test_a_section_split_in_two_is_about_the_one_fund_its_first_chunk_names() -> None:
    """The second half of a section names no fund: it carries the one fund of the first half,
    never the several funds of an overview, and never across sections."""
    catalog = FundCatalog(
        [
            Fund("星河纯债", ("007001", "007002"), ("星河纯债",), None, "bond.md"),
            Fund("星河货币", ("008100",), ("星河货币",), None, "money.md"),
        ]
    )

    def chunk(index: int, section: str, text: str) -> StoredChunk:
        meta = {"source": "guide.md", "section": section, "chunk_index": index}
        return StoredChunk(f"c{index}", text, meta)

    chunks = [
        chunk(0, "美元份额", "星河纯债设美元份额。"),
        chunk(1, "美元份额", "赎回款T+8到账。"),
        chunk(2, "到账时间", "星河纯债和星河货币的到账时间不同。"),
        chunk(3, "到账时间", "遇节假日顺延。"),
        chunk(4, "风险测评", "测评结果有效期两年。"),
    ]
    documents: dict[tuple[str, str], frozenset[str] | None] = {}
    named = [_funds_of(c, catalog, documents) for c in chunks]
    bond, both = frozenset({"007001", "007002"}), frozenset({"007001", "007002", "008100"})
    assert named == [bond, frozenset(), both, frozenset(), frozenset()]
    assert _carried_on(chunks, named, catalog) == [bond, bond, both, frozenset(), frozenset()]


KB4_DOCS = Path(__file__).resolve().parents[2] / "evals" / "kb4" / "docs"


def test_a_named_funds_own_passages_are_ranked_by_the_rest_of_the_question(
    ingest, open_retriever, restored_words
) -> None:
    """Every passage of a fund's handbook matches the fund's name, and its overview and
    table of codes ranked above the sections that answer; the three-passages-per-document
    limit then cut those. The question without the name (股票占多少 以后会降吗) ranks the
    fund's own passages too."""
    ingest(KB4_DOCS)
    adapter = load_query_adapter(embedding_id("e5-small"))  # as the product reads it
    retriever = open_retriever(adapter=adapter)
    sections = [p.section for p in retriever.search("养老2045股票占多少 以后会降吗")]
    assert "03 下滑航道" in sections, sections
    sections = [p.section for p in retriever.search("养老2045持有期没到能转成别的基金吗")]
    assert "04 三年持有期是什么意思" in sections, sections
