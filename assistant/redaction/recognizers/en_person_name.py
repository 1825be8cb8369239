"""Personal names in English sentences (My name is John Smith, I'm Jane Doe, Mr. Lee).

Format: Western names as capitalised words (first name, optional middle, surname), and
Chinese names in characters or Hanyu Pinyin after the same triggers (My name is 张伟,
Name: Zhang Wei). Names are open-class, so only names announced by a trigger are found:

* "my name is", "name:", "contact:", "account holder:", "call me" — strong; also 我叫/姓名
  before a Latin name (我叫John Smith);
* a courtesy title (Mr, Mrs, Ms, Miss, Dr), masked with the name (Mr. Wang → <PERSON>, as
  in ``evals/datasets/pii.jsonl``);
* "my wife/dad/…" followed by two capitalised words (my wife Li Wei);
* "I'm", "I am", "this is", "it's", "name" — weak: two capitalised words (I'm Jane Doe), or
  one word ending the clause (I'm John.). Capitalised non-names after them (I'm Chinese,
  I'm Not sure) are rejected by a list of nationalities, languages and common adjectives.

Lower-case names (my name is john) are not found: capitalisation is the evidence here.
"""

from __future__ import annotations

import regex as re

from assistant.redaction.recognizers.base import BasePatternRecognizer
from assistant.redaction.recognizers.zh_surnames import surname_length

_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
_LATIN_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"
_HAN_NAME = r"\p{Han}{2,4}(?!\p{Han})"
_STRONG = (
    r"(?<=(?i:\bmy\s+name\s+is|\bmy\s+name['’]s|\bfull\s+name\s+is|\bname\s*[:：]"
    r"|\bcontact\s*[:：]|\b(?:account|card)\s*holder\s*[:：]?|\bcall\s+me)\s{0,3}"
    r"|(?:我叫|名字是|名字叫|姓名\s*[:：]?)\s{0,3})"
)
_TITLE_WORD = r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Madam)\.?\s{1,2}"
_RELATIVE = (
    r"(?<=(?i:\bmy\s+(?:wife|husband|dad|father|mom|mum|mother|son|daughter|brother"
    r"|sister|partner|spouse))\s{1,3})"
)
_WEAK = r"(?<=(?:\b[Ii]['’]m|\b[Ii]\s+am|\b[Tt]his\s+is|\b[Ii]t['’]?s|\b[Nn]ame)\s{1,3})"
_CLAUSE_END = r"(?=\s*(?:[,.!;?]|$|\s(?:and|from|here|speaking)\b))"
_TITLE_PREFIX = re.compile(_TITLE_WORD)
_HAN_START = re.compile(r"\p{Han}")

# fmt: off
NOT_NAMES = frozenset([
    "Chinese", "China", "American", "British", "English", "Canadian", "Australian",
    "Japanese", "Korean", "Singaporean", "Malaysian", "French", "German", "Indian",
    "Russian", "Hongkonger", "Cantonese", "Mandarin", "Asian", "European", "Christian",
    "Muslim", "Buddhist", "Catholic", "Hong", "Kong", "Macau", "Macao",
    "Taiwanese", "Shanghai", "Beijing", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
    "May", "June", "July", "August", "September", "October", "November",
    "December", "Sorry", "Not", "Fine", "Good", "Happy", "Worried",
    "Confused", "Ready", "Sure", "New", "Here", "Back", "Done",
    "Okay", "Ok", "Interested", "Calling", "Writing", "Looking", "Trying",
    "Just", "Also", "Still", "Very", "Really", "So", "Glad",
    "Afraid", "Unable", "Retired", "Fund", "Account", "Customer", "Client",
    "Investor", "Manager", "Service", "Support", "Bank", "The", "A",
    "An", "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr",
    "Madam", "Sir", "Urgent", "Important", "Great", "Wrong", "Right",
    "Correct", "True", "Odd",
])
# fmt: on


class EnPersonNameRecognizer(BasePatternRecognizer):
    """Names after English self-introductions and courtesy titles."""

    ENTITY = "PERSON"
    SUPPORTED_LANGUAGES = ("en",)
    PATTERNS = (
        ("en_name_stated", _STRONG + rf"(?:{_LATIN_NAME}|{_HAN_NAME})", 0.85),
        ("en_name_title", _TITLE_WORD + rf"(?:{_WORD}(?:\s+{_WORD})?|{_HAN_NAME})", 0.7),
        ("en_name_relative", _RELATIVE + rf"(?:{_WORD}(?:\s+{_WORD}){{1,2}}|{_HAN_NAME})", 0.6),
        ("en_name_im_full", _WEAK + rf"(?:{_WORD}(?:\s+{_WORD}){{1,2}}|{_HAN_NAME})", 0.6),
        ("en_name_im_single", _WEAK + _WORD + _CLAUSE_END, 0.45),
    )
    CONTEXT = ("name", "姓名", "名字")

    def invalidate_result(self, pattern_text: str) -> bool:
        """Reject non-names (I'm Chinese) and Han strings that are not surname + given name."""
        title = _TITLE_PREFIX.match(pattern_text)
        name = pattern_text[title.end() :] if title else pattern_text
        if _HAN_START.match(name):
            surname = surname_length(name)
            given = len(name) - surname
            return not (surname > 0 and given <= 2 and (given >= 1 or title is not None))
        return any(w in NOT_NAMES for w in name.split())
