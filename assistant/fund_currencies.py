"""Currency share classes: a QDII fund sold in 人民币 and 美元 has classes that are a currency and a
letter (人民币A类, 美元现汇A类), so two of its codes are both "A" and the letter alone cannot say
whether 美元C类 or a 港币 class exists. Where the documents write a currency beside every code
of a fund, the pair is what a class is, and a class asked for by currency (港币份额, USD class C)
that no code has is one the company does not offer: the passage about another class must not be
quoted as its answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from assistant.fund_codes import CODE

# How documents and clients name a currency, and the one name it goes by here.
_CURRENCIES = (
    ("人民币", r"人民币|RMB|CNY"),
    ("美元", r"美元|美金|USD|US\s*dollars?|U\.S\.\s*dollars?"),
    ("港币", r"港币|港元|HKD|Hong\s*Kong\s*dollars?"),
    ("日元", r"日元|JPY|yen"),
    ("欧元", r"欧元|EUR|euros?"),
    ("英镑", r"英镑|GBP|pounds?\s*sterling"),
)
_NAMED = [(name, re.compile(pattern, re.I)) for name, pattern in _CURRENCIES]
_ANY = "|".join(pattern for _, pattern in _CURRENCIES)
# A currency class's label right before its code: "美元现汇A类 013972", "| 人民币C类份额代码 | 024691 |".
_LABEL = re.compile(
    rf"(?P<currency>{_ANY})\s*(?:现汇|现钞)?\s*(?P<letter>[A-EY])\s*(?:类|份额)"
    r"(?:份额)?(?:代码)?[^0-9A-Za-z；;，,]{0,6}$",
    re.I,
)


# A letter right after a currency asked for: 美元现汇C, 美元C类, USD C.
_LETTER_AFTER = re.compile(rf"(?:{_ANY})\s*(?:现汇|现钞)?\s*([A-EYa-ey])(?![A-Za-z])", re.I)


def letter_after_currency(text: str) -> str | None:
    """The class letter written right after a currency (美元现汇C), upper-cased."""
    match = _LETTER_AFTER.search(text)
    return match.group(1).upper() if match else None


def currency_of(text: str) -> str | None:
    """The currency a text names (the first, by where it stands), in its one name here."""
    found = [(m.start(), name) for name, pattern in _NAMED if (m := pattern.search(text))]
    return min(found)[1] if found else None


def currency_classes(texts: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Each code's (currency, letter), as the documents write it beside the code most often."""
    seen: dict[str, Counter[tuple[str, str]]] = {}
    for text in texts:
        for match in CODE.finditer(text):
            label = _LABEL.search(text[max(0, match.start() - 16) : match.start()])
            if label:
                currency = currency_of(label.group("currency")) or ""
                pair = (currency, label.group("letter").upper())
                seen.setdefault(match.group(1), Counter())[pair] += 1
    return {code: counts.most_common(1)[0][0] for code, counts in seen.items()}


def offers_currency(
    classes: tuple[tuple[str, str, str], ...],
    codes: tuple[str, ...],
    currency: str,
    share_class: str | None,
) -> bool | None:
    """Whether a fund has a class in `currency` (and with `share_class`'s letter, if given):
    None unless the documents write a currency beside every code of the fund."""
    if not codes or len(classes) < len(codes):
        return None
    letters = {letter for _, held, letter in classes if held == currency}
    if not letters:
        return False
    return share_class is None or share_class.upper() in letters
