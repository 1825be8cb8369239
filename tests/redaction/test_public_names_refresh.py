"""The public names (fund managers the live documents name) follow the index: an ingest that
publishes a new generation changes which names stay readable, in the running service's
components, without a restart."""

from __future__ import annotations

from pathlib import Path

from assistant.components import build_components
from assistant.index.knowledge_index import KnowledgeIndex
from assistant.settings import Settings
from assistant.state.database import make_engine
from ingestion.pipeline import Ingestor

FUND = """---
title: 远航成长混合产品资料概要
doc_type: product_summary
fund_codes: ["519001"]
---
# 远航成长混合产品资料概要

## 基金经理
本基金的基金经理为{manager}，具有十年证券从业经历。

## 费用
C类份额不收取申购费，销售服务费每年0.60%。
"""


def _publish(settings: Settings, e5, docs: Path, manager: str) -> None:  # type: ignore[no-untyped-def]
    (docs / "fund.md").write_text(FUND.format(manager=manager), encoding="utf-8")
    index = KnowledgeIndex(settings, make_engine(settings))  # as a separate ingest run does
    assert not Ingestor(settings, index, e5).run(docs).failed


def test_a_new_generation_replaces_the_public_names(settings: Settings, e5) -> None:  # type: ignore[no-untyped-def]
    docs = settings.docs_dir
    docs.mkdir(parents=True)
    _publish(settings, e5, docs, "刘思远")
    components = build_components(settings, embedder=e5)
    redactor, retriever = components.redactor, components.retriever
    assert redactor.redact("刘思远管的基金怎么样").text == "刘思远管的基金怎么样"
    assert _masked_name(redactor.redact("陈晓明管的基金怎么样").text, "陈晓明")

    _publish(settings, e5, docs, "陈晓明")
    retriever.refresh_interval_s = 0.0
    retriever.refresh_if_stale()  # what every turn does before retrieving

    assert redactor.redact("陈晓明管的基金怎么样").text == "陈晓明管的基金怎么样"
    assert _masked_name(redactor.redact("刘思远管的基金怎么样").text, "刘思远")


def _masked_name(masked: str, name: str) -> bool:
    return name not in masked and masked.startswith("<PERSON>")
