"""Each hand-off signal: true positives and calm look-alikes side by side, Chinese and English.

The calm rows contain the alarming word on purpose ("投诉", "人工", "保本", "赎回"): an
information question must be answered, not handed off.
"""

from __future__ import annotations

import pytest

from assistant.understanding import Understander
from tests.understanding.conftest import escalations

# (message, the signal that must fire, a word the evidence must name)
FIRES = [
    # complaint: a specific grievance
    ("我要投诉 赎回款五天了还没到", "complaint", "我要投诉"),
    ("你们多扣了我一笔申购费", "complaint", "多扣"),
    ("你们多收了我一笔管理费", "complaint", "多收了"),
    ("客服态度太差了 电话直接挂我", "complaint", "态度太差"),
    ("我没授权 为什么账户里多了一笔转换", "complaint", "没授权"),
    ("you charged me twice for the same purchase", "complaint", "charged me twice"),
    ("you people never call back when you say you will", "complaint", "you people never"),
    ("晚上打热线一直没人接 你们什么意思", "complaint", "没人接"),
    ("我明明已经取消定投了，这个月还是扣了钱", "complaint", "明明"),
    # human_requested: wants a person now
    ("转人工", "human_requested", "转人工"),
    ("别让机器人答了 叫你们经理来", "human_requested", "叫你们经理"),
    ("我想找真人聊聊", "human_requested", "真人"),
    ("let me talk to a person please", "human_requested", "talk to a person"),
    ("can I speak to an agent", "human_requested", "speak to an agent"),
    ("现在就给我转人工", "human_requested", "转人工"),
    ("帮我转human 登录不了", "human_requested", "转human"),
    ("手续太麻烦了 能安排个专员帮我办吗", "human_requested", "安排个专员"),
    # advice_request: what to buy / sell / when / how much
    ("我该不该全部赎回", "advice_request", "该不该"),
    ("手上有30万 买哪个好", "advice_request", "买哪个"),
    ("现在适合加仓吗", "advice_request", "现在适合加"),
    ("我C4 你觉得我适合买全球科技吗", "advice_request", "你觉得"),
    ("which fund should I buy for my retirement", "advice_request", "which fund should"),
    ("is now a good time to sell the growth fund", "advice_request", "good time to sell"),
    ("跌成这样 我是不是先全部卖了", "advice_request", "我是不是"),
    # guarantee_request: an outcome promised for their own money
    ("保本吗 我这钱不能亏", "guarantee_request", "不能亏"),
    ("能保证一年5%的收益吗", "guarantee_request", "能保证"),
    ("买纯债稳赚不赔吧", "guarantee_request", "稳赚不赔"),
    ("guaranteed return? i'll move my savings if so", "guarantee_request", "guaranteed return"),
    ("can you promise I won't lose money", "guarantee_request", "can you promise"),
    ("I want a sure 5% every year, which one", "guarantee_request", "a sure 5"),
    # out_of_scope: not our products or business
    ("余额宝和零钱通哪个利息高", "out_of_scope", "余额宝"),
    ("比特币还能买吗", "out_of_scope", "比特币"),
    ("周末杭州天气会下雨吗", "out_of_scope", "天气"),
    ("帮我写首诗", "out_of_scope", "写首诗"),
    ("what's the weather in beijing", "out_of_scope", "weather"),
    ("how do I file my income taxes", "out_of_scope", "taxes"),
    # beyond_documents: the client's own records, live fund data
    ("我的定投这个月扣款成功没", "beyond_documents", "成功没"),
    ("我账户里还有多少份额", "beyond_documents", "我账户里"),
    ("领先成长下次分红啥时候", "beyond_documents", "下次分红"),
    ("全球科技今年收益率多少", "beyond_documents", "今年收益率多少"),
    ("did my redemption on monday go through?", "beyond_documents", "go through"),
    ("what are the top holdings of the tech fund", "beyond_documents", "top holdings"),
    # a figure of one named day: no document carries today's NAV
    ("沪深300增强今天净值多少", "beyond_documents", "今天净值多少"),
    ("昨天易支付货币的七日年化是多少", "beyond_documents", "七日年化是多少"),
    ("what's today's NAV of 161608", "beyond_documents", "today's nav"),
]

# Calm questions with an alarming word: nothing may fire. The first eight are the brief's.
CALM = [
    "纯债a最新净值多少",  # the documents may carry the latest NAV, dated
    "pure bond latest nav?",
    "今天申购什么时候确认",
    "投诉电话是多少",
    "怎么投诉",
    "净值跌了一般是什么原因",
    "货币基金会亏损吗",
    "保本基金是什么意思",
    "人工客服几点上班",
    "赎回费怎么算 我想全部赎回",
    "我是C3能买领先成长吗",
    "投诉一般几个工作日处理完",
    "客服热线周末有人接吗",
    "你们周日有人工客服吗",  # a day of the week, not only 周末 (rules v1.12)
    "你们周六客服有人吗",
    "which bank card do I need?",  # the card to bind, not which bank is best (v1.12)
    "A类和C类持有两年哪个费用低",
    "业绩比较基准是承诺的收益吗",
    "货币基金保本吗 跟存款一样吗",
    "不用转人工 我自己看就行",
    "where do I lodge a complaint about an agent",
    "what time are your agents available",
    "what does capital guaranteed mean",
    "can a bond fund lose money",
    "how is the redemption fee calculated if I sell everything",
    # general rules, not the client's own records
    "我的钱赎回后一般几天到账",
    "定投扣款失败了怎么办",
    "how long does a redemption take to arrive",
    "why is my return negative this month",
    "去年收益挺好 今年也会这样吗",
    # how the service works, asked as information (rules v1.4)
    "春节放假期间还能找到人工吗",
    "拨打客服热线怎么转人工 按几",
    "我爸快八十了 打你们热线能直接接通人工吗",
    "在线客服晚上几点就没有人工了",
    "有没有文字版的人工客服 我耳朵不好",
    "投诉处理完还是不满意 可以申请复核吗",
    "基金公司能承诺收益吗 群里有人说稳赚不赔",
    "which regulator oversees fund companies",
    "if I'm not satisfied with how my complaint was handled, what next",
    "how do I get through to a real person on the hotline",
    # paying by credit card is a question about us (the documents say no), not a bank's business
    "信用卡能绑吗",
    "can I use a credit card to pay",
    # scams, fees and after-hours service asked about (rules v1.6)
    "有人打电话说是你们工作人员 要我报验证码 这是诈骗吧",
    "how can I tell if this is a scam",
    "转换的时候会不会被多扣手续费",
    # a share class's extra fee is a product question, not an overcharge (rules v1.11)
    "C类是不是每年多收一个销售服务费",
    "撤单之后钱会怎么处理",
    "do you sell any capital-protected funds",
    "晚上九点以后没有人工的话 怎么办",
]


@pytest.mark.parametrize(("text", "signal", "word"), FIRES)
def test_signal_fires_and_names_its_words(
    understander: Understander, text: str, signal: str, word: str
) -> None:
    result = understander.understand(text)
    verdict = next((s for s in result.signals if s.name == signal), None)
    assert verdict is not None, f"{signal} did not fire on {text!r}: {result.signals}"
    assert verdict.score >= 0.5
    assert any(word.lower() in e.text and e.weight > 0 for e in verdict.evidence), verdict


@pytest.mark.parametrize("text", CALM)
def test_calm_question_with_alarming_word_is_answered(
    understander: Understander, text: str
) -> None:
    result = understander.understand(text)
    assert escalations(result) == set(), result


def test_calm_phrase_that_cancels_a_cue_is_shown_as_negative_evidence(
    understander: Understander,
) -> None:
    scored = understander.signals.scores("人工客服几点上班", None)["human_requested"]
    assert scored.score < 0.5
    assert any(e.weight < 0 and "人工客服" in e.text for e in scored.evidence)


def test_negator_cancels_a_request(understander: Understander) -> None:
    assert understander.understand("不需要人工 谢谢").signal("human_requested") is None


def test_advice_about_a_stock_is_out_of_scope_not_advice(understander: Understander) -> None:
    result = understander.understand("茅台现在能买吗 会涨吗")
    assert result.signal_names == ["out_of_scope"]


def test_grievance_and_request_fire_together(understander: Understander) -> None:
    result = understander.understand("钱两周了还没到 我要投诉 给我转人工")
    assert {"complaint", "human_requested"} <= set(result.signal_names)
