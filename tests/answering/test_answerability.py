"""The answerability gate, through the whole pipeline: a question is answered only from a
passage that answers it. Hard negatives from each failure class real text showed: loan and
credit questions, everyday posts, another company's fund code, a fund named but another fund's
passage; and the questions that must still be answered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.answerability import ALL_FEATURES, AnswerabilityModel
from assistant.models import TurnRequest
from assistant.state.models import AuditRecord

NOT_FROM_OUR_DOCUMENTS = [
    "借呗怎么提前还款",  # a loan product no document mentions
    "微粒贷的利息一天是多少",
    "信用卡额度怎么提升",
    "花呗逾期了会影响征信吗",
    "今天堵车堵了两个小时，烦死了",  # an everyday post
    "生日快乐！祝你天天开心",
    "电影结局太感人了哭死我了",
    "110011这只基金今天净值多少",  # another company's fund, by its code
]

ANSWERED = [
    ("同利纯债C类的赎回费是多少", "products/tongli_pure_bond.md"),
    ("沪深300增强的申购费率", "products/csi300_enhanced_index.md"),
    ("赎回一般几天到账", None),
]


@pytest.mark.parametrize("message", NOT_FROM_OUR_DOCUMENTS)
def test_text_no_document_answers_is_never_quoted(pipeline, message: str) -> None:  # type: ignore[no-untyped-def]
    reply = pipeline.handle(TurnRequest(message=message))
    assert not reply.citations, (reply.confidence, reply.explanation.confidence_parts)
    assert reply.route == "handoff" or reply.explanation.mode in ("decline", "ask_back")


@pytest.mark.parametrize(("message", "source"), ANSWERED)
def test_a_question_the_documents_answer_is_answered_from_the_right_document(  # type: ignore[no-untyped-def]
    pipeline, message: str, source: str | None
) -> None:
    reply = pipeline.handle(TurnRequest(message=message))
    assert reply.route == "answered" and reply.citations, reply.explanation.confidence_parts
    if source is not None:
        assert {c.source for c in reply.citations} <= {source, "faq/trading_faq.md"}


def test_a_fund_named_is_never_answered_from_another_funds_passage(pipeline) -> None:  # type: ignore[no-untyped-def]
    reply = pipeline.handle(TurnRequest(message="领先成长的管理费率是多少"))
    others = {"products/tongli_pure_bond.md", "products/csi300_enhanced_index.md"}
    assert not {c.source for c in reply.citations} & others


def test_the_model_version_is_recorded_with_the_reply_and_in_the_audit(pipeline) -> None:  # type: ignore[no-untyped-def]
    model = AnswerabilityModel.load()
    assert model is not None
    reply = pipeline.handle(TurnRequest(message="赎回一般几天到账"))
    assert reply.explanation.answerability_version == model.version
    assert 0.0 <= reply.explanation.confidence_parts["answerability"] <= 1.0
    with pipeline.c.sessions() as db:
        record = db.scalars(
            select(AuditRecord).where(AuditRecord.message_id == reply.message_id)
        ).one()
    assert record.data["answerability_version"] == model.version


def test_the_model_file_reads_only_features_the_code_computes() -> None:
    model = AnswerabilityModel.load()
    assert model is not None and set(model.spec["features"]) <= set(ALL_FEATURES)
    assert len(model.spec["coef"]) == len(model.spec["features"]) == len(model.spec["scaler_mean"])
    assert 0.0 < model.threshold < 1.0
    probabilities = model.spec["calibration_y"]
    assert probabilities == sorted(probabilities)  # calibrated: a higher score is never less likely


def test_a_code_no_document_knows_is_an_uncovered_topic_whatever_else_the_message_says(  # type: ignore[no-untyped-def]
    pipeline,
) -> None:
    """The agent sees that no document covers the fund, beside the complaint that routed it."""
    reply = pipeline.handle(TurnRequest(message="我要投诉，110011这只基金的赎回费怎么这么高"))
    assert reply.route == "handoff" and not reply.citations
    assert {"complaint", "low_confidence"} <= set(reply.reasons), reply.reasons
    assert "110011 (fund_code)" in reply.explanation.evidence["uncovered"]


def test_the_pair_features_read_the_rankers_choice_of_the_quote(pipeline) -> None:  # type: ignore[no-untyped-def]
    """The extractive writer quotes the ranker's first pick, so its margin over the runner-up is
    never negative; a share class asked for is seen; every feature the code lists is given."""
    request = TurnRequest(message="同利纯债C类的赎回费是多少")
    opened = pipeline.open(request)
    understood = pipeline.understand(opened, request)
    retrieved = pipeline.retrieve(opened, understood)
    checked = pipeline.write_and_check(opened, understood, retrieved)
    features = pipeline.c.gate.features.compute(
        pipeline.question_context(understood),
        retrieved.chunks,
        checked.written,
        pipeline.c.retriever.terms,
    )
    assert set(features) == set(ALL_FEATURES)
    assert features["rank_margin"] >= 0.0
    assert features["class_asked"] == 1.0
    assert 0.0 <= features["quoted_position"] <= 1.0
    assert 0.2 <= features["distinct_docs"] <= 1.0


def test_the_reply_shows_the_features_the_model_read(pipeline) -> None:  # type: ignore[no-untyped-def]
    model = AnswerabilityModel.load()
    assert model is not None
    reply = pipeline.handle(TurnRequest(message="赎回一般几天到账"))
    shown = [item.split("=")[0] for item in reply.explanation.evidence["answerability"]]
    assert shown == list(model.spec["features"])
