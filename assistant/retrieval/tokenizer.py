"""Tokens for BM25, Chinese and English alike.

jieba's search mode emits both a compound and its parts (领先成长 → 领先, 成长, 领先成长), so a
client who writes only part of a name still matches. llama-index's BM25 retriever ignores its
`tokenizer=` argument and would make a whole Chinese clause one token, hence this module.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_loaded_words: set[str] = set()

_WORD = re.compile(r"[\w.+%]+", re.UNICODE)
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "吗",
        "呢",
        "啊",
        "吧",
        "呀",
        "么",
        "嘛",
        "是",
        "我",
        "我的",
        "你",
        "你们",
        "您",
        "他",
        "她",
        "它",
        "在",
        "和",
        "与",
        "及",
        "或",
        "请问",
        "请",
        "问",
        "一下",
        "怎么",
        "怎么样",
        "如何",
        "什么",
        "哪",
        "哪些",
        "多少",
        "有",
        "没有",
        "能",
        "可以",
        "会",
        "要",
        "想",
        "就",
        "都",
        "也",
        "还",
        "这",
        "那",
        "这个",
        "那个",
        "个",
        "一个",
        "吗？",
        "呗",
        "哈",
        "the",
        "a",
        "an",
        "is",
        "are",
        "am",
        "do",
        "does",
        "did",
        "how",
        "what",
        "which",
        "when",
        "where",
        "who",
        "why",
        "to",
        "of",
        "in",
        "on",
        "for",
        "and",
        "or",
        "i",
        "my",
        "me",
        "you",
        "your",
        "it",
        "its",
        "be",
        "can",
        "could",
        "would",
        "should",
        "will",
        "with",
        "at",
        "by",
        "from",
        "this",
        "that",
        "there",
    ]
)


def add_words(words: Iterable[str]) -> None:
    """Teach jieba our fund names and codes, so they survive segmentation as one token."""
    with _lock:
        for word in words:
            if word and word not in _loaded_words:
                jieba.add_word(word, freq=20000)
                _loaded_words.add(word)
                _cached_tokens.cache_clear()  # a new word can change how a text segments


def tokenize(text: str) -> list[str]:
    """The text's search tokens (a new list each call; the work is cached: every turn
    tokenizes the same live passages again for ranking and answerability)."""
    return list(_cached_tokens(text))


@functools.lru_cache(maxsize=8192)
def _cached_tokens(text: str) -> tuple[str, ...]:
    tokens = []
    for token in jieba.cut_for_search(text.lower()):
        token = token.strip()
        if not token or token in STOPWORDS or not _WORD.search(token):
            continue
        tokens.append(token)
    return tuple(tokens)
