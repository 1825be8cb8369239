"""The kinds of answer (prompts/answer_types.yaml) the passage ranker looks for in a quote: what
each kind recognises, and the look-alikes it must not (a date is not a duration)."""

from __future__ import annotations

import re

import pytest

from assistant.prompts import PromptLibrary

TYPES = PromptLibrary().rules("answer_types")["types"]


def kinds(text: str, side: str) -> set[str]:
    """The kinds `text` holds (side "passage") or asks for (side "question")."""
    return {name for name, t in TYPES.items() if re.search(t[side], text, re.I)}


@pytest.mark.parametrize(
    ("passage", "kind"),
    [
        ("持有满7天免赎回费", "duration"),
        ("人工审核 1–2 个工作日", "duration"),
        ("持有满1年", "duration"),
        ("锁定 3个月", "duration"),
        ("T+1日确认", "duration"),
        ("redemptions arrive within 10 working days", "duration"),
        ("每天最多获取 10 次验证码", "count"),
        ("最多绑定 3 张银行卡", "count"),
        ("基金合同生效日 2012年3月28日", "date"),
        ("客服热线 400-883-8088", "phone"),
        ("单笔申购最低10元", "amount"),
        ("申购费率1.50%", "rate"),
        ("金融资产不低于 500 万元", "amount"),
    ],
)
def test_a_passage_holds_the_kind(passage: str, kind: str) -> None:
    assert kind in kinds(passage, "passage")


@pytest.mark.parametrize(
    ("passage", "kind"),
    [
        ("基金合同生效日 2012年3月28日", "duration"),  # a date, not how long something takes
        ("以2026年11月20日的净值计算", "duration"),
        ("人工审核 1–2 个工作日", "count"),  # a duration, not a count of things
        ("锁定 3个月", "count"),
        ("申购费率1.50%", "duration"),
    ],
)
def test_a_look_alike_is_not_the_kind(passage: str, kind: str) -> None:
    assert kind not in kinds(passage, "passage")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("个人认定专业投资者 资产要多少", "amount"),
        ("想升级成专业投资者 个人得有多少资产", "amount"),
        ("app最新版是几", "version"),
        ("转换的时候都扣哪些钱", "rate"),
        ("货币基金管理费和托管费是多少", "rate"),  # a fee's name and 多少: its rate
        ("销售服务费要多少", "rate"),
        ("验证码一天能发几次", "count"),
    ],
)
def test_a_question_asks_for_the_kind(question: str, kind: str) -> None:
    assert kind in kinds(question, "question")


def test_a_failed_debit_is_not_a_question_about_fees() -> None:
    assert "rate" not in kinds("定投老是扣不到钱 会咋样", "question")


def test_spending_is_not_a_fee() -> None:
    assert "rate" not in kinds("一个月消费多少合适", "question")
