"""Hybrid retrieval on a small real index: Chinese, English, fund names, codes, filters."""

from __future__ import annotations

from pathlib import Path

from assistant.retrieval.hybrid import RetrievalFilters
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
    similarities, as asking the Chroma collection itself (1 - its cosine distance)."""
    ingest(sample_docs)
    retriever = open_retriever()
    for question in ("交易密码忘了咋整", "纯债C类赎回费怎么收", "forgot my trading pin"):
        vector = e5.get_query_embedding(question)
        ours = retriever.search(question, mode="dense", top_k=5)
        stored = dict(retriever.index.store.nearest(vector, 30))
        assert ours and all(r.dense_similarity is not None for r in ours)
        for result in ours:
            assert abs(result.dense_similarity - (1 - stored[result.id])) < 1e-4
        best = max(stored, key=lambda chunk_id: -stored[chunk_id])
        assert ours[0].id == best
