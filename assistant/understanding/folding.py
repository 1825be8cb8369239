"""Traditional characters folded to simplified before the understand step reads a message.

The cue lists, the seed examples and the learned models were all built from simplified text; a
client writing 我們的服務太差 must read the same as 我们的服务太差. OpenCC's `t2s` table (the
reference conversion, phrase-aware) does the folding; simplified text passes through unchanged.
"""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """`text` with traditional Chinese characters replaced by their simplified forms."""
    return str(_converter().convert(text))
