"""ZhNameBesideNumberRecognizer: a bare name pasted beside a phone, ID or card number."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.redaction.recognizers.zh_name_beside_number import ZhNameBesideNumberRecognizer
from tests.conftest import REPO

CASES = [
    ("谢宇航 13356292884 开户", ["谢宇航"]),
    ("张伟，13812345678", ["张伟"]),
    ("13812345678 李娜", ["李娜"]),
    ("欧阳娜娜 110101199003071234", ["欧阳娜娜"]),
    ("帮我老公问 韩冬 他的卡6222025665662093629 工行", ["韩冬"]),
    # hard negatives
    ("开户 他的卡6222025665662093629", []),
    ("收款人 6222020200112233445", []),  # 收款 is not a surname + name
    ("开户 13356292884", []),
    ("手机 13812345678", []),
    ("基金 161610", []),  # six digits is a fund code, not context
    ("我想赎回13812345678", []),  # glued to a sentence: not a standalone name
    ("订单 20261120153045678", []),
    ("电话 400-883-8088", []),
    ("领先成长 161610 016802", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(ZhNameBesideNumberRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_name_beside_number(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected


def test_built_alone_it_still_knows_common_words() -> None:
    """Without our NLP engine (which loads jieba), the recognizer must load jieba's dictionary
    itself, or 白领 passes for a name. A fresh interpreter: this test process has jieba loaded."""
    code = (
        "from assistant.redaction.recognizers.zh_name_beside_number import "
        "ZhNameBesideNumberRecognizer as R\n"
        "print(len(R().analyze('白领 13356292884', ['PERSON'])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip().splitlines()[-1] == "0"
