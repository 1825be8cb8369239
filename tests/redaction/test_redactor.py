"""Redactor end to end: mixed languages, allow list, overlaps, offsets, size, offline."""

from __future__ import annotations

import itertools

import pytest
import tldextract

from assistant.redaction import Redaction, RedactionResult, Redactor
from assistant.redaction.recognizers.bank_card import BankCardRecognizer
from assistant.redaction.recognizers.cn_resident_id import CnResidentIdRecognizer
from assistant.settings import RedactionSettings
from tests.redaction.conftest import luhn_ok, resident_id, with_check_digit


def id_that_also_passes_luhn() -> str:
    """A Shenzhen resident ID (4… is also a card issuer prefix) that is Luhn-valid too."""
    ids = (resident_id(region="440305", seq=f"{seq:03d}") for seq in range(1000))
    return next(n for n in ids if n[-1] != "X" and luhn_ok(n))


NATIONAL_ID = resident_id()
CARD = with_check_digit("62170012345678901")


def test_mixed_language_message_is_masked_in_both(redactor: Redactor) -> None:
    result = redactor.redact("My name is 张伟, phone 13812345678")
    assert result.text == "My name is <PERSON>, phone <PHONE_NUMBER>"
    assert [r.entity_type for r in result.redactions] == ["PERSON", "PHONE_NUMBER"]


def test_chinese_message_with_several_kinds(redactor: Redactor) -> None:
    text = f"我叫李娜，身份证{NATIONAL_ID}，卡号{CARD}，邮箱li.na@qq.com谢谢"
    result = redactor.redact(text)
    assert result.text == (
        "我叫<PERSON>，身份证<CN_ID_CARD>，卡号<BANK_CARD>，邮箱<EMAIL_ADDRESS>谢谢"
    )


def test_same_value_seen_by_zh_and_en_runs_is_masked_once(redactor: Redactor) -> None:
    result = redactor.redact("手机 phone 13812345678")
    assert result.text == "手机 phone <PHONE_NUMBER>"
    assert len(result.redactions) == 1


def test_overlapping_entities_keep_one_by_registry_order(redactor: Redactor, finder) -> None:
    number = id_that_also_passes_luhn()
    assert finder(BankCardRecognizer)(f"号码{number}") == [number]  # both really claim it
    assert finder(CnResidentIdRecognizer)(f"号码{number}") == [number]
    result = redactor.redact(f"号码{number}")
    assert [r.entity_type for r in result.redactions] == ["CN_ID_CARD"]
    assert result.text == "号码<CN_ID_CARD>"


def test_business_numbers_are_never_masked(redactor: Redactor) -> None:
    text = (
        "订单号 20261120153045678，交易单号20261120153045678，基金代码161610和002001，"
        "申购10000元、5万，净值1.0862，涨幅3.5%，2026-11-20 15:00 前，2026年11月20日到账，"
        "验证码 123456，客服热线400-883-8088，监管热线12378，95105"
    )
    assert redactor.redact(text) == RedactionResult(text=text, redactions=[])


@pytest.mark.parametrize("allowed", RedactionSettings().allow_list)
def test_default_allow_list_values_stay(redactor: Redactor, allowed: str) -> None:
    text = f"请拨打{allowed}，我的手机13812345678"
    assert redactor.redact(text).text == f"请拨打{allowed}，我的手机<PHONE_NUMBER>"


def test_a_finding_that_covers_an_allowed_value_is_not_masked(nlp_engine) -> None:
    settings = RedactionSettings(allow_list=["深南大道9966号", "service@rtfund.com"])
    custom = Redactor(settings, nlp_engine=nlp_engine)
    text = "公司地址是深圳市南山区深南大道9966号威盛科技大厦吧，材料发service@rtfund.com"
    assert custom.redact(text).text == text


def test_allow_list_from_settings_is_honoured(nlp_engine) -> None:
    settings = RedactionSettings(allow_list=["13800000000"])
    custom = Redactor(settings, nlp_engine=nlp_engine)
    text = "公司总机13800000000，我的13812345678"
    assert custom.redact(text).text == "公司总机13800000000，我的<PHONE_NUMBER>"


def test_score_threshold_from_settings_is_honoured(nlp_engine) -> None:
    strict = Redactor(RedactionSettings(score_threshold=0.9), nlp_engine=nlp_engine)
    text = "世纪大道100号，手机13812345678"
    assert strict.redact(text).text == "世纪大道100号，手机<PHONE_NUMBER>"


def test_offsets_point_into_the_original_text(redactor: Redactor) -> None:
    text = f"Hi, I'm Jane Doe. 我的手机是138 1234 5678，身份证 {NATIONAL_ID}，住在世纪大道100号。"
    expected = ["Jane Doe", "138 1234 5678", NATIONAL_ID, "世纪大道100号"]
    redactions = redactor.find(text)
    assert [text[r.start : r.end] for r in redactions] == expected
    assert all(a.end <= b.start for a, b in itertools.pairwise(redactions))


def test_masked_text_never_contains_a_value(redactor: Redactor) -> None:
    text = f"我叫王小明，手机13812345678，卡号{CARD}，护照E12345678，邮箱wxm@163.com"
    result = redactor.redact(text)
    for r in result.redactions:
        assert text[r.start : r.end] not in result.text
    assert set(Redaction.model_fields) == {"entity_type", "start", "end", "score"}


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_input(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text) == RedactionResult(text=text, redactions=[])


def test_very_long_input(redactor: Redactor) -> None:
    filler = "请问基金161610今天的净值是1.0862吗？我想在15:00前申购10000元。" * 20
    chunk = f"{filler}我的手机13812345678，My name is John Smith. "
    text = (chunk * (20_000 // len(chunk) + 1))[:20_000]
    result = redactor.redact(text)
    assert len(text) == 20_000
    assert result.text.count("<PHONE_NUMBER>") == text.count("13812345678")
    assert "13812345678" not in result.text
    # No time limit here (tests assert no timings; `evals.pii_bench` measures the speed): the
    # e5 name reader reads this text in ~2.4 s, linear; catastrophic backtracking would hang it.


def test_nothing_reaches_tldextract(redactor: Redactor, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("tldextract was called")

    monkeypatch.setattr(tldextract.TLDExtract, "__call__", fail)
    monkeypatch.setattr(tldextract, "extract", fail)
    result = redactor.redact("email me: zhang.san@example.com.cn 谢谢")
    assert result.text == "email me: <EMAIL_ADDRESS> 谢谢"


def test_building_a_redactor_needs_no_network() -> None:
    # The package-wide no_network fixture blocks sockets; building and using must still work.
    fresh = Redactor(RedactionSettings())
    assert fresh.redact("13812345678").text == "<PHONE_NUMBER>"


def test_public_names_stay_readable(nlp_engine) -> None:
    custom = Redactor(RedactionSettings(), nlp_engine=nlp_engine)
    text = "张坤先生管理的基金怎么样？我叫王刚"
    assert custom.redact(text).text == "<PERSON>管理的基金怎么样？我叫<PERSON>"
    custom.allow_names(["张坤", " "])
    assert custom.redact(text).text == "张坤先生管理的基金怎么样？我叫<PERSON>"
    assert custom.public_names_in(text) == ["张坤"]  # the message is about the documents
    assert custom.public_names_in("我叫王刚") == []
    custom.allow_names([])
    assert custom.redact(text).text.startswith("<PERSON>管理")


def test_names_in_public_documents_become_allowed(nlp_engine) -> None:
    custom = Redactor(RedactionSettings(), nlp_engine=nlp_engine)
    documents = ["Fund manager: my name is Liu Siyuan", "联系人：赵宁远"]
    names = custom.names_in(documents)
    assert names == {"Liu Siyuan", "赵宁远"}
    custom.allow_names(names)
    assert custom.redact("is Liu Siyuan still the manager? I'm Jane Doe").text == (
        "is Liu Siyuan still the manager? I'm <PERSON>"
    )


def test_only_lines_naming_public_roles_are_scanned_for_public_names() -> None:
    from assistant.redaction import lines_naming_public_roles

    documents = ["本基金的基金经理为刘思远。\n持卡人张三请注意", "Managed by Liu Siyuan since 2020"]
    assert lines_naming_public_roles(documents) == [
        "本基金的基金经理为刘思远。",
        "Managed by Liu Siyuan since 2020",
    ]


def _result(entity: str, start: int, end: int, score: float, name: str):
    from presidio_analyzer import RecognizerResult

    return RecognizerResult(
        entity, start, end, score, recognition_metadata={"recognizer_name": name}
    )


@pytest.mark.parametrize(
    ("results", "kept"),
    [
        # the rule's address wins on score; the model's runs one word further: all is masked
        (
            [("ADDRESS", 1, 19, 0.8, "rule"), ("ADDRESS", 0, 19, 0.45, "model")],
            [("ADDRESS", 0, 19)],
        ),
        (
            [("ADDRESS", 0, 14, 0.8, "rule"), ("ADDRESS", 0, 25, 0.45, "model")],
            [("ADDRESS", 0, 25)],
        ),
        # another type's loser does not widen the winner
        (
            [("ADDRESS", 2, 10, 0.8, "rule"), ("PERSON", 0, 4, 0.45, "model")],
            [("ADDRESS", 2, 10)],
        ),
        # nor does a union that would reach another kept result
        (
            [
                ("PHONE_NUMBER", 0, 11, 0.9, "phone"),
                ("ADDRESS", 12, 20, 0.8, "rule"),
                ("ADDRESS", 5, 20, 0.45, "model"),
            ],
            [("PHONE_NUMBER", 0, 11), ("ADDRESS", 12, 20)],
        ),
    ],
)
def test_the_winner_of_an_overlap_covers_what_its_own_type_found(results, kept) -> None:
    from assistant.redaction.redactor import resolve_overlaps

    found = resolve_overlaps([_result(*r) for r in results], {"rule": 0, "model": 1, "phone": 2})
    assert [(r.entity_type, r.start, r.end) for r in found] == kept
