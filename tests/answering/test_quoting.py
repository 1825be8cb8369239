"""What the extractive writer quotes from a long passage: the sentences that together answer."""

from __future__ import annotations

import re

import pytest

from assistant.retrieval.hybrid import ScoredChunk
from assistant.writers import quoting
from assistant.writers.quoting import answer_from

OVERVIEW = (
    "青岚均衡优选混合型证券投资基金　基金概况\n（A类份额：006633；C类份额：006634）\n"
    "基金全称：青岚均衡优选混合型证券投资基金\n基金简称：青岚均衡优选混合A / 青岚均衡优选混合C\n"
    "成立日期：2019年1月9日\n基金经理：韩知微\n基金托管人：中国建设银行股份有限公司\n"
    "风险等级：R3（中风险）\n业绩比较基准：沪深300指数收益率×50%+中债综合指数收益率×50%"
)
FEES = (
    "本基金A类份额收取申购费，C类份额不收取申购费但按年计提0.40%的销售服务费，详见费率表。\n"
    "赎回费：\n| 持有期限 | A类 | C类 |\n|---|---|---|\n| N＜7日 | 1.50% | 1.50% |\n"
    "| 7日≤N＜30日 | 0.50% | 0.50% |\n| 365日≤N＜730日 | 0.25% | 0 |"
)
ACCOUNTS = (
    "问：谁可以开户？\n答：年满18周岁、具有完全民事行为能力的中国大陆居民，持本人有效身份证和银行卡即可开户。\n"
    "问：一个人可以开几个账户？\n答：同一身份证件在直销渠道只能开立一个基金账户，可绑定多张本人银行卡。\n"
    "问：证件过期怎么办？\n答：身份证件过期后，账户将被限制申购、转换和定投，赎回不受影响。\n"
    "问：可以用别人的银行卡吗？\n答：不可以，只能绑定本人名下的一类银行借记卡。"
)


def chunk(text: str, section: str = "") -> ScoredChunk:
    metadata = {"kind": "section", "title": "", "section": section, "source": "x.md"}
    return ScoredChunk(id="c", text=text, metadata=metadata, score=1.0)


@pytest.fixture
def long_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sentence choice as it is made in a long section, on short test passages."""
    monkeypatch.setattr(quoting, "WHOLE_CHARS", 100)


@pytest.mark.parametrize(
    ("text", "question", "must_hold", "must_not_be_alone"),
    [
        # the line that holds what was asked, not three lines that repeat the fund's name
        (OVERVIEW, "均衡优选基金经理", "基金经理：韩知微", None),
        # a label line travels with its table
        (FEES, "300增强持有400天赎回费多少", "| 365日≤N＜730日 | 0.25% | 0 |", None),
        # a question line travels with its answer
        (ACCOUNTS, "一个身份证能开几个账户", "只能开立一个基金账户", "问：一个人可以开几个账户？"),
    ],
)
@pytest.mark.usefixtures("long_sections")
def test_the_quote_holds_the_answer(
    text: str, question: str, must_hold: str, must_not_be_alone: str | None
) -> None:
    quote = answer_from(chunk(text), question)
    assert must_hold in quote
    assert quote != must_not_be_alone
    assert len(quote) < len(text)  # a choice was made: not the whole passage


def test_a_short_passage_is_quoted_whole() -> None:
    text = "赎回款T+3到账。遇节假日顺延。"
    assert answer_from(chunk(text), "赎回多久到账") == text


DIVIDENDS = (
    "本公司旗下基金的分红方式分为现金分红和红利再投资两种。除基金合同另有约定外，默认分红方式为现金分红。"
    "现金分红适合需要定期现金收入的投资者。现金红利于发放日起2个工作日内划至投资者的银行卡。"
    "选择红利再投资的，红利按除息日的基金份额净值折算为基金份额，不收取申购费。"
    "基金分红后基金份额净值相应下降，分红不改变投资者持有的基金资产总值。"
)


@pytest.mark.usefixtures("long_sections")
def test_a_sentence_holding_the_kind_of_answer_asked_for_is_quoted() -> None:
    """几天 asks for a duration: the one sentence that holds one is quoted, though three others
    repeat more of the question's words (现金, 分红)."""
    duration = re.compile(r"\d+\s*个?(?:工作日|天)")
    assert "2个工作日内" not in answer_from(chunk(DIVIDENDS), "现金分红几天到账")
    assert "2个工作日内" in answer_from(chunk(DIVIDENDS), "现金分红几天到账", [duration])


def test_a_short_rule_is_quoted_whole_with_its_conditions() -> None:
    """Sentence choice would quote the lines repeating 现金分红 (the test above); a rule this
    short is quoted whole, the answer and the exceptions beside it."""
    assert len(DIVIDENDS) <= quoting.WHOLE_CHARS
    assert answer_from(chunk(DIVIDENDS), "现金分红几天到账") == DIVIDENDS
    long_rule = DIVIDENDS * 3
    assert len(answer_from(chunk(long_rule), "现金分红几天到账")) < len(long_rule)
