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
function word (我, 在, 住, 是…), so 我住在上海市… masks from 上海市 on, and a glued verb
(地址改成杭州市…) is trimmed off; other words glued in front can still be swept in
(我们公司北京市… masks 公司北京市…), which over-masks but never leaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex as re
from presidio_analyzer import RecognizerResult

from assistant.redaction.recognizers.base import MEDIUM, BasePatternRecognizer

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

_NOT_IN_PLACE = "我你您他她它们的是在住址到至寄搬把给请要想吗呢吧啊哦嗯就也还说了不这那哪或号"
_NC = rf"(?:(?![{_NOT_IN_PLACE}])\p{{Han}})"
# Cheap guards keep matching linear on long messages: an address starts with a Chinese
# character and reaches a digit within 70 characters (possessive, no backtracking), and each
# administrative unit is atomic (shortest name + suffix, never re-split).
_DIGIT_AHEAD = r"(?=\p{Han})(?=\D{2,70}+\d)"
_ADMIN = (
    _DIGIT_AHEAD
    + rf"(?>{_NC}{{1,7}}?(?:省|自治区|特别行政区|市|自治州|州|盟|地区|区|县|旗|镇|乡|街道)){{0,4}}"
)
_STREET = rf"{_NC}{{2,12}}?(?:大道|大街|路|街|道|巷|胡同)(?:[东南西北中]?段)?"
_DOOR = r"\d{1,5}(?:-\d{1,4})?(?:号|弄)"
_ESTATE = (
    rf"{_NC}{{2,10}}?(?:小区|花园|公寓|家园|新村|新城|苑|大厦|广场|中心)"
    r"\d{1,4}(?:号楼|栋|幢|座|期)"
)
# After the door number: building, unit, floor, room — each a number (or a letter, or a
# Chinese numeral) plus its unit word, optionally after a building name (SOHO现代城2号楼,
# 环球中心W6区1栋, 太古汇一座, 创业广场B座).
_FILLER = rf"(?:{_NC}|[A-Za-z0-9]){{0,12}}?"
_UNIT_NUMBER = r"(?:\d{1,5}|[A-Z]|[一二三四五六七八九十]{1,3})"
_DETAIL = rf"(?:{_FILLER}{_UNIT_NUMBER}(?:号楼|栋|幢|座|单元|楼|层|室|号|弄|户))"
# A bare room number closing the address (3单元502, 财富大厦21A), never a longer digit run.
_ROOM = (
    rf"(?:(?:{_NC}{{0,10}}?(?:大厦|中心|广场|大楼|公寓))?"
    r"(?<=单元|栋|幢|座|号楼|号|弄|楼|大厦|中心|广场|大楼|公寓)"
    r"\d{1,5}[A-Z]?(?![\dA-Za-z年月日号点时分秒元万份%.]))?"
)
# Verbs that can be glued to the front of an address (地址改成杭州市…) and are not part of it.
_LEADING_VERBS = re.compile(r"(?:改成|改为|更改为|变更为|换成|寄往|发往|送往|位于|现住|就是)")

_EN_TRIGGER = (
    r"(?<=(?i:\b(?:live|lives|living|reside|resides|residing|stay|staying|located|moved)"
    r"\s+(?:at|to|in|on)|\baddress\s+(?:is|to)|\baddress\s*[:：]|\b(?:send|ship|deliver|mail"
    r"|post)\s+(?:it|them|(?:the|my)\s+\w+)\s+to)\s{1,3})"
)
_EN_STREET_TYPE = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place"
    r"|Pl|Terrace|Crescent|Highway|Hwy)\b\.?(?:\s+(?:Central|East|West|North|South))?"
)
# After the street: ", District", ", City Name", ", BC V6E 1C1", ", #12-03", up to four parts;
# digit tokens are postal-code sized, so a phone number after a comma is never taken.
_EN_PART = r"(?:[A-Z][A-Za-z0-9]*|\d[A-Za-z0-9]{0,5}(?![A-Za-z0-9]))"
_EN_TAIL = rf"(?:,\s*(?:#\d{{1,3}}-\d{{1,4}}|{_EN_PART}(?:\s+{_EN_PART}){{0,2}})){{0,4}}"
_EN_ADDRESS = (
    _EN_TRIGGER + r"(?:(?:Flat|Room|Unit|Apt\.?|Apartment|Suite)\s+[A-Za-z0-9-]+,?\s+)?"
    r"(?:(?:Building|Block|Tower|Bldg\.?)\s+[A-Za-z0-9-]+,?\s+)?"
    r"(?:\d{1,3}/F,?\s+)?\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?\s+(?:[A-Z][A-Za-z'’.-]*\s+){1,4}?"
    + _EN_STREET_TYPE
    + _EN_TAIL
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

    def invalidate_result(self, pattern_text: str) -> bool:
        """Drop 知道3号-style matches: a common word ending like a road, then a date."""
        return _NOT_A_ROAD.search(pattern_text) is not None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Pattern matches, with a glued leading verb (改成, 位于) moved out of the span."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            verb = _LEADING_VERBS.match(text, result.start, result.end)
            if verb:
                result.start = verb.end()
        return results
