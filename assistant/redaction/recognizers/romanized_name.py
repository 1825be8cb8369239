"""Chinese names written in Latin letters, wherever they stand: Hanyu Pinyin (Zhang Wei,
ZHANG Wei, Wei Zhang, Zhang Xiaoming, Ouyang Xiu) and Hong Kong / Macau romanisation
(Chan Tai Man, CHEUNG Ka Yan), and English names in the common positions of a client's
message (Dear …, regards …, a name written right after a passport or ID number).

Format: a Chinese surname in its romanised form, then a given name of one or two syllables
(pinyin written joined, hyphenated or spaced; HK style spaced), in either order; every word is
capitalised (or all upper case, as in passports). Pinyin given names are checked syllable by
syllable against the pinyin syllable structure (initial + final), so Zhang Hello is not a
name; HK given names are one or two short capitalised words.

Not names although they look so: places and companies whose names are romanised surname
pairs (Hong Kong, Hang Seng, Ping An, Tai Po…) and a pair followed by a word that makes it an
organisation (Bank, Fund, Road…). The fund managers the documents name are filtered by the
redactor's ``allow_names`` list like every other public name.
"""

from __future__ import annotations

import regex as re

from assistant.redaction.recognizers.base import BasePatternRecognizer

# fmt: off
PINYIN_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Yuan", "Pan", "Jiang", "Cai", "Yu", "Du", "Ye", "Cheng", "Su", "Wei", "Lv", "Lyu", "Ding", "Ren", "Shen", "Yao", "Lu", "Cui", "Zhong", "Tan", "Fan", "Jin", "Shi", "Liao", "Jia", "Xia", "Fu", "Fang", "Bai", "Zou", "Meng", "Xiong", "Qin", "Qiu", "Yin", "Xue", "Yan", "Duan", "Lei", "Hou", "Long", "Shao", "Tao", "Mao", "Hao", "Gong", "Wan", "Qian", "Kong", "Qi", "Mo", "Kang", "Niu", "Qiao", "Ni", "Zhuang", "Nie", "Zhan", "Geng", "Guan", "Lan", "Jiao", "Yue", "Gu", "Ou", "Ouyang", "Sima", "Shangguan", "Zhuge", "Dongfang", "Situ", "Murong"]
HK_SURNAMES = ["Chan", "Wong", "Cheung", "Lau", "Leung", "Lee", "Ng", "Ho", "Yip", "Tsang", "Lam", "Tang", "Chow", "Fung", "Kwok", "Yeung", "Mak", "Tse", "Siu", "Lo", "Kwan", "Chu", "Au", "Hui", "Tam", "Poon", "Choi", "Law", "Lai", "Chiu", "Kwong", "Man", "Mok", "Tsui", "Wai", "Yuen", "Chung", "Chong", "Tong", "Ko", "Sze", "Cheng", "Chau", "Ling", "Lui", "Luk", "Ting"]
NOT_NAMES = frozenset([
    "Hong Kong", "Hang Seng", "Ping An", "Tai Po", "Sha Tin", "Tai Wai", "Kwun Tong",
    "Wan Chai", "Mong Kok", "Sham Shui", "Kowloon Tong", "Tsuen Wan", "Yuen Long",
    "Tin Shui", "Sai Kung", "Lai Chi", "Ma On", "Tai Koo", "Lan Kwai", "Sheung Wan",
    "Wing On", "Tsim Sha", "Sha Tsui", "Tung Chung", "Ho Man", "Kai Tak", "Shun Tak",
    "Hai Tong", "Zhong Guo", "Bei Jing", "Shang Hai", "Shen Zhen", "Guang Zhou",
    "Xia Men", "Hang Zhou", "Tian Tian", "Fu Guo", "Hua Xia", "Nan Fang",
])
# fmt: on
_NOT_GIVEN = frozenset(
    ["Dear", "Hi", "Hello", "Hey", "Thanks", "Regards", "Please", "Mr", "Mrs", "Ms", "Dr", "Miss"]
)
_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|uai|ian|iao|uan|van|ai|ei|ao|ou|an|en|er|in|un"
    r"|ia|ie|iu|ua|uo|ui|ue|ve|a|o|e|i|u|v|ü)"
)
_SYLLABLE = re.compile(rf"{_INITIAL}{_FINAL}")
_GIVEN_PINYIN = re.compile(rf"(?:{_INITIAL}{_FINAL}){{1,2}}")
_SURNAME_ALT = "|".join(sorted({*PINYIN_SURNAMES, *HK_SURNAMES}, key=len, reverse=True))
_CAP = r"(?:[A-Z][a-z]{0,7}|[A-Z]{2,8})"
_SURNAME = rf"(?:{_SURNAME_ALT}|(?-i:{_SURNAME_ALT.upper()}))"
_AFTER = (
    r"(?![A-Za-z'’-]|\s+(?:Bank|Fund|Funds|Securities|Capital|Group|Holdings|Road|Street|Rd"
    r"|Ave|Avenue|Centre|Center|Plaza|Building|Tower|Index|Insurance|Life|Asset|Investment"
    r"|Company|Co|Ltd|Limited|District|Station|Estate|Garden|Gardens|Court)\b)"
)
_SURNAME_FIRST = rf"(?<![A-Za-z'’-]){_SURNAME}(?:\s{_CAP}(?:-[A-Za-z][a-z]{{0,5}})?){{1,2}}{_AFTER}"
_GIVEN_FIRST = rf"(?<![A-Za-z'’-]){_CAP}(?:-{_CAP})?\s{_SURNAME}{_AFTER}"
# English names in the positions a name takes in a message: a greeting or sign-off, or right
# after a document number (护照E12345678 John Smith).
_EN_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
_CUE = (
    r"(?<=(?:\b(?:Dear|Hi|Hello|Regards|regards|Thanks|thanks|Sincerely|sincerely|Cheers)"
    r"[,，]?\s{1,3}|(?<![A-Za-z])[A-Z]{0,2}\d{7,18}[,，\s]{1,3}))"
)


def _pinyin_given(word: str) -> bool:
    parts = [p.lower() for p in re.split(r"[ -]", word) if p]
    if len(parts) == 1:
        return _GIVEN_PINYIN.fullmatch(parts[0]) is not None
    return len(parts) == 2 and all(_SYLLABLE.fullmatch(p) for p in parts)


def _surname_index(words: list[str]) -> int | None:
    surnames = {s.lower() for s in (*PINYIN_SURNAMES, *HK_SURNAMES)}
    if words[0].lower() in surnames:
        return 0
    return len(words) - 1 if words[-1].lower() in surnames else None


def plausible_romanized_name(value: str) -> bool:
    """Surname plus a given name that is pinyin, or HK-style short capitalised syllables."""
    if value in NOT_NAMES or value.title() in NOT_NAMES:
        return False
    words = value.split()
    if len(words) < 2 and "-" not in value:
        return False
    index = _surname_index(words)
    if index is None:
        return False
    given_words = words[1:] if index == 0 else words[:-1]
    given = " ".join(given_words)
    if _pinyin_given(given):
        return True
    if index == len(words) - 1 and len(given_words) == 1 and given not in _NOT_GIVEN:
        return given.istitle()  # an English given name before a Chinese surname: Kelly Sun
    hk_surname = words[index].title() in HK_SURNAMES
    return hk_surname and all(2 <= len(w) <= 5 for w in given_words)


class RomanizedNameRecognizer(BasePatternRecognizer):
    """Pinyin and Hong Kong-romanised Chinese names anywhere; English names at greetings,
    sign-offs and after document numbers."""

    ENTITY = "PERSON"
    SUPPORTED_LANGUAGES = ("en",)
    PATTERNS = (
        ("romanized_surname_first", _SURNAME_FIRST, 0.5),
        ("romanized_given_first", _GIVEN_FIRST, 0.5),
        ("en_name_in_position", _CUE + rf"{_EN_WORD}(?:\s{_EN_WORD}){{1,2}}", 0.5),
    )
    CONTEXT = ("name", "姓名", "名字", "passport", "护照", "holder", "mr", "ms")

    def invalidate_result(self, pattern_text: str) -> bool:
        """Romanised pairs must pass the surname and syllable checks; cued English names
        must not be common words."""
        from assistant.redaction.recognizers.en_person_name import NOT_NAMES as EN_NOT_NAMES

        words = pattern_text.split()
        if any(w in EN_NOT_NAMES or w.title() in EN_NOT_NAMES for w in words):
            return True
        if _surname_index(words) is not None or "-" in pattern_text:
            return not plausible_romanized_name(pattern_text)
        return False
