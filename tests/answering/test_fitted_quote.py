"""What the pair reader reads of a quote too long for its pieces (`fitted_quote`): the lines that
hold what is asked, a table row with its header, in the passage's order; a quote that fits is
read whole."""

from __future__ import annotations

import pytest

from assistant.encoder import load_encoder
from assistant.encoder.tokenizer import E5Tokenizer
from assistant.prompts import PromptLibrary
from assistant.retrieval.hybrid import expand, normalised_synonyms
from assistant.writers.pair_reader import MAX_TOKENS, fitted_quote, pair_text, pair_tokenizer
from assistant.writers.passage_ranker import PassageRanker

PROFILE = "\n".join(
    [
        "原创 · 某某基金 · 2026-10-28 18:30 · 广东 > 小编说：手里有美元、又想配置亚太市场？"
        "本基金的美元A、美元C份额自2026年11月2日起开放申购。一篇看懂四类份额的区别。",
        "| 项目 | 内容 |",
        "| --- | --- |",
        "| 基金全称 | 某某亚太精选股票型证券投资基金（QDII） |",
        "| 成立日期 | 2019年1月1日 |",
        "| 投资范围 | 亚太地区（不含中国内地）上市公司股票，不低于非现金基金资产的80%，"
        "其余投资于债券、货币市场工具 |",
        "| 业绩比较基准 | MSCI亚太（除中国）指数收益率×85%+人民币活期存款利率×15% |",
        "| 基金托管人 | 中国银行股份有限公司 |",
        "| 境外托管人 | 花旗银行 Citibank |",
        "| 基金经理 | 区浩然 |",
        "| 风险等级 | R4（中高风险） |",
    ]
)
RULES = (
    "本基金的申购与赎回遵循未知价原则、金额申购和份额赎回原则，当日的申购与赎回申请可以在基金管理人规定的时间以内撤销。"
    "基金管理人可在法律法规允许的情况下，对上述原则进行调整，并在新规则开始实施前在指定媒介上公告。"
    "投资者可通过直销柜台、网上直销和代销机构申购本基金。首次申购的最低金额为10元，追加申购不设下限。"
    "申购费率随申购金额递减，详见费率表。基金份额持有人可在开放日赎回，赎回申请以份额为单位。"
    "赎回款项一般于T+3日内划往投资者的银行账户，遇非港股通交易日顺延。"
    "巨额赎回时基金管理人可延期办理，并在指定媒介公告。基金转换的规则另见转换业务公告。"
)
HEADING = "亚太精选QDII四类份额全攻略 01 | 基金小档案"


@pytest.fixture(scope="module")
def tokenizer() -> E5Tokenizer:
    return pair_tokenizer(load_encoder(6))


@pytest.fixture(scope="module")
def synonyms() -> dict[str, list[str]]:
    """The documents' words for the client's, as the ranker expands a question with them."""
    return normalised_synonyms(PromptLibrary().rules("retrieval")["synonyms"])


# (question, quote, kept, left out)
CASES = [
    (
        "基金经理是谁",
        PROFILE,
        ["| 基金经理 | 区浩然 |", "| 项目 | 内容 |", "| --- |"],
        ["业绩比较基准"],
    ),
    ("托管行是哪家", PROFILE, ["| 基金托管人 | 中国银行股份有限公司 |"], []),
    ("Who is the fund manager?", PROFILE, ["区浩然"], []),  # fund manager → 基金经理
    ("赎回的钱几天到账", RULES, ["赎回款项一般于T+3日内划往"], []),
]


@pytest.mark.parametrize(("question", "quote", "kept", "left_out"), CASES)
def test_a_long_quote_is_read_by_the_lines_that_hold_the_question(
    tokenizer: E5Tokenizer,
    synonyms: dict[str, list[str]],
    question: str,
    quote: str,
    kept: list[str],
    left_out: list[str],
) -> None:
    text = pair_text(question, HEADING, quote)
    read_whole = text[: max(end for _, end in tokenizer.encode(text).spans)]
    assert not all(k in read_whole for k in kept)  # cut at its end, the answer was not read
    fitted = fitted_quote(tokenizer, question, HEADING, quote, expand(question, synonyms))
    assert len(tokenizer.encode(pair_text(question, HEADING, fitted)).ids) < MAX_TOKENS
    for line in kept:
        assert line in fitted
    for line in left_out:
        assert line not in fitted
    where = [quote.index(line) for line in fitted.splitlines()]
    assert where == sorted(where)  # in the passage's order


def test_a_quote_that_fits_is_read_whole(tokenizer: E5Tokenizer) -> None:
    quote = "| 项目 | 内容 |\n| --- | --- |\n| 基金经理 | 区浩然 |"
    assert fitted_quote(tokenizer, "基金经理是谁", HEADING, quote) == quote


def test_the_served_reader_reads_quotes_as_it_was_trained() -> None:
    """v2 was trained on fitted quotes (its card says so): it must read them so in service."""
    prompts = PromptLibrary()
    reader = PassageRanker.from_prompts(prompts).reader
    assert reader is not None and reader.fits_quotes
