"""The reply an agent gets to accept, edit or reject: kind where emotion was found, grounded in
the same passages an answer would quote, and promising nothing only a human can decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.company import CompanyProfile
from assistant.vocabulary import DRAFT_MOODS, Language
from assistant.writers.base import WrittenAnswer


def draft_reply(
    messages: dict[str, Any],
    written: WrittenAnswer,
    *,
    reasons: list[str],
    emotion: str,
    language: str,
) -> str:
    openers = messages["draft_openers"]
    mood = next((m for m in DRAFT_MOODS if m in reasons or m == emotion), "neutral")
    parts = [openers[mood][language]]
    if mood == "crisis":
        return parts[0]  # the person first: no fee table or rule belongs in this reply
    if "advice_request" in reasons:
        parts.append(messages["draft_advice"][language])
    if "guarantee_request" in reasons:
        parts.append(messages["draft_guarantee"][language])
    parts.append(written.text or messages["draft_no_passage"][language])
    return "\n".join(parts)


def holding_message(
    messages: dict[str, Any],
    company: CompanyProfile,
    *,
    priority: int,
    language: Language,
    reasons: Sequence[str] = (),
    crisis_in_words: bool = True,
) -> str:
    """What the client reads while a person takes over: someone whose words name a crisis is
    told whom to call now (one only the model reads it in is promised a person, no numbers);
    urgent ones are promised a call; the others are told when people answer and which number
    to call, if the company's profile says."""
    space = "" if language == "zh" else " "
    if "crisis" in reasons and not crisis_in_words:
        return str(messages["holding_crisis_read"][language])
    if "crisis" in reasons:
        lines = company.crisis_lines.get(language)
        help_now = (
            messages["holding_crisis_lines"][language].format(crisis_lines=lines)
            if lines
            else messages["holding_crisis_no_lines"][language]
        )
        return space.join([str(messages["holding_crisis"][language]), help_now])
    if priority >= 3:
        return str(messages["holding_urgent"][language])
    parts = [str(messages["holding"][language])]
    if hours := company.service_hours.get(language):
        parts.append(messages["holding_hours"][language].format(service_hours=hours))
    if hotline := company.hotline.get(language):
        parts.append(messages["holding_hotline"][language].format(hotline=hotline))
    return space.join(parts)
