"""Follow-ups such as 那C类呢？ / what about class C? only make sense with the turn before.

The extractive mode resolves them with rules over the fund catalog: a new share class replaces
the old one, a new fund replaces the old fund, a new topic keeps the fund. (With an LLM
configured the pipeline asks it to condense instead, and falls back to these rules.)
"""

from __future__ import annotations

import re

import jieba

from assistant.fund_currencies import currency_of
from assistant.funds import Fund, FundCatalog, FundMention, classes_named
from assistant.retrieval.tokenizer import tokenize
from assistant.text import ASKING_WORD

_LEAD = re.compile(
    r"^\s*(?:那么|那|还有|然后|另外|如果是|换成|and\b|what about\b|how about\b|and for\b)\s*", re.I
)
_TAIL = re.compile(r"(?:的呢|呢|吗|啊|呀|的)?\s*[？?。!！]*\s*$")
_CLASS_ONLY = re.compile(
    r"^(?:the\s+)?(?:class\s*)?([A-EYa-ey])\s*(?:类|份额|class|shares?)?$", re.I
)
_FOLLOW_UP_MARK = re.compile(
    r"^\s*(?:那么|那|还有|然后|另外|如果是|换成|and\b|what about|how about)|呢\s*[？?]?\s*$", re.I
)
# A pointer back to what was just discussed: "can I still buy it", 这只能定投吗.
_POINTER = re.compile(
    r"\b(?:it|this one|that one|this fund|that fund|the same fund)\b|它|这只|那只|这个基金|那个基金",
    re.I,
)
# "The same for this fund": 全球科技也是当天晚上出吗 after 纯债的净值几点能看到.
_ALSO = re.compile(r"也|同样|一样|\b(?:also|too|as well|the same)\b", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLASS_WORD = re.compile(r"(?<![A-Za-z])[ABCabc](?:类|份额)?(?![A-Za-z])")
_CLASS_NAMED = re.compile(r"(?<![A-Za-z])[A-EYa-ey](?:类|份额)|\bclass\s*[A-EYa-ey]\b", re.I)
_ASKS = re.compile(
    r"吗|么|咋|为何|为啥|能否|能不能|可不可以|是不是|有没有|要不要"
    r"|^(?:what|how|when|where|which|who|why|can|is|are|do|does)\b",
    re.I,
)
MAX_FOLLOW_UP_TOKENS = 5
# "Short" in characters for Chinese, in words for English: 一天最多能发几次 ~ weekend hours?
MAX_CARRY = (14, 4)
MAX_TOPIC_CARRY = (10, 3)


class FollowUpResolver:
    def resolve(self, text: str, previous: str | None, catalog: FundCatalog) -> str:
        """A standalone query for `text`, given the previous standalone query."""
        if not previous:
            return text
        if not self.is_follow_up(text):
            return self._carry_context(text, previous, catalog)
        core = _TAIL.sub("", _LEAD.sub("", text)).strip()
        asks = _asks(_LEAD.sub("", text))
        class_only = _CLASS_ONLY.match(core)
        before = catalog.spot(previous)
        now = catalog.spot(core)
        if class_only and before:
            return _with_class(previous, before[0].matched[0], class_only.group(1).upper())
        if now and before:
            topic = _CLASS_WORD.sub(" ", _without_fund(previous, before[0]))
            return " ".join(f"{core} {topic}".split())
        if before and len(tokenize(core)) >= 2:
            share_class = None if _CLASS_NAMED.search(core) else before[0].share_class
            fund = before[0].matched[0] + (
                _class_words(share_class, previous) if share_class else ""
            )
            if not asks:  # 那A类持有一年半呢: the earlier question, of this
                topic = _topic(_without_fund(previous, before[0]))
                if share_class is None:  # the class named now, not the earlier one
                    topic = _CLASS_WORD.sub(" ", topic)
                return " ".join(f"{fund} {core} {topic}".split())
            return f"{fund} {core}"
        if len(tokenize(core)) >= 2 and asks:  # a question of its own: its topic only
            return f"{_topic(previous)} {core}".strip()
        return f"{previous} {core}".strip()

    @staticmethod
    def _carry_context(text: str, previous: str, catalog: FundCatalog) -> str:
        """A short message naming no fund, after one that did, is still about that fund
        (纯债A和C有啥区别 → 我就放一年 哪个省), and so is one of any length that points back
        ("can I still buy it", "and the fee if I buy 2 million?"); a very short one keeps the
        previous topic (收不到验证码 → 一天最多能发几次; hotline number? → weekend hours?)."""
        named = catalog.spot(text)
        if named:
            return _same_for(text, named, previous, catalog)
        if not _points_back(text) and not _short(text, MAX_CARRY):
            return text
        before = catalog.spot(previous)
        if len(before) != 1:
            return f"{previous} {text}" if _short(text, MAX_TOPIC_CARRY) else text
        mention = before[0]
        if _lacks(mention.fund, text, catalog):
            return text
        share_class = _class_words(mention.share_class, previous) if mention.share_class else ""
        return f"{mention.matched[0]}{share_class} {text}"

    @staticmethod
    def is_follow_up(text: str) -> bool:
        return bool(_FOLLOW_UP_MARK.search(text)) and len(tokenize(text)) <= MAX_FOLLOW_UP_TOKENS

    @classmethod
    def marked(cls, text: str) -> bool:
        """The message says itself that it continues (那…, …呢, 这只, it, what about): carried
        context is its own. Otherwise only its shortness carried it, which a new question
        (怎么改手机号, 周末有人工吗) shares with a follow-up."""
        return cls.is_follow_up(text) or _points_back(text)


def _same_for(text: str, named: list[FundMention], previous: str, catalog: FundCatalog) -> str:
    """A message naming another fund than the question before asks that question of it when
    it says so (也, 同样, also, too): the earlier topic is carried, its fund left behind.
    Otherwise the message stands alone."""
    before = catalog.spot(previous)
    if not _ALSO.search(text) or len(named) != 1 or len(before) != 1:
        return text
    if named[0].fund == before[0].fund:
        return text
    return " ".join(f"{text} {_topic(_without_fund(previous, before[0]))}".split())


def _lacks(fund: Fund, text: str, catalog: FundCatalog) -> bool:
    """`text` names a share class or a currency class `fund` does not have (Y类份额申购费
    after 日日盈A类代码, 美元份额能定投吗 after a money fund's question): it asks about another
    fund, whose class it is, not this one. A currency counts as lacking when the documents
    never write one of the fund's classes in it and do write another fund's (the mirror of
    `FundCatalog.pointed_to`). Mid-conversation, right / wrong (dev): kb6 749 / 195 -> 762 /
    189, kb7 562 / 201 -> 566 / 201 (classes); kb2 531 / 39 -> 532 / 38 (currencies); kb4
    unchanged."""
    currency = currency_of(text)
    if currency:
        held = fund.offers(None, currency)
        if held is False or (
            held is None
            and any(f.offers(None, currency) for f in catalog.funds if f.codes != fund.codes)
        ):
            return True
    return any(fund.offers(letter) is False for letter in classes_named(text))


def _asks(text: str) -> bool:
    """The text asks something itself (几, 多少, 怎么, 吗, ?), not only names what to ask about
    (那登录密码呢 after 交易密码要设几位 asks the earlier question of the login password)."""
    return bool(_ASKS.search(text)) or any(ASKING_WORD.match(w) for w in jieba.cut(text))


def _points_back(text: str) -> bool:
    """Opens as a continuation (那…, and…, what about…) or points at what came before (它, it)."""
    return bool(_LEAD.match(text) or _POINTER.search(text))


def _without_fund(question: str, mention: FundMention) -> str:
    """The question with the names it gave the fund taken out (spotted regardless of case, so
    taken out regardless of case: "Pure Bond" in "pure bond class A fee")."""
    for alias in mention.matched:
        question = re.sub(re.escape(alias), " ", question, flags=re.I)
    return question


def _with_class(previous: str, alias: str, share_class: str) -> str:
    """The earlier question asked of another class: the class it named, right after the fund's
    name or anywhere else (an English question with the fund's Chinese name beside it: "fee
    on the pension 2045 fund class A? (泓岳养老2045)"), replaced by this one after the name."""
    position = previous.lower().find(alias.lower())
    words = _class_words(share_class, previous)
    if position < 0:
        return f"{previous}{words}"
    end = position + len(alias)
    rest = previous[end:]
    existing = re.match(r"\s*(?:class\s+)?[A-EYa-ey](?:类|份额)?(?![A-Za-z])", rest, re.I)
    if existing:
        rest = rest[existing.end() :]
    before = _CLASS_NAMED.sub(" ", previous[:position])
    return " ".join(f"{before}{previous[position:end]}{words}{_CLASS_NAMED.sub(' ', rest)}".split())


def _class_words(share_class: str, context: str) -> str:
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in context)
    return f"{share_class}类" if chinese else f" class {share_class}"


def _topic(question: str) -> str:
    """What a question is about, without what it asked: 定投最低投多少 → 定投最低投. Carried whole
    into a follow-up that asks its own question (那扣款日赶上放假咋办), the earlier asking
    words outvoted the new ones and the earlier answer was quoted again."""
    return "".join(w for w in jieba.cut(question) if not ASKING_WORD.match(w)).strip()


def _short(text: str, limits: tuple[int, int]) -> bool:
    """Within (characters for Chinese, words for English)."""
    chars, words = limits
    if _CJK.search(text):
        return len(text) <= chars
    return len(text.split()) <= words
