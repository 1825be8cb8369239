"""The compliance rules applied to what an agent is about to send (an edited draft), before it
is sent: the same rules as every assistant answer (`ComplianceChecker`, prompts/compliance.yaml),
read as warnings for a person instead of silent removals."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.compliance import ComplianceChecker
from assistant.funds import FundCatalog


class AgentReplyCheck(BaseModel):
    banned: list[str] = Field(
        default_factory=list, description="Guarantee or advice phrases the rules forbid."
    )
    missing_disclosure: str | None = Field(
        None, description="The risk disclosure the text needs and does not carry."
    )

    @property
    def ok(self) -> bool:
        return not self.banned and self.missing_disclosure is None


def check_agent_reply(
    compliance: ComplianceChecker,
    text: str,
    *,
    language: str,
    intent: str,
    catalog: FundCatalog | None = None,
    client_level: str | None = None,
) -> AgentReplyCheck:
    """What would stop this text from going out: a banned claim, or a missing disclosure."""
    mentions = catalog.spot(text) if catalog else []
    fund = mentions[0].fund if len(mentions) == 1 else None
    result = compliance.check(
        text,
        language=language,
        intent=intent,
        doc_types=[],
        fund=fund,
        client_level=client_level,
    )
    banned = compliance.banned_claims(text) + compliance.advice_claims(text)
    base = str(compliance.rules["disclaimer"][language])
    missing = result.disclaimer if result.disclaimer and _core(base) not in _core(text) else None
    return AgentReplyCheck(banned=list(dict.fromkeys(banned)), missing_disclosure=missing)


def _core(text: str) -> str:
    """Whitespace-free, so a re-wrapped disclosure still counts as present."""
    return "".join(text.split())
