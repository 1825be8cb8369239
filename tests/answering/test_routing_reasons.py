"""Every routing reason, through the whole pipeline: messages that must hand off for it, and calm
messages that merely contain its alarming words and must be answered."""

from __future__ import annotations

import pytest

from assistant.models import TurnRequest

HANDOFFS = [
    ("complaint", "我上周赎回的钱到现在还没到账，你们这样处理我要投诉"),
    ("complaint", "I was charged a redemption fee I never agreed to, I want to file a complaint"),
    ("angry", "你们是骗子吧！！！钱到底什么时候给我！！！"),
    ("angry", "THIS IS RIDICULOUS!!! useless app, fix it NOW"),
    ("anxious", "跌了20%了我整晚睡不着 我是不是要全部割肉 救命啊"),
    ("human_requested", "转人工"),
    ("human_requested", "can I talk to a real person please"),
    ("advice_request", "我有50万闲钱 买你们哪只基金最好"),
    ("advice_request", "我35岁月薪一万五，应该买你们哪只基金"),
    ("advice_request", "should I sell all my leading growth now or wait?"),
    ("guarantee_request", "领先成长能保证一年赚10%吗 亏了你们赔不赔"),
    ("guarantee_request", "is my money guaranteed not to lose if I buy the bond fund?"),
    ("low_confidence", "我前天赎回的那笔到账了没"),
    ("low_confidence", "did my purchase last friday go through?"),
    ("low_confidence", "领先成长现在前十大重仓股有哪些"),
]

CALM = [
    "投诉电话是多少",
    "怎么投诉 流程是啥",
    "人工客服几点上班",
    "货币基金会亏损吗",
    "净值跌了一般是什么原因",
    "赎回费怎么算 我想全部赎回纯债C",
    "how do I file a complaint",
    "赎回一般几天到账",
    "保本基金是什么意思",
    "why does the app show a risk warning when I buy global tech",
    "what time nav update",  # terse: the signal model alone calls it chit-chat
]


@pytest.mark.parametrize(("reason", "message"), HANDOFFS)
def test_message_is_handed_off_for_its_reason(pipeline, reason: str, message: str) -> None:  # type: ignore[no-untyped-def]
    reply = pipeline.handle(TurnRequest(message=message))
    assert reply.route == "handoff"
    assert reason in reply.reasons or (
        reason == "out_of_scope" and "low_confidence" in reply.reasons
    ), reply.reasons
    assert reply.draft and reply.handoff_id


OFF_TOPIC = [
    "帮我写一首关于秋天的诗",
    "what's the weather in Shenzhen tomorrow",
]


@pytest.mark.parametrize("message", OFF_TOPIC)
def test_off_topic_message_is_declined_politely_without_a_quote(pipeline, message: str) -> None:  # type: ignore[no-untyped-def]
    """Chatter is not for the agents' queue: a polite reply that says what we help with."""
    reply = pipeline.handle(TurnRequest(message=message))
    assert reply.route == "answered" and reply.handoff_id is None
    assert reply.reasons == ["out_of_scope"]
    assert not reply.citations and reply.disclaimer is None
    assert reply.explanation is not None and reply.explanation.mode == "decline"


@pytest.mark.parametrize("message", CALM)
def test_calm_message_with_alarming_words_is_answered(pipeline, message: str) -> None:  # type: ignore[no-untyped-def]
    reply = pipeline.handle(TurnRequest(message=message))
    assert reply.route == "answered", (reply.reasons, reply.confidence)
    assert reply.citations
