from __future__ import annotations

from pathlib import Path

import pytest

LEADING_GROWTH = """---
title: 融通领先成长混合产品资料概要
doc_type: product_summary
fund_codes: ["161610", "016802"]
aliases: ["领先成长"]
risk_level: R3
version: "2026.10"
---
# 融通领先成长混合产品资料概要

## 费用
领先成长C类份额不收取申购费，销售服务费每年0.60%。A类申购金额100万元以下申购费率1.50%。

## 赎回到账
赎回款一般在T+4个工作日内到账。
"""

PURE_BOND = """---
title: 融通通利纯债产品资料概要
doc_type: product_summary
fund_codes: ["002000", "002001"]
aliases: ["通利纯债", "纯债"]
risk_level: R2
---
# 融通通利纯债产品资料概要

## 费用
通利纯债C类份额不收取申购费，销售服务费每年0.30%。

## 赎回到账
纯债基金赎回款一般在T+3个工作日内到账。
"""

PASSWORD_FAQ = """# 账户常见问题

## 密码

### 忘记交易密码怎么办？
在App「我的-安全中心-找回交易密码」中通过人脸识别重置交易密码，也可致电客服热线400-883-8088。

### How do I reset my trading password?
Open the app, go to Me > Security Center > Reset Trading Password and verify with face recognition.
"""


def write_docs(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def sample_docs(tmp_path: Path) -> Path:
    return write_docs(
        tmp_path / "docs",
        {
            "products/leading_growth.md": LEADING_GROWTH,
            "products/pure_bond.md": PURE_BOND,
            "faq/account_faq.md": PASSWORD_FAQ,
        },
    )


@pytest.fixture
def ingest(settings, e5):  # type: ignore[no-untyped-def]
    """Run one ingest of a folder against the test's data dir, as the CLI does."""
    from assistant.index.knowledge_index import KnowledgeIndex
    from assistant.state.database import make_engine
    from ingestion.pipeline import Ingestor

    engine = make_engine(settings)

    def run(docs: Path, **kwargs):  # type: ignore[no-untyped-def]
        index = KnowledgeIndex(settings, engine)
        return Ingestor(settings, index, e5, **kwargs).run(docs)

    return run


@pytest.fixture
def open_retriever(settings, e5):  # type: ignore[no-untyped-def]
    from assistant.index.knowledge_index import KnowledgeIndex
    from assistant.retrieval.hybrid import HybridRetriever
    from assistant.state.database import make_engine

    def build(**options) -> HybridRetriever:  # type: ignore[no-untyped-def]
        index = KnowledgeIndex(settings, make_engine(settings))
        return HybridRetriever(index, e5, settings.retrieval, **options)

    return build


@pytest.fixture
def restored_words():  # type: ignore[no-untyped-def]
    """jieba's dictionary belongs to the process: a test that ingests a whole company teaches
    it that company's fund names (鹤汀养老2045), which changes how later tests segment their
    own (星河养老2045). Put back as it was after the test."""
    import jieba

    from assistant.retrieval import tokenizer

    jieba.dt.check_initialized()
    freq, total, loaded = dict(jieba.dt.FREQ), jieba.dt.total, set(tokenizer._loaded_words)
    yield
    jieba.dt.FREQ.clear()
    jieba.dt.FREQ.update(freq)
    jieba.dt.total = total
    tokenizer._loaded_words.clear()
    tokenizer._loaded_words.update(loaded)
    tokenizer._cached_tokens.cache_clear()
