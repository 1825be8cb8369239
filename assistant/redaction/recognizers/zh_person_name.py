"""Chinese personal names in context (我叫张伟, 姓名：李娜, 王先生, 我老婆吴婷婷).

Format: a Chinese name is a surname (one character, or two for compound surnames such as
欧阳) plus a given name of one or two characters (GB/T 28039-2011 on writing Chinese
names; surname list in ``zh_surnames``). Names are open-class, so only names announced by
a trigger are found:

* strong triggers: 我叫, 他叫/她叫, 名字是/叫, 姓名, 联系人, 收件人, 持卡人, 户名;
* weak triggers: 我是, 客户, 本人, and relatives (我老婆, 我妈叫, 我先生 …) — 我是新手,
  我是程序员 and 本人银行卡 are not names;
* titles: 先生, 女士, 小姐, 太太, 老师, 经理 after a surname.

Decision: a title is masked together with the name (王先生 → <PERSON>, 我叫王小明先生 →
我叫<PERSON>): the surname alone is identifying in a small customer base, and this matches
the labelling convention of ``evals/datasets/pii.jsonl``.

Checks against false positives: the candidate must start with a known surname; the given
name stops at function words (我叫张伟想问 → 张伟); a run too long to be a name is cut at a
jieba token boundary (我叫何敏快速赎回 → 何敏) or rejected (我是黄金会员). After weak triggers
and before titles, jieba's dictionary also rejects common words (程序员, 高手; 关于王先生 is
关于 + 王先生) while keeping dictionary names (tagged nr), and after 我是 a candidate followed
by 的客户 is a company (我是易方达的客户). After strong triggers (姓名：高明) the trigger is
trusted and the dictionary is not consulted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import jieba
import jieba.posseg
import regex as re
from presidio_analyzer import RecognizerResult

from assistant.redaction.recognizers.base import RuleRecognizer
from assistant.redaction.recognizers.zh_surnames import surname_length

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

# Characters that end a given name: particles, pronouns, common verbs and nouns that follow
# a name in customer messages (想, 问, 买, 手机, 身份证…). Rare in given names.
STOP_CHARS = frozenset(
    "的了是在和与跟及或就也都还又才再很太更最不没无要想会能可该得地着过把被让给向对从到自"
    "为于以而且但并如若因所之其这那哪谁啥什怎么吗呢吧啊呀哦嗯嘛啦哈我你您他她它们咱有买卖问"
    "咨询申赎办开查看说讲打拨电手号码身份证住邮先女士来去今昨前后现已刚将请谢好，。"
)
# Stop characters that are also common one-character given names (王刚, 陈刚, 刘开, 张来):
# after a trigger, a surname followed by one of them and then nothing Han (or a stop) is a name.
SOFT_STOPS = frozenset("刚开来申先好今前后现将明买卖问办查看说讲打电号码身份证住邮去已请谢")
STRONG_TRIGGER = (
    r"(?:[我他她]叫|名叫|名字(?:是|叫)|姓名(?:是|为)?|联系人|收件人|持卡人|开户人|户名)"
)
_RELATIVE = r"(?:老婆|老公|爱人|妻子|丈夫|太太|先生|爸爸?|妈妈?|父亲|母亲|儿子|女儿|哥哥?|姐姐?|弟弟?|妹妹?)"
WEAK_TRIGGER = rf"(?:我是|客户|本人(?:是)?|[我他她]的?{_RELATIVE}(?:叫|是|名叫)?)"
TITLES = r"(?:先生|女士|小姐|太太|老师|经理)"
# Fund houses and products that customers name after a trigger (我是易方达的客户, 本人易支付).
# fmt: off
NOT_NAMES = frozenset([
    "易方达", "华夏", "南方", "富国", "景顺", "银华", "华安", "万家",
    "申万", "浦银", "农银", "金鹰", "华富", "华商", "华宝", "华泰",
    "安信", "金信", "朱雀", "宁银", "东方红", "汇添富", "天弘", "蚂蚁",
    "余额宝", "易支付",
])
# fmt: on
_AFTER_COMPANY = re.compile(r"的(?:客户|用户|会员|基民|持有人|投资者|员工)")
_TRIGGER = re.compile(rf"(?P<strong>{STRONG_TRIGGER})|(?P<weak>{WEAK_TRIGGER})")
_TITLE = re.compile(TITLES)
_SEPARATOR = re.compile(r"[\s:：]*")
_COMMON_WORD_FREQ = 1000  # jieba tags some everyday words nr (白领, 明白); real names are rarer
STRONG_SCORE, WEAK_SCORE, TITLE_SCORE = 0.85, 0.6, 0.7


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _given_name_ok(given: str, allow_empty: bool) -> bool:
    if not given:
        return allow_empty
    if len(given) == 1 and given in SOFT_STOPS:
        return True
    return len(given) <= 2 and all(_is_han(c) and c not in STOP_CHARS for c in given)


def is_common_word(word: str) -> bool:
    """A jieba dictionary word that is not a person's name (高手, 程序员, 关于, 明白)."""
    tag = jieba.posseg.dt.word_tag_tab.get(word)
    if tag is None:
        return False
    return not tag.startswith("nr") or jieba.dt.FREQ.get(word, 0) >= _COMMON_WORD_FREQ


def plausible_name(candidate: str, *, surname_only: bool = False, words: bool = True) -> bool:
    """Surname + 1–2 given characters (a bare surname only before a title), no stop
    characters, not a brand; with ``words``, not a common word either (高手, 程序员) and not
    starting with one (关于王先生 is 关于 + 王先生)."""
    n = surname_length(candidate)
    if not n or candidate in NOT_NAMES:
        return False
    if not _given_name_ok(candidate[n:], allow_empty=surname_only):
        return False
    if not words or len(candidate) == n:
        return True
    if n == 1 and len(candidate) == 3 and is_common_word(candidate[:2]):
        return False
    return not is_common_word(candidate)


def name_after(
    text: str, pos: int, *, words: bool, token_starts: set[int] | None = None
) -> str | None:
    """The name starting at ``pos``: surname, then Han up to a stop character, if plausible.

    A run longer than any name is cut at a jieba token boundary (何敏|快速赎回) when there is
    one, and rejected otherwise (黄金会员 is one token): guessing a cut would mask words.
    """
    n = surname_length(text[pos : pos + 2])
    if not n:
        return None
    end = pos + n
    while end - pos < n + 3 and end < len(text) and _is_han(text[end]):
        if text[end] in STOP_CHARS:
            break
        end += 1
    if end == pos + n and _soft_stop_given_name(text, end):
        end += 1
    if end - pos > n + 2:
        boundaries = [b for b in (pos + n + 2, pos + n + 1) if token_starts and b in token_starts]
        if not boundaries:
            return None
        end = boundaries[0]
    candidate = text[pos:end]
    return candidate if plausible_name(candidate, words=words) else None


def _soft_stop_given_name(text: str, at: int) -> bool:
    """A one-character given name that is also a stop character (我叫王刚, 姓名：刘开): the
    character is a soft stop and what follows is not Han, or is a stop character itself."""
    if at >= len(text) or text[at] not in SOFT_STOPS:
        return False
    following = text[at + 1 : at + 2]
    return not following or not _is_han(following) or following in STOP_CHARS


def _token_starts(nlp_artifacts: NlpArtifacts | None) -> set[int] | None:
    if nlp_artifacts is None or nlp_artifacts.tokens is None:
        return None
    return set(nlp_artifacts.tokens_indices)


def name_before_title(text: str, title_start: int, token_starts: set[int] | None) -> int | None:
    """Start of the longest plausible name ending at ``title_start`` on a token boundary.

    A one-character token in front (向/王先生) is dropped when the rest is a name on its own.
    """
    starts = [
        s
        for s in range(max(0, title_start - 4), title_start)
        if (token_starts is None or s in token_starts)
        and plausible_name(text[s:title_start], surname_only=True)
    ]
    for s in starts:
        rest = next((r for r in starts if r > s), None)
        if rest is None or rest - s > 1:
            return s
    return None


class ZhPersonNameRecognizer(RuleRecognizer):
    """Chinese names after a trigger (我叫, 姓名, 联系人…) or before a title (先生, 女士…)."""

    ENTITY = "PERSON"
    SUPPORTED_LANGUAGES = ("zh",)
    CONTEXT = ("姓名", "名字", "我叫", "联系人", "name")
    EXPLANATION = "name rule"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names after triggers, then names before titles (a title is part of the span)."""
        token_starts = _token_starts(nlp_artifacts)
        found = list(self._after_triggers(text, token_starts))
        found += self._before_titles(text, token_starts)
        return [self._result(start, end, score) for start, end, score in found]

    def _after_triggers(
        self, text: str, token_starts: set[int] | None
    ) -> Iterator[tuple[int, int, float]]:
        for match in _TRIGGER.finditer(text):
            pos = _SEPARATOR.match(text, match.end()).end()
            weak = match.group("weak") is not None
            name = name_after(text, pos, words=weak, token_starts=token_starts)
            if name is None:
                continue
            end = pos + len(name)
            if weak and _AFTER_COMPANY.match(text, end):
                continue
            title = _TITLE.match(text, end)
            yield pos, title.end() if title else end, WEAK_SCORE if weak else STRONG_SCORE

    def _before_titles(
        self, text: str, token_starts: set[int] | None
    ) -> list[tuple[int, int, float]]:
        found = []
        for match in _TITLE.finditer(text):
            start = name_before_title(text, match.start(), token_starts)
            if start is not None:
                found.append((start, match.end(), TITLE_SCORE))
        return found
