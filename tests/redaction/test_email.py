"""EmailRecognizer: addresses found even when glued to Chinese; malformed ones are not."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.email import EmailRecognizer

CASES = [
    ("我的邮箱是zhang.san@qq.com谢谢", ["zhang.san@qq.com"]),
    ("邮箱：li_si-01@163.com，", ["li_si-01@163.com"]),
    ("email: john.doe+fund@example.co.uk.", ["john.doe+fund@example.co.uk"]),
    ("Wang.Fang@Company.COM", ["Wang.Fang@Company.COM"]),
    ("发到a@b.cn和c.d@e-f.org", ["a@b.cn", "c.d@e-f.org"]),
    # hard negatives
    ("zhang..san@qq.com", []),
    ("@qq.com", []),
    ("zhang@qq", []),
    ("user@-bad.com", []),
    ("a@b.c", []),
    ("www.example.com", []),
    ("净值1.0862，版本v1.2.3", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(EmailRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_email_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
