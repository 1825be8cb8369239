"""CnResidentIdRecognizer: valid IDs masked exactly; checksum/date/region failures never."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.redaction.recognizers.cn_resident_id import CnResidentIdRecognizer
from tests.redaction.conftest import ID_CHECK, ID_WEIGHTS, resident_id


def with_wrong_check(number: str) -> str:
    """The same ID with a different (hence wrong) check character."""
    return number[:17] + ("1" if number[17] != "1" else "2")


def id_ending_in_x() -> str:
    """A valid ID whose check character is X."""
    return next(n for n in (resident_id(seq=f"{s:03d}") for s in range(1000)) if n.endswith("X"))


VALID = resident_id()
VALID_X = id_ending_in_x()
HK_RESIDENT = resident_id(region="810000", birth="19851231", seq="045")
FUTURE = resident_id(birth=f"{date.today().year + 1}0101")
IMPOSSIBLE_DATE = resident_id(birth="19900230")
BEFORE_1900 = resident_id(birth="18991231")
BAD_PROVINCE = resident_id(region="190101")

CASES = [
    # true positives: (text, exact substrings masked)
    (f"我的身份证号是{VALID}谢谢", [VALID]),
    (f"身份证{VALID}", [VALID]),
    (f"ID number: {VALID}.", [VALID]),
    (f"证件号码 {VALID_X}", [VALID_X]),
    (f"证件号码 {VALID_X.lower()}", [VALID_X.lower()]),
    (f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}", [f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}"]),
    (f"{VALID[:6]}-{VALID[6:14]}-{VALID[14:]}", [f"{VALID[:6]}-{VALID[6:14]}-{VALID[14:]}"]),
    (f"香港居民居住证 {HK_RESIDENT}", [HK_RESIDENT]),
    # hard negatives
    (f"身份证号{with_wrong_check(VALID)}", []),
    (f"身份证号{IMPOSSIBLE_DATE}", []),
    (f"身份证号{FUTURE}", []),
    (f"身份证号{BEFORE_1900}", []),
    (f"身份证号{BAD_PROVINCE}", []),
    (f"订单号{VALID}", []),
    (f"流水号：{VALID}", []),
    (f"{VALID}9", []),
    (f"9{VALID}", []),
    (f"{VALID[:4]} {VALID[4:8]} {VALID[8:12]} {VALID[12:16]} {VALID[16:]}", []),
    ("订单号 20261120153045678", []),
    ("基金代码161610，申购10000元，净值1.0862", []),
    ("2026年11月20日 15:00 到账", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(CnResidentIdRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_resident_id_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected


@pytest.mark.parametrize(
    "number", [with_wrong_check(VALID), IMPOSSIBLE_DATE, FUTURE, BEFORE_1900, BAD_PROVINCE]
)
def test_negative_data_really_is_invalid(number: str) -> None:
    body, check = number[:17], number[17]
    weighted = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    checksum_ok = ID_CHECK[weighted % 11] == check
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        date_ok = date(1900, 1, 1) <= born <= date.today()
    except ValueError:
        date_ok = False
    assert not (checksum_ok and date_ok and number[:2] != "19")
