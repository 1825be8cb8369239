"""Street addresses: Chinese (…省…市…区…路…号…室, …小区…栋…单元…) and English in context.

Format: Chinese addresses follow the administrative hierarchy of GB/T 2260 (province,
city, district/county, town/street office) and the door-plate conventions of the
地名管理条例 (road + number 号/弄, then building 栋/幢/号楼, unit 单元, floor, room 室).
English addresses follow the "number street-name street-type" order (e.g. UPU postal
addressing, Hong Kong's "12 Nathan Road").

Conservative by design: a Chinese address needs a door number after a road (世纪大道100号)
or a building number after a housing estate (阳光花园3栋); a bare region (我在上海,
上海市浦东新区) is not an address. An English address needs a trigger in front
(I live at, my address is) and a capitalised street type. The span never starts with a
function word (我, 在, 住, 是…), so 我住在上海市… masks from 上海市 on.
"""

from __future__ import annotations

import regex as re

from assistant.redaction.recognizers.base import MEDIUM, BasePatternRecognizer

_NOT_IN_PLACE = "我你您他她它们的是在住址到寄搬把给请要想吗呢吧啊哦嗯就也还说了不这那哪号"
_NC = rf"(?:(?![{_NOT_IN_PLACE}])\p{{Han}})"
_ADMIN = (
    rf"(?:{_NC}{{1,7}}?(?:省|自治区|特别行政区|市|自治州|州|盟|地区|区|县|旗|镇|乡|街道)){{0,4}}"
)
_STREET = rf"{_NC}{{2,12}}?(?:大道|大街|路|街|道|巷|胡同)"
_DOOR = r"\d{1,5}(?:-\d{1,4})?(?:号|弄)"
_ESTATE = rf"{_NC}{{2,10}}?(?:小区|花园|公寓|家园|新村|新城|苑|大厦|广场|中心)\d{{1,4}}(?:号楼|栋|幢|座|期)"
_DETAIL = rf"(?:{_NC}{{0,8}}?\d{{1,5}}(?:号楼|栋|幢|座|单元|楼|层|室|号|弄|户))"
_ROOM = r"(?:(?<=单元|栋|幢|座|号楼|号|弄)\d{1,5}(?![\d年月日号点时分秒元万份%.]))?"

_EN_TRIGGER = (
    r"(?<=(?i:\b(?:live|lives|living|reside|resides|residing|stay|staying|located|moved)"
    r"\s+(?:at|to|in|on)|\baddress\s+is|\baddress\s*[:：]|\b(?:send|deliver|mail)\s+"
    r"(?:it|them)\s+to)\s{1,3})"
)
_EN_STREET_TYPE = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place"
    r"|Pl|Terrace|Crescent|Highway|Hwy)\b\.?(?:\s+(?:Central|East|West|North|South))?"
)
_EN_ADDRESS = (
    _EN_TRIGGER + r"(?:(?:Flat|Room|Unit|Apt\.?|Apartment|Suite)\s+[A-Za-z0-9-]+,?\s+)?"
    r"(?:\d{1,3}/F,?\s+)?\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?\s+(?:[A-Z][A-Za-z'’.-]*\s+){1,4}?"
    + _EN_STREET_TYPE
    + r"(?:,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?){0,3}"
)
# Common words that end like a road (知道, 渠道, 思路…) followed by a day-of-month "3号".
_NOT_A_ROAD = re.compile(
    r"(?:渠道|频道|通道|知道|味道|管道|轨道|赛道|报道|难道|一道|道路|网路|思路|线路|电路|出路"
    r"|套路|销路|门路|走路|逛街|上街)\d"
)


class CnAddressRecognizer(BasePatternRecognizer):
    """Door-level street addresses in Chinese, and English ones after a trigger phrase."""

    ENTITY = "ADDRESS"
    PATTERNS = (
        ("cn_street_address", _ADMIN + _STREET + _DOOR + _DETAIL + "*" + _ROOM, MEDIUM),
        (
            "cn_estate_address",
            _ADMIN + rf"(?:{_STREET}{_DOOR})?" + _ESTATE + _DETAIL + "*" + _ROOM,
            MEDIUM,
        ),
        ("en_street_address", _EN_ADDRESS, MEDIUM),
    )
    CONTEXT = ("地址", "住址", "住在", "家住", "收货", "寄到", "邮寄", "address", "live")

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop 知道3号-style matches; otherwise keep the pattern's score (no checksum)."""
        return False if _NOT_A_ROAD.search(pattern_text) else None
