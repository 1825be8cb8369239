"""The company's own contact facts — hotline, service hours, mailboxes, address — read from a
small file that travels with its documents, never from code or from the shared wording.

The holding message tells a client when people answer and which number to call; the redactor
keeps these values readable. Both must be the serving company's: with the facts in
`prompts/messages.yaml` a second company's clients were given the first company's hotline.
Without a profile the wording simply leaves the contact sentence out.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.settings import RedactionSettings
from assistant.vocabulary import Language

PROFILE_NAME = "company.yaml"


class CompanyProfile(BaseModel):
    """`company.yaml` beside the knowledge documents (or at `FA_COMPANY_PROFILE`)."""

    model_config = ConfigDict(extra="forbid")

    name: dict[Language, str] = Field(default_factory=dict)
    hotline: dict[Language, str] = Field(
        default_factory=dict, description="The number a client is told to call, per language."
    )
    service_hours: dict[Language, str] = Field(
        default_factory=dict, description="When people answer, per language, as a phrase."
    )
    crisis_lines: dict[Language, str] = Field(
        default_factory=dict,
        description="Whom a client who writes of suicide or self-harm is told to call now "
        "(emergency and mental-health helplines), per language, as a phrase.",
    )
    public_contacts: list[str] = Field(
        default_factory=list,
        description="Other values of the company's own that are never masked: more hotlines, "
        "mailboxes, the office address.",
    )

    def never_masked(self) -> list[str]:
        return sorted({*self.hotline.values(), *self.public_contacts})

    def redaction_settings(self, base: RedactionSettings) -> RedactionSettings:
        """`base` with this company's own contacts added to the values never masked."""
        return base.model_copy(update={"allow_list": [*base.allow_list, *self.never_masked()]})


def load_company_profile(path: Path | None, docs_dir: Path) -> CompanyProfile:
    """The profile at `path`, else `<docs_dir>/company.yaml`, else an empty one."""
    chosen = path or docs_dir / PROFILE_NAME
    if not chosen.is_file():
        if path is not None:
            raise FileNotFoundError(f"FA_COMPANY_PROFILE {path} does not exist")
        return CompanyProfile()
    return CompanyProfile.model_validate(yaml.safe_load(chosen.read_text(encoding="utf-8")) or {})
