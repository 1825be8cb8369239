"""EnPersonNameRecognizer: names after English introductions and titles; no adjectives."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.en_person_name import EnPersonNameRecognizer

CASES = [
    ("My name is John Smith", ["John Smith"]),
    ("my name is Zhang Wei.", ["Zhang Wei"]),
    ("My name is 张伟, phone later", ["张伟"]),
    ("Name: Mary-Jane Watson", ["Mary-Jane Watson"]),
    ("I'm Jane Doe and I hold two funds", ["Jane Doe"]),
    ("Hi, I'm John.", ["John"]),
    ("this is Mr. Lee", ["Mr. Lee"]),
    ("Ms. Wang Fang called", ["Ms. Wang Fang"]),
    ("Please call me Tom", ["Tom"]),
    ("我叫John Smith，想开户", ["John Smith"]),
    ("hi, Mr Wang here", ["Mr Wang"]),
    ("my wife Li Wei wants an account too", ["Li Wei"]),
    ("contact: Michael Zhou m.zhou@yahoo.com", ["Michael Zhou"]),
    ("Account holder: Sophia Lin, ID below", ["Sophia Lin"]),
    ("hey its Kelly Sun. redeemed last week", ["Kelly Sun"]),
    ("ID below, name Chen Jing - need help", ["Chen Jing"]),
    # hard negatives
    ("I'm worried about my fund", []),
    ("I'm Chinese", []),
    ("I am Not sure", []),
    ("I'm in Hong Kong", []),
    ("This is Urgent", []),
    ("it's Monday already", []),
    ("my wife wants an account too", []),
    ("how is the fund managed by Liu Siyuan doing", []),
    ("my name is john", []),
    ("My name is 新手", []),
    ("I bought fund 161610 for 10000 yuan", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(EnPersonNameRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_en_name_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
