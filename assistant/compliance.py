"""The compliance check on final text: risk disclosure, no guaranteed-return claims, no
personalised advice, and the suitability warning. The rules are data (prompts/compliance.yaml),
owned by Compliance; this module only applies them, on the final text whichever writer wrote it.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from assistant.funds import Fund
from assistant.prompts import PromptLibrary
from assistant.text import split_sentences

_LEVEL = re.compile(r"R([1-5])")


class ComplianceResult(BaseModel):
    text: str
    disclaimer: str | None = None
    suitability_warning: str | None = None
    removed: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ComplianceChecker:
    def __init__(self, prompts: PromptLibrary) -> None:
        self.rules: dict[str, Any] = prompts.rules("compliance")
        self.version: str = self.rules["version"]
        self._banned = [re.compile(p) for p in self.rules["banned_claims"]]
        self._advice = [re.compile(p) for p in self.rules["advice_claims"]]
        stated = self.rules["suitability"]["stated"]
        self._stated = re.compile(stated["pattern"], re.I)
        self._stated_names = {k.lower(): v for k, v in stated["names"].items()}

    def banned_claims(self, text: str) -> list[str]:
        return [m.group(0) for p in self._banned for m in p.finditer(text)]

    def advice_claims(self, text: str) -> list[str]:
        return [m.group(0) for p in self._advice for m in p.finditer(text)]

    def check(
        self,
        text: str,
        *,
        language: str,
        intent: str,
        doc_types: list[str],
        fund: Fund | None,
        client_level: str | None,
    ) -> ComplianceResult:
        result = ComplianceResult(text=text)
        kept = []
        for sentence in split_sentences(text):
            found = self.banned_claims(sentence) + self.advice_claims(sentence)
            if found:
                result.removed.append(sentence)
                result.notes.append(f"removed sentence with {found[0]!r}")
            else:
                kept.append(sentence)
        if result.removed:
            result.text = _join(kept, language)
        if self._needs_disclaimer(result.text, intent, doc_types):
            result.disclaimer = self._disclaimer(language, fund)
            result.notes.append("disclaimer")
        warning = self.suitability_warning(language, fund, client_level)
        if warning:
            result.suitability_warning = warning
            result.notes.append("suitability_warning")
        return result

    def _needs_disclaimer(self, text: str, intent: str, doc_types: list[str]) -> bool:
        rules = self.rules["disclaimer"]
        if intent in rules["intents"] or set(doc_types) & set(rules["doc_types"]):
            return True
        lowered = text.lower()
        return any(word.lower() in lowered for word in rules["triggers"])

    def _disclaimer(self, language: str, fund: Fund | None) -> str:
        rules = self.rules["disclaimer"]
        base = rules[language]
        if fund is None or not fund.risk_level:
            return base
        names = self.rules["risk_names"].get(fund.risk_level, {"zh": "", "en": ""})
        product = rules["product_risk"][language].format(
            fund=_fund_name(fund, language),
            risk_level=fund.risk_level,
            risk_name=names["zh"],
            risk_name_en=names["en"],
        )
        return f"{product}{'' if language == 'zh' else ' '}{base}"

    def stated_level(self, messages: list[str]) -> str | None:
        """The risk category the client stated in chat, latest message first."""
        for message in messages:
            match = self._stated.search(message)
            if match:
                said = match.group(1)
                return self._stated_names.get(said.lower(), said.upper())
        return None

    def suitability_warning(
        self, language: str, fund: Fund | None, client_level: str | None
    ) -> str | None:
        """A warning when the client's category is below the product's risk level."""
        if fund is None or not fund.risk_level or not client_level:
            return None
        rules = self.rules["suitability"]
        allowed = rules["max_level"].get(client_level)
        match = _LEVEL.fullmatch(fund.risk_level)
        if allowed is None or match is None or int(match.group(1)) <= allowed:
            return None
        template = rules["lowest_category" if client_level == "C1" else "warning"][language]
        return template.format(
            fund=_fund_name(fund, language), risk_level=fund.risk_level, client_level=client_level
        )


def _fund_name(fund: Fund, language: str) -> str:
    if language == "en":
        english = [a for a in fund.aliases if a.isascii()]
        return english[0] if english else fund.name
    return fund.name


def _join(sentences: list[str], language: str) -> str:
    return ("" if language == "zh" else " ").join(sentences)
