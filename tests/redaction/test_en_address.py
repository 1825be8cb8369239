"""EnAddressRecognizer: Hong Kong and overseas addresses pasted without a cue word."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.en_address import EnAddressRecognizer

CASES = [
    (
        "Flat 5B, 23 Nathan Road, Tsim Sha Tsui, Kowloon, Hong Kong pls update",
        ["Flat 5B, 23 Nathan Road, Tsim Sha Tsui, Kowloon, Hong Kong"],
    ),
    (
        "Room 1203, 12/F, Wing On Centre, 111 Connaught Road Central, Sheung Wan, Hong Kong",
        ["Room 1203, 12/F, Wing On Centre, 111 Connaught Road Central, Sheung Wan, Hong Kong"],
    ),
    (
        "Flat B, 8/F, Block 2, Tai Koo Shing, Hong Kong",
        ["Flat B, 8/F, Block 2, Tai Koo Shing, Hong Kong"],
    ),
    ("Chan Tai Man, Flat 3B, 12 Nathan Road, Kowloon", ["Flat 3B, 12 Nathan Road, Kowloon"]),
    (
        "寄到 88 Jianguo Road, Chaoyang District, Beijing 谢谢",
        ["88 Jianguo Road, Chaoyang District, Beijing"],
    ),
    ("1288 Robson Street, Vancouver", ["1288 Robson Street, Vancouver"]),
    (
        "Apt 4B, 1288 Robson Street, Vancouver, BC V6E 1C1, Canada",
        ["Apt 4B, 1288 Robson Street, Vancouver, BC V6E 1C1, Canada"],
    ),
    ("Unit 3, 45 Queen Street West, Toronto", ["Unit 3, 45 Queen Street West, Toronto"]),
    # hard negatives
    ("Room for improvement in the fund", []),
    ("I live in Hong Kong", []),
    ("Unit price of Fund A is 1.08", []),
    ("Kowloon office", []),
    ("bought 3 funds last week", []),
    ("Nathan Road", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(EnAddressRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_en_address_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
