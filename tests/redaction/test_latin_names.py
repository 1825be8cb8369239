"""The Latin-name regression (``latin_names.py``): a Latin word inside Chinese text is masked
when it is a person (a handle, a Western name), and stays readable when it is a product, a
game, a company, an index, a share class or part of an e-mail address."""

from __future__ import annotations

import json

import pytest

from assistant.redaction.latin_names import WEIGHTS_FILE, latin_words, load_latin_model, shape
from assistant.redaction.name_combiner import WEIGHTS_FILE as COMBINER_FILE
from assistant.redaction.name_combiner import default_combined_tagger
from assistant.redaction.recognizers.zh_lac_ner import ZhLacNerRecognizer
from evals.pii_bench import is_latin_only

CASES = [
    # people written in Latin letters inside Chinese sentences
    ("导演JamesCameron表示新片将于明年上映", ["JamesCameron"]),
    ("人族选手Moon在比赛中击败了对手", ["Moon"]),
    ("解说员Tom今天请假了", ["Tom"]),
    ("客户经理Kevin说可以免手续费", ["Kevin"]),
    ("我同事Lisa让我问一下分红", ["Lisa"]),
    ("帮我查一下David的账户", ["David"]),
    # hard negatives: games, companies, products, indices, fund kinds, share classes, systems
    ("我在玩DOTA2，你呢", []),
    ("EA公司发布了新游戏", []),
    ("QDII基金赎回要几天", []),
    ("ETF联接基金是什么", []),
    ("LOF基金可以场内交易吗", []),
    ("申购REITs要注意什么", []),
    ("MSCI中国指数涨了", []),
    ("在Wind上能查到这只基金吗", []),
    ("苹果公司发布了新款iPhone手机", []),
    ("微软的Windows系统更新了", []),
    ("NBA总决赛今天开打", []),
    ("app里怎么改手机号", []),
    ("H5页面打不开", []),
    ("我的风险等级是C3能买R4的产品吗", []),
    ("领先成长C类的费率是多少", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(ZhLacNerRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_latin_words_in_chinese_text(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("导演JamesCameron表示", ["JamesCameron"]),
        ("我的邮箱是Moon@163.com", []),  # the e-mail recognizer's
        ("官网www.rtfund.com打不开", []),
        ("护照E12345678过期了", []),  # a document number
        ("身份证最后一位是X", []),  # one letter
        ("hi 我叫Tony Huang my 手机", []),  # beside spaces: not what the regression learned
        ("only English words here", []),
    ],
)
def test_which_latin_words_are_candidates(text: str, words: list[str]) -> None:
    assert [text[s:e] for s, e in latin_words(text)] == words


def test_the_benchmark_counts_latin_only_names_apart() -> None:
    assert is_latin_only("JamesCameron") and is_latin_only("TH000")
    assert not is_latin_only("塔魔Infi") and not is_latin_only("2008")


def test_case_patterns() -> None:
    assert [shape(w) for w in ("Moon", "DOTA", "dota", "JamesCameron", "iPad")] == [
        "title",
        "upper",
        "lower",
        "camel",
        "mixed",
    ]


def test_the_weights_card_names_its_source_and_threshold() -> None:
    card = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert "CLUENER2020" in card["source"] and "licence" in card["source"]
    assert "evals.train_latin_names" in card["command"]
    assert 0.5 <= card["threshold"] < 1.0
    alone = load_latin_model()
    assert alone is not None and alone.threshold == card["threshold"]


def test_the_combined_tagger_uses_the_threshold_chosen_with_the_combiners() -> None:
    """Latin masks and the combiner's count in one false-mask budget: the threshold the
    combiner's trainer chose for both is the one the shipped tagger applies."""
    joint = json.loads(COMBINER_FILE.read_text(encoding="utf-8"))["latin_threshold"]
    assert 0.5 <= joint < 1.0
    latin = default_combined_tagger().latin
    assert latin is not None and latin.threshold == joint
    assert load_latin_model(0.99).threshold == 0.99  # type: ignore[union-attr]
