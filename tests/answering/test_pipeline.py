"""Whole turns through the real pipeline: real presidio, real e5, real Chroma, real SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.models import TurnRequest
from assistant.state.models import AuditRecord, ChatMessage


def ask(pipeline, message: str, **kwargs):  # type: ignore[no-untyped-def]
    return pipeline.handle(TurnRequest(message=message, **kwargs))


def test_product_question_is_answered_with_citation_and_disclaimer(pipeline) -> None:
    reply = ask(pipeline, "领先成长C类收销售服务费吗 一年多少")
    assert reply.route == "answered", reply.reasons
    assert "0.60%" in reply.answer
    assert reply.citations and reply.citations[0].source.startswith(("products/", "faq/"))
    assert reply.disclaimer and "基金有风险，投资需谨慎" in reply.disclaimer
    assert reply.disclaimer in reply.answer
    assert "R3" in reply.disclaimer  # one product concerned: its risk level is stated
    assert reply.language == "zh"


def test_english_question_gets_an_english_answer(pipeline) -> None:
    reply = ask(pipeline, "when is the cut off time for buying funds each day?")
    assert reply.route == "answered", reply.reasons
    assert reply.language == "en"
    assert "15:00" in reply.answer
    assert "invest with caution" in (reply.disclaimer or "")


def test_personal_data_is_masked_before_anything_stores_it(pipeline, components) -> None:
    reply = ask(pipeline, "我叫王小明，手机13812345678，纯债赎回几天到账")
    kinds = {r.entity_type for r in reply.redactions}
    assert {"PHONE_NUMBER", "PERSON"} <= kinds
    with Session(components.engine) as db:
        stored = db.scalars(
            select(ChatMessage.text).where(ChatMessage.session_id == reply.session_id)
        ).all()
        audit = db.scalars(
            select(AuditRecord).where(AuditRecord.session_id == reply.session_id)
        ).one()
    assert stored and all("13812345678" not in t and "王小明" not in t for t in stored)
    assert "13812345678" not in str(audit.data) and "<PHONE_NUMBER>" in audit.data["question"]


def test_angry_complaint_is_handed_off_with_a_draft(pipeline) -> None:
    reply = ask(pipeline, "你们什么破服务！！赎回款拖了一个星期还没到账，我要投诉！")
    assert reply.route == "handoff"
    assert {"complaint", "angry"} <= set(reply.reasons)
    assert reply.handoff_id and reply.draft
    assert "抱歉" in reply.draft
    assert "转交人工" in reply.answer or "人工客服" in reply.answer


def test_calm_question_with_complaint_word_is_answered(pipeline) -> None:
    reply = ask(pipeline, "投诉一般多久能处理完")
    assert reply.route == "answered", (reply.reasons, reply.confidence)
    assert "工作日" in reply.answer


def test_guarantee_request_is_handed_off_and_never_promised(pipeline) -> None:
    reply = ask(pipeline, "纯债基金能保证年化5%吗 我这钱可不能亏")
    assert reply.route == "handoff" and "guarantee_request" in reply.reasons
    assert "保证" not in (reply.draft or "").replace("不保证", "")


@pytest.mark.parametrize(
    ("first", "second", "carried"),
    [
        # short, unmarked, and a question of its own: the earlier fund is not carried onto it
        ("领先成长A类的申购费是多少", "周末有人工吗", None),
        ("纯债赎回几天到账", "怎么改手机号", None),
        # the documents answer the carried question more closely, yet the answerability model
        # is surer of the message alone (the ID rule, not the fund's fees): read alone
        ("领先成长A类的申购费是多少", "身份证过期了还能赎回吗", None),
        # short, unmarked, and about the earlier fund: carried
        ("纯债A和C有啥区别", "我就放一年 哪个省", "纯债"),
    ],
)
def test_a_short_message_carries_the_earlier_fund_only_when_it_needs_it(
    pipeline, first: str, second: str, carried: str | None
) -> None:  # type: ignore[no-untyped-def]
    opened = ask(pipeline, first)
    reply = ask(pipeline, second, session_id=opened.session_id)
    assert reply.explanation is not None
    standalone = reply.explanation.standalone_query
    if carried is None:
        assert standalone == second
    else:
        assert standalone.startswith(carried) and standalone.endswith(second), standalone


def test_follow_up_resolves_against_the_previous_turn(pipeline) -> None:
    first = ask(pipeline, "领先成长A类的申购费是多少")
    assert first.route == "answered"
    second = ask(pipeline, "那C类呢？", session_id=first.session_id)
    assert second.route == "answered", second.reasons
    assert second.explanation is not None
    assert (
        "C" in second.explanation.standalone_query
        and "领先成长" in second.explanation.standalone_query
    )


def test_a_new_question_on_the_same_topic_is_answered_not_the_old_one(pipeline) -> None:
    # The standalone query carries 定投最低投多少; the client's own words find the holiday rule.
    first = ask(pipeline, "定投最低投多少")
    second = ask(pipeline, "那扣款日赶上放假咋办", session_id=first.session_id)
    assert second.route == "answered", second.reasons
    assert "下一个交易日" in second.answer, second.answer


def test_suitability_warning_when_product_is_above_the_clients_level(pipeline) -> None:
    reply = ask(pipeline, "沪深300增强C类的销售服务费多少", risk_level="C2")
    assert "适当性提示" in reply.answer and "R4" in reply.answer


def test_a_category_stated_in_an_earlier_turn_brings_the_suitability_warning(pipeline) -> None:
    first = ask(pipeline, "我测评是稳健型")
    reply = ask(pipeline, "沪深300增强C类的销售服务费多少", session_id=first.session_id)
    assert "适当性提示" in reply.answer and "C2" in reply.answer


def test_the_category_the_request_carries_wins_over_one_stated_in_chat(pipeline) -> None:
    reply = ask(pipeline, "我是C2 沪深300增强C类的销售服务费多少", risk_level="C5")
    assert "适当性提示" not in reply.answer


def test_out_of_scope_question_is_declined_not_quoted(pipeline) -> None:
    reply = ask(pipeline, "明天深圳天气怎么样")
    assert reply.route == "answered" and not reply.citations
    assert reply.reasons == ["out_of_scope"]


def test_a_fee_asked_of_no_fund_is_asked_back_with_the_funds(pipeline) -> None:
    """Every fund has a management fee: quoting the one retrieval ranks first is the wrong fee
    for most clients, however sure the quote looks."""
    reply = ask(pipeline, "管理费多少")
    assert reply.explanation is not None
    assert reply.route == "answered" and reply.explanation.mode == "ask_back", reply.answer
    assert not reply.citations
    funds = [s.removesuffix("管理费多少") for s in reply.suggestions]
    assert len(funds) >= 2 and len(set(funds)) == len(funds) and all(funds), reply.suggestions


def test_in_a_conversation_about_a_fund_its_fee_is_answered(pipeline) -> None:
    opened = ask(pipeline, "领先成长A类的申购费是多少")
    reply = ask(pipeline, "管理费多少", session_id=opened.session_id)
    assert reply.explanation is not None
    assert reply.explanation.mode == "answer", (reply.answer, reply.suggestions)
    assert reply.explanation.standalone_query.startswith("领先成长")
