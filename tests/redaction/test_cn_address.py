"""CnAddressRecognizer: door-level addresses; bare regions, dates and codes never."""

from __future__ import annotations

import pytest

from assistant.redaction.recognizers.cn_address import CnAddressRecognizer

CASES = [
    ("我住在上海市浦东新区世纪大道100号", ["上海市浦东新区世纪大道100号"]),
    ("收货地址：北京市朝阳区建国路88号5号楼1201室", ["北京市朝阳区建国路88号5号楼1201室"]),
    ("广东省深圳市南山区科技园路1号，谢谢", ["广东省深圳市南山区科技园路1号"]),
    ("寄到浦东新区张江路88弄5号302室", ["浦东新区张江路88弄5号302室"]),
    ("家住阳光花园3栋2单元1501", ["阳光花园3栋2单元1501"]),
    ("世纪大道100号", ["世纪大道100号"]),
    (
        "地址改成杭州市西湖区文三路90号东部软件园3号楼502 邮编",
        ["杭州市西湖区文三路90号东部软件园3号楼502"],
    ),
    (
        "我住成都市武侯区天府大道北段1700号环球中心W6区1栋 附近",
        ["成都市武侯区天府大道北段1700号环球中心W6区1栋"],
    ),
    (
        "寄件地址广州市天河区天河路385号太古汇一座2301 电话",
        ["广州市天河区天河路385号太古汇一座2301"],
    ),
    (
        "address改成深圳市福田区福华三路88号财富大厦21A thanks",
        ["深圳市福田区福华三路88号财富大厦21A"],
    ),
    ("南京市鼓楼区中山北路105号3单元502", ["南京市鼓楼区中山北路105号3单元502"]),
    ("I live at 12 Nathan Road", ["12 Nathan Road"]),
    (
        "My address is 88 Queen's Road Central, Hong Kong",
        ["88 Queen's Road Central, Hong Kong"],
    ),
    (
        "my address is Flat 5B, 23 Nathan Road, Tsim Sha Tsui, Kowloon, Hong Kong , thanks",
        ["Flat 5B, 23 Nathan Road, Tsim Sha Tsui, Kowloon, Hong Kong"],
    ),
    (
        "pls ship the docs to Apt 4B, 1288 Robson Street, Vancouver, BC V6E 1C1, Canada",
        ["Apt 4B, 1288 Robson Street, Vancouver, BC V6E 1C1, Canada"],
    ),
    (
        "mailing address: Room 1203, Building 2, 88 Jianguo Road, Chaoyang District, Beijing",
        ["Room 1203, Building 2, 88 Jianguo Road, Chaoyang District, Beijing"],
    ),
    (
        "update address to 18 Orchard Road, #12-03, Singapore 238833 thx",
        ["18 Orchard Road, #12-03, Singapore 238833"],
    ),
    ("I live at 12 Nathan Road, 13812345678 is my phone", ["12 Nathan Road"]),
    # hard negatives
    ("我在上海", []),
    ("上海市浦东新区", []),
    ("世纪大道", []),
    ("我想知道15号能到账吗", []),
    ("11月20号到账", []),
    ("2026年11月20日", []),
    ("12 Nathan Road", []),
    ("I live in Shanghai", []),
    ("基金代码161610，订单号20261120153045678", []),
    ("世纪大道100号13812345678", ["世纪大道100号"]),
    ("定投每月8号扣", []),
    ("信函请寄至深圳市南山区深南大道9966号威盛科技大厦", ["深圳市南山区深南大道9966号"]),
    ("或来信至深圳市南山区深南大道9966号", ["深圳市南山区深南大道9966号"]),
    ("我生在北京 长在上海 现在在深圳上班", []),
    ("通过支付宝渠道15号扣款", []),
]


@pytest.fixture(scope="module")
def find(finder):
    return finder(CnAddressRecognizer)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_address_spans(find, text: str, expected: list[str]) -> None:
    assert find(text) == expected
