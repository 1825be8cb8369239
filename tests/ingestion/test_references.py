"""A passage that defers to another live document (具体见《…》) sends a question about what it
defers to that document: table tests of the pointer reading, then the retriever on real files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.index.chroma_store import StoredChunk
from assistant.prompts import PROMPTS_DIR
from assistant.retrieval.references import find_references, followed
from assistant.retrieval.tokenizer import tokenize
from tests.ingestion.conftest import write_docs

PATTERN = re.compile(
    yaml.safe_load((PROMPTS_DIR / "retrieval.yaml").read_text("utf-8"))["reference_pattern"]
)
FEE_TITLE = "星河基金旗下公募基金费率一览（2026年版）"


def chunk(source: str, title: str, text: str) -> StoredChunk:
    return StoredChunk(id=source, text=text, metadata={"source": source, "title": title})


FEES = chunk("fees.md", FEE_TITLE, "| 销售服务费 | 0.25% | 0.01% |")
PRODUCT = "product.md"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "两类份额的差别在于销售服务费不同，具体见《星河基金旗下公募基金费率一览（2026年版）》。",
            ["fees.md"],
        ),
        ("完整费率表请查阅《星河基金旗下公募基金费率一览（2026年版）》。", ["fees.md"]),
        ("费率详见《公募基金费率一览》。", ["fees.md"]),  # a shorter form of the live title
        ("详细内容见《星河基金招募说明书》。", []),  # no live document carries that title
        ("具体见《费率》。", []),  # too short to name one document
        ("本基金不收取申购费。", []),  # no pointer
        ("我们在《星河基金旗下公募基金费率一览（2026年版）》里列出了费率。", []),  # no cue
    ],
)
def test_pointers_to_live_documents_are_read(text: str, expected: list[str]) -> None:
    found = find_references([FEES, chunk(PRODUCT, "星河货币产品资料", text)], PATTERN)
    assert [r.source for r in found.get(1, [])] == expected


def test_a_document_pointing_at_itself_is_no_reference() -> None:
    own = chunk("fees.md", FEE_TITLE, f"各类份额的费率见《{FEE_TITLE}》下表。")
    assert find_references([own], PATTERN) == {}


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("星河货币B类销售服务费是多少", True),  # asks what the pointer defers
        ("星河货币B类最低买多少", False),  # the same passage answers this itself
    ],
)
def test_a_pointer_is_followed_only_for_what_it_defers(question: str, follows: bool) -> None:
    text = "B类份额首次申购最低500万元。两类份额的差别在于销售服务费不同，具体见《星河基金旗下公募基金费率一览（2026年版）》。"
    references = find_references([FEES, chunk(PRODUCT, "星河货币", text)], PATTERN)[1]
    assert followed(references, tokenize(question)) == (["fees.md"] if follows else [])


PRODUCT_DOC = """---
title: 星河货币市场基金产品资料概要
doc_type: product_summary
fund_codes: ["017301", "017302"]
aliases: ["星河货币"]
---
# 星河货币市场基金产品资料概要

## 份额类别
星河货币设A类和B类份额，B类份额首次申购最低金额为500万元。两类份额的差别在于销售服务费不同，具体见《星河基金旗下公募基金费率一览（2026年版）》。
"""

FEE_DOC = """---
title: 星河基金旗下公募基金费率一览（2026年版）
doc_type: general
fund_codes: ["017301", "017302"]
---
# 星河基金旗下公募基金费率一览（2026年版）

## 一、星河货币市场基金

| 费用项目 | A类 | B类 |
|---|---|---|
| 管理费 | 0.20% | 0.20% |
| 托管费 | 0.05% | 0.05% |
| 销售服务费 | 0.25% | 0.01% |

## 二、申购与赎回
货币基金不收取申购费和赎回费。
"""


def test_the_retriever_ranks_the_document_pointed_to_above_the_pointer(
    ingest, tmp_path: Path, open_retriever
) -> None:  # type: ignore[no-untyped-def]
    docs = write_docs(
        tmp_path / "docs", {"products/money.md": PRODUCT_DOC, "fees/fees.md": FEE_DOC}
    )
    ingest(docs)
    question = "星河货币B类的销售服务费是多少"
    plain = open_retriever().search(question)
    following = open_retriever(reference_pattern=PATTERN).search(question)
    assert plain[0].source == "products/money.md"  # the pointer wins without the rule
    assert following[0].source == "fees/fees.md"
    assert "0.01%" in following[0].text
    assert following[1].source == "products/money.md"
