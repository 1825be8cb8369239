"""Follow-ups such as 那C类呢？ / what about class C? only make sense with the turn before.

The extractive mode resolves them with rules over the fund catalog: a new share class replaces
the old one, a new fund replaces the old fund, a new topic keeps the fund. (With an LLM
configured the pipeline asks it to condense instead, and falls back to these rules.)
"""

from __future__ import annotations

import re

from assistant.funds import FundCatalog
from assistant.retrieval.tokenizer import tokenize

_LEAD = re.compile(
    r"^\s*(?:那么|那|还有|然后|另外|如果是|换成|and\b|what about\b|how about\b|and for\b)\s*", re.I
)
_TAIL = re.compile(r"(?:的呢|呢|吗|啊|呀|的)?\s*[？?。!！]*\s*$")
_CLASS_ONLY = re.compile(r"^(?:the\s+)?(?:class\s*)?([ABCabc])\s*(?:类|份额|class|shares?)?$", re.I)
_FOLLOW_UP_MARK = re.compile(
    r"^\s*(?:那么|那|还有|然后|另外|如果是|换成|and\b|what about|how about)|呢\s*[？?]?\s*$", re.I
)
MAX_FOLLOW_UP_TOKENS = 5
MAX_CARRY_CHARS = 14
MAX_TOPIC_CARRY_CHARS = 10


class FollowUpResolver:
    def resolve(self, text: str, previous: str | None, catalog: FundCatalog) -> str:
        """A standalone query for `text`, given the previous standalone query."""
        if not previous:
            return text
        if not self.is_follow_up(text):
            return self._carry_context(text, previous, catalog)
        core = _TAIL.sub("", _LEAD.sub("", text)).strip()
        class_only = _CLASS_ONLY.match(core)
        before = catalog.spot(previous)
        now = catalog.spot(core)
        if class_only and before:
            return _with_class(previous, before[0].matched[0], class_only.group(1).upper())
        if now and before:
            topic = previous
            for alias in before[0].matched:
                topic = topic.replace(alias, " ")
            topic = re.sub(r"(?<![A-Za-z])[ABCabc](?:类|份额)?(?![A-Za-z])", " ", topic)
            return " ".join(f"{core} {topic}".split())
        if before and len(tokenize(core)) >= 2:
            share_class = before[0].share_class
            fund = before[0].matched[0] + (
                _class_words(share_class, previous) if share_class else ""
            )
            return f"{fund} {core}"
        return f"{previous} {core}".strip()

    @staticmethod
    def _carry_context(text: str, previous: str, catalog: FundCatalog) -> str:
        """A short message naming no fund, after one that did, is still about that fund
        (纯债A和C有啥区别 → 我就放一年 哪个省); a very short one keeps the previous topic
        (收不到验证码 → 一天最多能发几次)."""
        if len(text) > MAX_CARRY_CHARS or catalog.spot(text):
            return text
        before = catalog.spot(previous)
        if len(before) != 1:
            return f"{previous} {text}" if len(text) <= MAX_TOPIC_CARRY_CHARS else text
        mention = before[0]
        share_class = _class_words(mention.share_class, previous) if mention.share_class else ""
        return f"{mention.matched[0]}{share_class} {text}"

    @staticmethod
    def is_follow_up(text: str) -> bool:
        return bool(_FOLLOW_UP_MARK.search(text)) and len(tokenize(text)) <= MAX_FOLLOW_UP_TOKENS


def _with_class(previous: str, alias: str, share_class: str) -> str:
    position = previous.lower().find(alias.lower())
    words = _class_words(share_class, previous)
    if position < 0:
        return f"{previous}{words}"
    end = position + len(alias)
    rest = previous[end:]
    existing = re.match(r"\s*(?:class\s+)?[ABCabc](?:类|份额)?(?![A-Za-z])", rest, re.I)
    if existing:
        rest = rest[existing.end() :]
    return f"{previous[:end]}{words}{rest}"


def _class_words(share_class: str, context: str) -> str:
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in context)
    return f"{share_class}类" if chinese else f" class {share_class}"
