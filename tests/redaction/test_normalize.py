"""Obfuscated values: invisible characters, ideographic spaces and full-width or other Unicode
digits are folded for detection, and the masked span covers the value as it was written."""

from __future__ import annotations

import pytest

from assistant.redaction import Redactor
from assistant.redaction.normalize import normalize
from tests.redaction.conftest import resident_id, with_check_digit

PHONE = "13812345678"
NATIONAL_ID = resident_id(birth="19851231", seq="456")
CARD = with_check_digit("621700123456789012")
EMAIL = "zhang.wei@qq.com"

FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
ARABIC_INDIC = str.maketrans({str(d): chr(0x0660 + d) for d in range(10)})
DEVANAGARI = str.maketrans({str(d): chr(0x0966 + d) for d in range(10)})
MATH_BOLD = str.maketrans({str(d): chr(0x1D7CE + d) for d in range(10)})


def every_fourth(value: str, sep: str) -> str:
    """``sep`` after every fourth character (138<sep>1234<sep>…)."""
    return sep.join(value[i : i + 4] for i in range(0, len(value), 4))


OBFUSCATIONS = {
    "zero-width space": lambda v: every_fourth(v, "\u200b"),
    "zero-width joiner": lambda v: every_fourth(v, "\u200d"),
    "zero-width non-joiner": lambda v: every_fourth(v, "\u200c"),
    "word joiner": lambda v: every_fourth(v, "\u2060"),
    "soft hyphen": lambda v: every_fourth(v, "\u00ad"),
    "left-to-right mark": lambda v: every_fourth(v, "\u200e"),
    "left-to-right override": lambda v: every_fourth(v, "\u202d"),
    "byte order mark": lambda v: every_fourth(v, "\ufeff"),
    "between every character": lambda v: "\u200b".join(v),
    "ideographic space anywhere": lambda v: "\u3000".join(
        v[i : i + 3] for i in range(0, len(v), 3)
    ),
    "full-width": lambda v: v.translate(FULL_WIDTH),
    "full-width with zero-width": lambda v: every_fourth(v.translate(FULL_WIDTH), "\u200b"),
    "arabic-indic digits": lambda v: v.translate(ARABIC_INDIC),
    "devanagari digits": lambda v: v.translate(DEVANAGARI),
    "mathematical bold digits": lambda v: v.translate(MATH_BOLD),
}
VALUES = {
    "PHONE_NUMBER": ("手机", PHONE),
    "CN_ID_CARD": ("身份证", NATIONAL_ID),
    "BANK_CARD": ("卡号", CARD),
    "EMAIL_ADDRESS": ("邮箱", EMAIL),
}
CASES = [
    pytest.param(entity, label, obfuscate(value), id=f"{entity}-{name}")
    for entity, (label, value) in VALUES.items()
    for name, obfuscate in OBFUSCATIONS.items()
    if not (entity == "EMAIL_ADDRESS" and "digits" in name)
]


@pytest.mark.parametrize(("entity", "label", "written"), CASES)
def test_obfuscated_value_is_masked_whole(
    redactor: Redactor, entity: str, label: str, written: str
) -> None:
    text = f"我的{label}是{written}，谢谢"
    result = redactor.redact(text)
    assert result.text == f"我的{label}是<{entity}>，谢谢"


@pytest.mark.parametrize(
    ("written", "entity"),
    [
        ("138\u30001234\u30005678", "PHONE_NUMBER"),  # ideographic spaces as separators
        ("138\u00a01234\u00a05678", "PHONE_NUMBER"),  # no-break spaces
        ("138\u20131234\u20135678", "PHONE_NUMBER"),  # en dashes
        ("＋８６　１３８　１２３４　５６７８", "PHONE_NUMBER"),
        (every_fourth(CARD, "\u3000"), "BANK_CARD"),
        ("zhang\u200b.wei\u2060@qq\u00ad.com", "EMAIL_ADDRESS"),
    ],
)
def test_spacing_and_dash_variants_are_masked(
    redactor: Redactor, written: str, entity: str
) -> None:
    assert redactor.redact(f"联系我：{written}").text == f"联系我：<{entity}>"


@pytest.mark.parametrize(
    "text",
    [
        "基金代码１６１６１０，申购１００００元，２０２６年１１月２０日到账",
        "客服热线４００-８８３-８０８８，监管热线１２３７８",
        "订单号\u200b20261120153045678",
        "净值１.０８６２，涨幅３.５％",
        "基金161610　申购　10000元",
    ],
)
def test_business_numbers_in_full_width_are_kept(redactor: Redactor, text: str) -> None:
    assert redactor.redact(text).text == text


def test_offsets_cover_the_original_characters(redactor: Redactor) -> None:
    written = every_fourth(PHONE, "\u200b")
    text = f"电话{written}。"
    [found] = redactor.find(text)
    assert text[found.start : found.end] == written


def test_plain_text_is_not_remapped() -> None:
    folded = normalize("我的手机13812345678")
    assert folded.text == "我的手机13812345678"
    assert not folded.changed


def test_folding_drops_and_maps_back() -> None:
    folded = normalize("a\u200b１\u3000中")
    assert folded.text == "a1 中"
    assert normalize("1391\u30002345").text == "13912345"  # splitting a value, not typography
    assert folded.span_to_original(1, 2) == (2, 3)
    assert folded.span_to_original(0, 2) == (0, 3)  # the dropped character inside is covered
