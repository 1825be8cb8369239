"""ZhNerRecognizer: the CRF's names wherever they stand and street-level addresses with or
without a cue word; organisations, products, places alone and public names are kept."""

from __future__ import annotations

import pytest

from assistant.redaction import Redactor
from assistant.redaction.crf_ner import CrfTagger, Span, bio_spans, default_tagger
from assistant.redaction.recognizers.zh_ner import (
    ZhNerRecognizer,
    completed,
    is_street_level,
    merged,
    ner_recognizer,
    score_of,
    whole_addresses,
)
from assistant.settings import RedactionSettings

CASES = [
    # names in every position: a third party, a relative, alone on a line, after 找, in news
    ("帮我查一下张伟的账户", ["张伟"]),
    ("我妈刘桂芳的账户也要改", ["刘桂芳"]),
    ("王秀英\n手机号换了", ["王秀英"]),
    ("我想找李建国", ["李建国"]),
    ("请让赵德明给我回个电话", ["赵德明"]),
    ("浙商银行企业信贷部叶老桂博士则从另一个角度进行了解读", ["叶老桂"]),
    # addresses with and without a cue word
    ("家庭住址四川省成都市武侯区人民南路四段12号", ["四川省成都市武侯区人民南路四段12号"]),
    # hard negatives: products, organisations, places alone, business numbers
    ("易方达蓝筹精选混合怎么样", []),
    ("华夏基金管理有限公司的客服电话是多少", []),
    ("我在北京", []),
    ("辽宁省的分红怎么交税", []),
    ("请问161610今天净值多少", []),
    ("领先成长混合C类的赎回费", []),
    ("address改成深圳市福田区福华三路88号", ["深圳市福田区福华三路88号"]),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(ZhNerRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_zh_ner_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected


def test_a_fund_manager_named_in_the_documents_stays(nlp_engine) -> None:
    redactor = full_redactor(nlp_engine)
    text = "基金经理为刘思远，管理领先成长混合"
    assert redactor.redact(text).text == "基金经理为<PERSON>，管理领先成长混合"
    redactor.allow_names(redactor.names_in([text]))
    assert redactor.redact("刘思远的基金最近怎么样").text == "刘思远的基金最近怎么样"
    assert redactor.redact("刘思远管的基金 我叫周建平").text == "刘思远管的基金 我叫<PERSON>"


def full_redactor(nlp_engine) -> Redactor:
    return Redactor(RedactionSettings(), nlp_engine=nlp_engine)


@pytest.mark.parametrize(
    ("address", "street"),
    [
        ("人民南路四段12号", True),
        ("阳光花园3栋", True),
        ("北京", False),
        ("辽宁省", False),
        ("美国", False),
    ],
)
def test_street_level_rule(address: str, street: bool) -> None:
    assert is_street_level(address) is street


def test_model_scores_stay_below_the_rules() -> None:
    assert 0.4 < score_of(0.5) < score_of(1.0) < 0.5


def test_bio_spans_and_loaded_once() -> None:
    assert bio_spans(["B-PER", "I-PER", "O", "B-ADDR", "B-ADDR", "I-PER"]) == [
        ("PER", 0, 2),
        ("ADDR", 3, 4),
        ("ADDR", 4, 5),
        ("PER", 5, 6),
    ]
    assert default_tagger() is default_tagger()


def test_overlapping_or_touching_spans_of_one_type_merge() -> None:
    spans = [
        Span("PERSON", 0, 2, 0.6),
        Span("PERSON", 2, 3, 0.9),  # touches: one name cut in two
        Span("ADDRESS", 1, 4, 0.5),  # another type never merges with a name
        Span("PERSON", 5, 7, 0.7),
    ]
    assert merged(spans) == [
        Span("ADDRESS", 1, 4, 0.5),
        Span("PERSON", 0, 3, 0.9),
        Span("PERSON", 5, 7, 0.7),
    ]


def test_a_span_grows_over_likely_neighbours_but_not_over_spaces() -> None:
    seed_only = CrfTagger(thresholds={"PER": 0.7, "ADDR": 0.5})
    grown = CrfTagger(thresholds={"PER": 0.7, "ADDR": 0.5}, extend={"PER": 0.0, "ADDR": 0.5})
    text, tokens = "基金经理为刘思远 |", [(0, 4), (4, 5), (5, 8), (8, 9), (9, 10)]
    seeds = [(s.start, s.end) for s in seed_only.spans(text, tokens) if s.entity_type == "PERSON"]
    spans = [(s.start, s.end) for s in grown.spans(text, tokens) if s.entity_type == "PERSON"]
    assert seeds and all(any(a <= s and e <= b for a, b in spans) for s, e in seeds)
    assert all(e <= 8 for _, e in spans)  # never over " |"


def test_the_models_can_be_swapped_for_the_comparison() -> None:
    both = ner_recognizer(("crf", "spacy"))
    assert issubclass(both, ZhNerRecognizer) and both.USES == ("crf", "spacy")
    assert ZhNerRecognizer.USES == ("crf",)  # the shipped choice


@pytest.mark.parametrize(
    ("text", "span", "whole"),
    [
        ("余家头小区三期b座的房子", (0, 5), "余家头小区三期b座"),
        ("榆林路某弄5号", (0, 3), "榆林路某弄5号"),
        ("西关路198-3号，", (0, 6), "西关路198-3号"),
        ("阳光花园3栋2单元501室吗", (0, 4), "阳光花园3栋2单元501室"),
        ("世纪大道，买了3000元", (0, 4), "世纪大道"),
        # a position at it (session 12)
        ("位于大浪街道华兴路大浪工商所对面，", (2, 14), "大浪街道华兴路大浪工商所对面"),
        ("在淮海路与洪武路十字路口等信号灯", (5, 8), "洪武路十字路口"),
        ("就在世纪大道100号东北角", (2, 6), "世纪大道100号东北角"),
        ("立水桥站西北300米处", (0, 4), "立水桥站西北300米"),
        ("人民路附近的网点", (0, 3), "人民路附近"),
        ("人民路附件要带上", (0, 3), "人民路"),
    ],
)
def test_an_address_is_completed_over_its_door_and_room_numbers(
    text: str, span: tuple[int, int], whole: str
) -> None:
    done = completed(text, Span("ADDRESS", *span, 0.5))
    assert text[done.start : done.end] == whole


@pytest.mark.parametrize(
    "text",
    ["Please call John Smith at +852 6387 2914", "12 Queen's Road Central, Hong Kong", "", "  "],
)
def test_a_text_without_a_chinese_character_never_reaches_the_models(
    monkeypatch, text: str
) -> None:
    # every span the recognizer keeps needs a Chinese character, so the models are skipped
    from assistant.redaction.recognizers import zh_ner

    class Unreachable:
        def spans(self, text: str, tokens: list) -> list[Span]:
            raise AssertionError("a model ran on a text without Chinese")

    monkeypatch.setitem(zh_ner.MODELS, "unreachable", Unreachable)
    recognizer = ner_recognizer(("unreachable",))()
    assert recognizer.analyze(text, ["PERSON", "ADDRESS"]) == []


@pytest.mark.parametrize(
    ("text", "spans", "tokens", "whole"),
    [
        # two roads joined by 与 (or 和, 或) are one place (session 12)
        (
            "途经翁洲大道与盐河路交叉路口时",
            [(2, 6), (7, 10)],
            [(0, 2), (2, 4), (4, 6), (6, 7), (7, 10), (10, 14), (14, 15)],
            ["翁洲大道与盐河路交叉路口"],
        ),
        ("长丰村1号或2号。", [(0, 5), (6, 8)], [], ["长丰村1号或2号"]),
        # a span that cuts a word is widened to it
        (
            "系统派大圣烧烤港窑路店",
            [(4, 11)],
            [(0, 2), (2, 3), (3, 5), (5, 7), (7, 10), (10, 11)],
            ["大圣烧烤港窑路店"],
        ),
        # two places apart stay apart; a word boundary never narrows a span
        ("人民路和解放路，", [(0, 3)], [(0, 3), (3, 4), (4, 7)], ["人民路"]),
        ("北京和上海的人民路", [(6, 9)], [], ["人民路"]),
    ],
)
def test_addresses_are_made_whole(
    text: str, spans: list[tuple[int, int]], tokens: list[tuple[int, int]], whole: list[str]
) -> None:
    found = whole_addresses(text, [Span("ADDRESS", s, e, 0.5) for s, e in spans], tokens)
    assert [text[s.start : s.end] for s in found] == whole
