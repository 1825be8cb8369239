"""The shape of every YAML file in `prompts/`: a typo in a key or a wrong type fails on load,
with the file and the key in the message, not as a KeyError in the middle of a chat turn.

`PromptLibrary.rules(name)` validates `prompts/<name>.yaml` against `SCHEMAS[name]` and returns
the validated data as a plain mapping (callers index it as before). The understanding rules and
examples (`prompts/understanding/`) have their own schema in `assistant/understanding/rules.py`.
A new file needs a schema here before it can be loaded.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Wording(_Strict):
    """One text in both languages."""

    zh: str
    en: str


class Versioned(_Strict):
    version: str = Field(min_length=1)


class AnswerType(_Strict):
    question: str = Field(description="Regex: the question asks for this kind of answer.")
    passage: str = Field(description="Regex: a passage holds this kind of answer.")


class AnswerTypes(Versioned):
    types: dict[str, AnswerType]


class Disclaimer(_Strict):
    zh: str
    en: str
    product_risk: Wording
    intents: list[str]
    doc_types: list[str]
    triggers: list[str]


class Suitability(_Open):
    max_level: dict[str, int]
    warning: Wording
    stated: dict[str, Any]
    lowest_category: Wording


class Compliance(Versioned):
    disclaimer: Disclaimer
    risk_names: dict[str, Wording]
    banned_claims: list[str]
    advice_claims: list[str]
    suitability: Suitability


class MarketTerms(Versioned):
    topics: dict[str, list[str]]


class Messages(Versioned):
    holding: Wording
    holding_hours: Wording
    holding_hotline: Wording
    holding_urgent: Wording
    holding_crisis: Wording
    holding_crisis_lines: Wording
    holding_crisis_read: Wording
    holding_crisis_no_lines: Wording
    draft_openers: dict[str, Wording]
    draft_no_passage: Wording
    draft_advice: Wording
    draft_guarantee: Wording
    cross_language_note: Wording
    ask_back: Wording
    ask_fund: Wording
    off_topic: Wording


class PairReaderFile(_Strict):
    file: str = Field(description="The fine-tuned pair reader under prompts/ (safetensors).")
    weight: float = Field(ge=0, description="Its standardised score's weight in the ranking.")
    reads: int = Field(ge=2, description="How many of the linear ranker's first it reads.")


class PassageRankerWeights(Versioned):
    candidates: int = Field(ge=1)
    pair_reader: PairReaderFile | None = None
    second_passage_margin: float = 0.0
    faq_question_floor: float = Field(ge=0, le=1)
    weights: dict[str, float]


class Retrieval(Versioned):
    synonyms: dict[str, list[str]]
    reference_pattern: re.Pattern[str] = Field(
        description="A passage's pointer to another document; its one group is the title."
    )

    @field_validator("reference_pattern")
    @classmethod
    def _one_title_group(cls, pattern: re.Pattern[str]) -> re.Pattern[str]:
        if pattern.groups != 1:
            raise ValueError("reference_pattern needs exactly one group: the quoted title")
        return pattern


class Web(Versioned):
    """The pages' wording (prompts/web.yaml): every text in both languages, by page."""

    common: dict[str, Wording]
    chat: dict[str, Wording]
    login: dict[str, Wording]
    agent: dict[str, Wording | dict[str, Wording]]


SCHEMAS: dict[str, type[Versioned]] = {
    "answer_types": AnswerTypes,
    "compliance": Compliance,
    "market_terms": MarketTerms,
    "messages": Messages,
    "passage_ranker": PassageRankerWeights,
    "retrieval": Retrieval,
    "web": Web,
}
