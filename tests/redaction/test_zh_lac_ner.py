"""ZhLacNerRecognizer (the shipped NER recognizer): the CRF's and LAC's names, kept by the
fitted regression, and both models' street-level addresses; organisations, products, places
alone and public names are kept. Also the numpy LAC itself: its tags equal PaddlePaddle's."""

from __future__ import annotations

import hashlib
import json

import jieba
import numpy as np
import pytest

from assistant.redaction import Redactor
from assistant.redaction.crf_ner import (
    STACKED_FILE,
    STACKED_META_FILE,
    Span,
    char_features,
    default_stacked_tagger,
    default_tagger,
)
from assistant.redaction.lac_ner import LacWord, default_lac, lac_model_dir, read_paddle_tensor
from assistant.redaction.name_combiner import (
    STACKED_LABELS,
    WEIGHTS_FILE,
    candidates,
    default_combined_tagger,
    lac_addresses,
)
from assistant.redaction.recognizers import ALL_RECOGNIZERS
from assistant.redaction.recognizers.zh_lac_ner import ZhLacNerRecognizer
from assistant.redaction.recognizers.zh_ner import with_alias
from assistant.settings import RedactionSettings

CASES = [
    # names in every position: a third party, a relative, alone on a line, after 找, in news
    ("帮我查一下张伟的账户", ["张伟"]),
    ("我妈刘桂芳的账户也要改", ["刘桂芳"]),
    ("王秀英\n手机号换了", ["王秀英"]),
    ("我想找李建国", ["李建国"]),
    ("请让赵德明给我回个电话", ["赵德明"]),
    ("浙商银行企业信贷部叶老桂博士则从另一个角度进行了解读", ["叶老桂"]),
    ("昨天郭晓东陪他父亲来营业部办理了开户", ["郭晓东"]),
    ("联系人：王秀英", ["王秀英"]),
    ("是陈晓燕帮我开的户", ["陈晓燕"]),
    ("麻烦转告周建平明天回电", ["周建平"]),
    # transliterated names with no cue (e5 reads the sentence around them)
    ("梅西今天进了两个球", ["梅西"]),
    ("皇马主帅齐达内赛后表示很满意", ["齐达内"]),
    # a name's Latin spelling in brackets right after it is masked with it
    ("导演陈晓燕（Chen Xiaoyan）赛后表示很满意", ["陈晓燕（Chen Xiaoyan）"]),
    ("请让赵德明(Zhao Deming)给我回个电话", ["赵德明(Zhao Deming)"]),
    ("易方达蓝筹精选混合（LOF）怎么样", []),
    # addresses with and without a cue word
    ("家庭住址四川省成都市武侯区人民南路四段12号", ["四川省成都市武侯区人民南路四段12号"]),
    ("请把对账单寄到上海市浦东新区世纪大道100号", ["上海市浦东新区世纪大道100号"]),
    ("寄到广州市天河区体育西路191号", ["广州市天河区体育西路191号"]),
    # the whole household: estate phase, building and room numbers after the street
    ("我家在武汉余家头小区三期b座", ["武汉余家头小区三期b座"]),
    ("记者来到杨浦区榆林路某弄5号", ["杨浦区榆林路某弄5号"]),
    ("新地址是南山区高新南一道8号创维大厦A座12层", ["南山区高新南一道8号创维大厦A座12层"]),
    ("买了三期的基金，分红怎么算", []),
    # hard negatives: products, organisations, places alone, business numbers
    ("易方达蓝筹精选混合怎么样", []),
    ("华夏基金管理有限公司的客服电话是多少", []),
    ("百度是一家高科技公司", []),
    ("我在北京", []),
    ("辽宁省的分红怎么交税", []),
    ("请问161610今天净值多少", []),
    ("领先成长混合C类的赎回费", []),
    ("那不勒斯vs锡耶纳以及桑普vs热那亚之上呢？", []),  # clubs, transliterated
    ("曼联主场迎战切尔西", []),
    ("招商银行信用卡中心", []),
    ("中国平安的股价", []),
    ("腾讯控股今天涨了", []),
    ("新华社记者报道", []),
    ("上海浦东", []),
]

# PaddlePaddle 2.6.2 running LAC 2.1.2's lac_model (paddle.inference, LAC's own segmentation):
# the tag id of every token. Regenerate with evals/lac_parity.py's ``reference`` command.
PADDLE_TAGS = {
    "我叫王刚，住在成都市武侯区人民南路四段12号。": [
        30,
        38,
        16,
        17,
        44,
        38,
        39,
        18,
        18,
        19,
        19,
        14,
        15,
        12,
        13,
        44,
    ],
    "百度是一家高科技公司": [20, 38, 12, 14, 14],
    "帮我查一下张伟的账户，他的手机号换了": [
        38,
        30,
        38,
        12,
        13,
        16,
        17,
        36,
        14,
        44,
        30,
        36,
        14,
        38,
        46,
    ],
    "请把对账单寄到上海市浦东新区世纪大道100号": [
        38,
        26,
        14,
        15,
        38,
        38,
        18,
        18,
        19,
        18,
        19,
        12,
        13,
    ],
    "易方达蓝筹精选混合今天净值多少": [20, 14, 38, 38, 34, 14, 30],
    "LAC是一个优秀的分词工具": [24, 25, 25, 38, 12, 0, 36, 14, 14],
    "我妈刘桂芳想赎回领先成长C类": [14, 15, 16, 17, 17, 38, 42, 42, 42, 14, 15],
}


@pytest.fixture(scope="module")
def find(finder):
    return finder(ZhLacNerRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_zh_lac_ner_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected


def test_a_name_is_masked_with_its_latin_spelling_in_brackets() -> None:
    text = "主帅古德穆德森（gudmundsson）表示，陈晓燕（Chen Xiaoyan）说"
    assert with_alias(text, Span("PERSON", 2, 7, 0.9)) == Span("PERSON", 2, 20, 0.9)
    assert with_alias(text, Span("PERSON", 23, 33, 0.9)) == Span("PERSON", 23, 40, 0.9)
    assert with_alias(text, Span("PERSON", 23, 26, 0.9)).end == 40
    assert with_alias("陈晓燕（男）说", Span("PERSON", 0, 3, 0.9)).end == 3
    assert with_alias("陈晓燕说（Chen）", Span("PERSON", 0, 3, 0.9)).end == 3


def test_it_is_the_shipped_ner_recognizer() -> None:
    assert ZhLacNerRecognizer in ALL_RECOGNIZERS


def test_a_fund_manager_named_in_the_documents_stays(nlp_engine) -> None:
    redactor = Redactor(RedactionSettings(), nlp_engine=nlp_engine)
    text = "基金经理为刘思远，管理领先成长混合"
    assert redactor.redact(text).text == "基金经理为<PERSON>，管理领先成长混合"
    redactor.allow_names(redactor.names_in([text]))
    assert redactor.redact("刘思远的基金最近怎么样").text == "刘思远的基金最近怎么样"
    assert redactor.redact("刘思远管的基金 我叫周建平").text == "刘思远管的基金 我叫<PERSON>"


@pytest.mark.parametrize(("text", "tags"), PADDLE_TAGS.items())
def test_numpy_lac_tags_equal_paddles(text: str, tags: list[int]) -> None:
    assert default_lac().token_tags(text)[0] == tags


def test_lac_words_join_a_tokens_tags_into_words() -> None:
    words = default_lac().words("我叫王刚，住在成都市武侯区人民南路四段12号。")
    assert LacWord(2, 4, "PER") in words
    assert LacWord(10, 17, "LOC") in words  # 武侯区 (B) + 人民 南路 (I)


def test_parameter_files_read_with_their_shapes() -> None:
    model = lac_model_dir() / "model"
    assert read_paddle_tensor(model / "word_emb").shape == (58224, 128)
    crf = read_paddle_tensor(model / "crfw")
    assert crf.shape == (51, 49) and np.isfinite(crf).all()


def test_places_continue_over_the_street_and_number() -> None:
    text = "住在成都市武侯区人民南路四段12号。"
    assert lac_addresses(text, default_lac().words(text)) == [(2, 17)]


def test_a_candidate_reads_both_models() -> None:
    text = "帮我查一下张伟的账户"
    words = default_lac().words(text)
    per = [0.0] * len(text)
    found = candidates(text, words, per)
    assert [(c.start, c.end) for c in found] == [(5, 7)]
    assert found[0].features["lac_exact"] == 1.0 and found[0].features["crf_max"] == 0.0


def test_the_weights_card_names_its_source_and_threshold() -> None:
    card = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert "CLUENER2020" in card["source"] and "licence" in card
    assert 0.0 < card["threshold"] < 1.0
    tagger = default_combined_tagger()
    assert tagger.threshold == card["threshold"]
    assert (tagger.stacked is not None) == card["stacked"]
    assert tagger.crf.thresholds["ADDR"] == card["address_thresholds"]["seed"]


def test_the_combiner_reads_e5_as_its_weights_say() -> None:
    card = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    tagger = default_combined_tagger()
    assert (tagger.e5 is not None) == card["e5"]
    assert tagger.e5_address == card["e5_address_threshold"]
    if tagger.e5 is not None:
        text = "梅西今天进了两个球"
        found, _ = tagger.analyse(text, [(0, 2), (2, 4)])
        e5_name = tagger.e5.char_probabilities(text)["name"]
        # e5's own probabilities, at least its candidate level (a transliterated name)
        assert found[0].features["e5_max"] == pytest.approx(max(e5_name[0:2]))
        assert found[0].features["e5_max"] > 0.2


def test_the_stacked_crf_is_the_file_its_card_describes() -> None:
    card = json.loads(STACKED_META_FILE.read_text(encoding="utf-8"))
    assert "CLUENER2020" in card["source"] and "licence" in card
    assert hashlib.sha256(STACKED_FILE.read_bytes()).hexdigest() == card["sha256"]


def test_the_stacked_crf_reads_lacs_words() -> None:
    text = "帮我查一下张伟的账户"
    tokens = [(s, e) for _, s, e in jieba.tokenize(text)]
    words = default_lac().words(text)
    stacked = char_features(text, tokens, words)
    assert "lt=PER" in stacked[5] and "lp=BPER" in stacked[5] and "lp=EPER" in stacked[6]
    assert "lnt=u" in stacked[6]  # the word after 张伟: 的
    assert not any(f.startswith("lt=") for f in char_features(text, tokens)[5])


def test_the_stacked_crf_knows_a_company_from_a_person() -> None:
    text = "百度是一家高科技公司，李彦宏是它的创始人"
    tokens = [(s, e) for _, s, e in jieba.tokenize(text)]
    _, probs = default_stacked_tagger().probabilities(
        text, tokens, default_lac().words(text), STACKED_LABELS
    )
    assert probs["COM"][0] > 0.5 > probs["PER"][0]
    assert min(probs["PER"][11:14]) > 0.5 > max(probs["COM"][11:14])


def test_a_candidate_reads_the_stacked_crf_and_repeats() -> None:
    text = "张伟说，张伟的账户"
    words = default_lac().words(text)
    stacked = {label: [0.0] * len(text) for label in STACKED_LABELS}
    stacked["PER"] = [0.9, 0.8] + [0.0] * (len(text) - 2)
    stacked["ORG"] = [0.1, 0.1] + [0.0] * (len(text) - 2)
    first = candidates(text, words, [0.0] * len(text), stacked)[0]
    assert (first.start, first.end) == (0, 2)
    assert first.features["crf2_max"] == 0.9 and first.features["o_ORG"] == pytest.approx(0.1)
    assert first.features["repeat"] == 1.0 and first.features["next2=说，"] == 1.0
    assert "crf2_mean" not in candidates(text, words, [0.0] * len(text))[0].features


def test_other_address_thresholds_leave_the_shared_crf_alone() -> None:
    crf = default_tagger()
    before = dict(crf.thresholds)
    lower = crf.with_thresholds("ADDR", 0.2, 0.1)
    assert lower.thresholds["ADDR"] == 0.2 and lower.extend["ADDR"] == 0.1
    assert crf.thresholds == before and lower.thresholds["PER"] == before["PER"]


@pytest.mark.parametrize(
    ("text", "reads_e5"),
    [
        ("帮我查一下张伟的账户", True),  # a name the CRF or LAC proposes
        ("人族选手Moon在比赛中击败了对手", True),  # a Latin word: the Latin regression reads e5
        ("寄到广州市天河区体育西路191号", True),  # a street-level word: e5's addresses count
        ("请问161610今天净值多少", False),  # nothing e5 could add
        ("赎回的钱什么时候到账", False),
    ],
)
def test_e5_is_read_only_where_it_can_matter(text: str, reads_e5: bool) -> None:
    tagger = default_combined_tagger()
    tokens = [(s, e) for _, s, e in jieba.tokenize(text)]
    _, probs = tagger.crf.probabilities(text, tokens)
    window = tagger.e5_window(text, probs["PER"], tagger.lac.words(text))
    assert (window is not None) is reads_e5
    _, _, _, e5 = tagger.readings(text, tokens)
    assert (e5 is not None) is reads_e5


def test_e5_reads_a_window_around_what_it_is_read_for() -> None:
    tagger = default_combined_tagger()
    assert tagger.e5 is not None
    text = "赎回的钱什么时候到账，" * 3 + "帮我查一下张伟的账户" + "，赎回的钱什么时候到账" * 3
    tokens = [(s, e) for _, s, e in jieba.tokenize(text)]
    _, probs = tagger.crf.probabilities(text, tokens)
    start, end = tagger.e5_window(text, probs["PER"], tagger.lac.words(text))
    name = text.index("张伟")
    assert 0 < start <= name - 12 and name + 2 + 12 <= end < len(text)
    e5 = tagger.e5_within(text, start, end)
    assert len(e5["name"]) == len(text) and max(e5["name"][name : name + 2]) > 0.5
    assert e5["name"][:start] == [0.0] * start
