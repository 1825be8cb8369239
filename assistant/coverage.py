"""Does any document cover what the client names?

Retrieval always finds the nearest passage, and for "你们有新能源主题基金吗" the nearest passage is
about one of our funds, close enough in e5 space to look confident. What tells the two apart is
plain: no document mentions 新能源 at all. `prompts/market_terms.yaml` lists what clients ask
about across the fund market (fund kinds, themes, indices, platforms, services, app features);
a question that names a listed topic none of whose words occur in any live document is one our
documents cannot answer, and goes to an agent.

The check reads the live documents, not a list of what we offer: when the content team adds a
document that covers a topic, questions about it are answered from then on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from assistant.prompts import PromptLibrary

_LATIN = re.compile(r"[A-Za-z]")


class UncoveredTopic(BaseModel):
    topic: str
    term: str  # the words of the question that name it


class CoverageCheck:
    def __init__(self, rules: dict[str, Any]) -> None:
        self.version = str(rules["version"])
        self._topics = {
            name: [_pattern(term) for term in terms] for name, terms in rules["topics"].items()
        }

    @classmethod
    def from_prompts(cls, prompts: PromptLibrary) -> CoverageCheck:
        return cls(prompts.rules("market_terms"))

    def uncovered(
        self, question: str, mentioned: Callable[[re.Pattern[str]], bool]
    ) -> list[UncoveredTopic]:
        """Topics the question names that no live document mentions in any of their words;
        `mentioned` asks the live documents."""
        found = []
        for topic, patterns in self._topics.items():
            named = next((m.group(0) for p in patterns if (m := p.search(question))), None)
            if named is not None and not any(mentioned(p) for p in patterns):
                found.append(UncoveredTopic(topic=topic, term=named))
        return found


def _pattern(term: str) -> re.Pattern[str]:
    """English words match whole words and their plural (ETFs, not 'netflix'); Chinese matches
    anywhere."""
    escaped = re.escape(str(term))
    if _LATIN.search(str(term)):
        escaped = rf"(?<![A-Za-z]){escaped}(?:s|es)?(?![A-Za-z])"
    return re.compile(escaped, re.IGNORECASE)
