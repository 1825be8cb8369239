"""Hong Kong and overseas street addresses written without a cue word.

``cn_address`` takes an English address only after a trigger (my address is, live at); a client
often just pastes it (Flat 5B, 23 Nathan Road, Tsim Sha Tsui, Kowloon; Room 1203, 12/F, Wing On
Centre, 111 Connaught Road Central, Sheung Wan, Hong Kong). Two shapes carry their own evidence:

* a unit word first (Flat, Room, Rm, Unit, Suite, Apt, Shop) or a floor (12/F), then
  comma-separated parts (building, street, district, city, postcode) — masked when some part
  is a street (a number and a street type) or a Hong Kong / Macau region;
* a door number, one to four capitalised words and a street type (88 Jianguo Road, 1288
  Robson Street), then the same tail.

Format: UPU postal addressing; the Hong Kong Post's addressing guide (flat, floor, block,
building, number and street, district, region). Street types are the written-out ones and the
usual abbreviations (Rd, St, Ave).
"""

from __future__ import annotations

import regex as re

from assistant.redaction.recognizers.base import MEDIUM, BasePatternRecognizer

_STREET_TYPE = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Terrace|Crescent"
    r"|Highway|Hwy|Path|Square|Circuit)\b\.?(?:\s+(?:Central|East|West|North|South))?"
)
_REGION = r"(?:Kowloon|Hong\s+Kong|New\s+Territories|N\.T\.|Macau|Macao|Taipa|Coloane)"
_PART = r"(?:\d{1,3}/F|#\d{1,3}-\d{1,4}|[A-Z][A-Za-z0-9'’.-]*|\d{1,5}[A-Za-z]?(?:-\d{1,5})?(?![/\w])|\d[A-Z]\d)"
_PHRASE = rf"{_PART}(?:\s+{_PART}){{0,5}}"
_TAIL = rf"(?:,?\s*{_PHRASE}){{0,6}}"
_UNIT = r"(?:Flat|Room|Rm\.?|Unit|Suite|Apt\.?|Apartment|Shop|\d{1,3}/F)"
_STREET = rf"\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?,?\s+(?:[A-Z][A-Za-z'’.-]*\s+){{1,4}}?{_STREET_TYPE}"
_HAS_STREET_OR_REGION = re.compile(rf"{_STREET}|\b{_REGION}\b")


class EnAddressRecognizer(BasePatternRecognizer):
    """Untriggered English addresses: unit-first with a street or region, or door + street."""

    ENTITY = "ADDRESS"
    SUPPORTED_LANGUAGES = ("en",)
    PATTERNS = (
        ("en_unit_address", rf"(?<![A-Za-z]){_UNIT}\s*[A-Za-z0-9-]*,?\s+{_PHRASE}{_TAIL}", MEDIUM),
        ("en_door_street", rf"(?<![A-Za-z0-9]){_STREET}(?:,\s*{_PHRASE}){{0,5}}", MEDIUM),
    )
    CONTEXT = ("address", "地址", "住址", "live", "mail", "ship")

    def invalidate_result(self, pattern_text: str) -> bool:
        """A unit-first run is an address only with a street or a region in it."""
        return _HAS_STREET_OR_REGION.search(pattern_text) is None
