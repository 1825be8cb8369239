"""ZhPersonNameRecognizer: names after triggers or before titles; common words never."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.zh_person_name import ZhPersonNameRecognizer

CASES = [
    ("我叫张伟", ["张伟"]),
    ("我叫张伟想问一下161610", ["张伟"]),
    ("姓名：李娜", ["李娜"]),
    ("我的名字是王小明。", ["王小明"]),
    ("联系人：欧阳娜娜，电话见下", ["欧阳娜娜"]),
    ("客户刘德华来电", ["刘德华"]),
    ("本人赵丽颖", ["赵丽颖"]),
    ("我是李四", ["李四"]),
    ("王先生您好", ["王先生"]),
    ("李女士，您的申购已确认", ["李女士"]),
    ("关于王先生的事", ["王先生"]),
    ("联系了王小明先生", ["王小明先生"]),
    ("您好陈小姐", ["陈小姐"]),
    ("姓名：高明", ["高明"]),
    ("我叫王小明先生", ["王小明先生"]),
    ("我是张先生 上午打过电话", ["张先生"]),
    ("找陈经理就行", ["陈经理"]),
    ("他叫刘建华 手机见下", ["刘建华"]),
    ("我妈叫徐桂英 身份证", ["徐桂英"]),
    ("我老婆吴婷婷也想开户", ["吴婷婷"]),
    ("我叫何敏快速赎回额度为啥只有1万", ["何敏"]),
    ("账户名赵磊", ["赵磊"]),
    ("向王先生问好", ["王先生"]),
    # hard negatives
    ("我是新手", []),
    ("我是程序员", []),
    ("我是高手", []),
    ("我是白领", []),
    ("我是黄金会员", []),
    ("我是易方达的客户", []),
    ("我是客户经理", []),
    ("我是第一次买基金", []),
    ("这位先生", []),
    ("我先生说", []),
    ("项目经理", []),
    ("基金经理说", []),
    ("客户服务热线", []),
    ("我老婆想开户", []),
    ("一个账户最多可以绑定 5 张本人银行卡", []),
    ("红利打到本人银行卡", []),
    ("本人易支付货币份额", []),
    ("我爸高兴坏了", []),
    ("我叫郑凯，你们客服小王说", ["郑凯"]),
    ("刘思远管的基金怎么样", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(ZhPersonNameRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_zh_name_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我叫王刚", ["王刚"]),
        ("你好我是陈刚", ["陈刚"]),
        ("姓名：刘开", ["刘开"]),
        ("我叫张来，想问下分红", ["张来"]),
        ("我叫王刚想问一下", ["王刚"]),
    ],
)
def test_one_character_given_names_that_are_also_stop_characters(
    find, text: str, expected: list[str]
) -> None:
    assert find(text) == expected
