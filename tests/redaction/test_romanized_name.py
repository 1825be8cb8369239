"""RomanizedNameRecognizer: pinyin and HK-romanised names anywhere, English names at greetings,
sign-offs and after document numbers; places, companies and common words are not names."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.romanized_name import RomanizedNameRecognizer

CASES = [
    ("please check the account of Zhang Wei", ["Zhang Wei"]),
    ("ZHANG Wei holds two funds", ["ZHANG Wei"]),
    ("ZHANG XIAOMING, passport E12345678", ["ZHANG XIAOMING"]),
    ("transfer from Wei Zhang to me", ["Wei Zhang"]),
    ("my mother Liu Xiaohong wants to redeem", ["Liu Xiaohong"]),
    ("Zhang Xiao-ming", ["Zhang Xiao-ming"]),
    ("Ouyang Xiu called yesterday", ["Ouyang Xiu"]),
    ("Chan Tai Man, Flat 3B", ["Chan Tai Man"]),
    ("the holder is CHEUNG Ka Yan", ["CHEUNG Ka Yan"]),
    ("ask Kelly Sun to call back", ["Kelly Sun"]),
    ("我的护照E12345678 John Smith", ["John Smith"]),
    ("Dear Peter Johnson, thanks", ["Peter Johnson"]),
    ("Regards, Emily Carter", ["Emily Carter"]),
    # hard negatives
    ("I live in Hong Kong", []),
    ("Hang Seng Index is down", []),
    ("Ping An insurance", []),
    ("Zhang Hello", []),
    ("Bank of China", []),
    ("Wang Fund Management", []),
    ("please redeem my fund", []),
    ("Dear customer", []),
    ("order 20261120153045678 Done", []),
    ("Tai Po Road", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(RomanizedNameRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_romanized_name_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
