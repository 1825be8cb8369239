"""The company's contact facts come from its own profile beside its documents, not from code or
shared wording: a second company's clients are given the second company's hotline."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.company import CompanyProfile, load_company_profile
from assistant.handoff_draft import holding_message
from assistant.models import TurnRequest
from assistant.prompts import PromptLibrary

REPO = Path(__file__).resolve().parents[2]
MESSAGES = PromptLibrary().rules("messages")


@pytest.mark.parametrize(
    ("docs", "hotline", "other"),
    [
        (REPO / "knowledge_docs", "400-883-8088", "400-886-2718"),
        (REPO / "evals" / "kb2" / "docs", "400-886-2718", "400-883-8088"),
    ],
)
def test_holding_message_gives_the_serving_company_s_hotline(
    docs: Path, hotline: str, other: str
) -> None:
    company = load_company_profile(None, docs)
    text = holding_message(MESSAGES, company, priority=1, language="zh")
    assert hotline in text
    assert other not in text
    assert "人工服务时间" in text


def test_without_a_profile_the_holding_message_names_no_number(tmp_path: Path) -> None:
    company = load_company_profile(None, tmp_path)
    assert company == CompanyProfile()
    for language in ("zh", "en"):
        text = holding_message(MESSAGES, company, priority=1, language=language)
        assert text == MESSAGES["holding"][language]
        assert not any(ch.isdigit() for ch in text)


def test_urgent_holding_message_promises_contact_without_the_hotline() -> None:
    company = load_company_profile(None, REPO / "knowledge_docs")
    text = holding_message(MESSAGES, company, priority=3, language="zh")
    assert text == MESSAGES["holding_urgent"]["zh"]


def test_english_holding_message_uses_the_english_hotline() -> None:
    company = load_company_profile(None, REPO / "knowledge_docs")
    text = holding_message(MESSAGES, company, priority=1, language="en")
    assert "+86-755-2694-8088" in text and "Service hours: weekdays" in text


def test_a_named_profile_that_is_missing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_company_profile(tmp_path / "nope.yaml", tmp_path)


def test_a_profile_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    (tmp_path / "company.yaml").write_text("hotlines: ['1']\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        load_company_profile(None, tmp_path)


def test_served_company_contacts_stay_readable_and_are_handed_to_clients(
    components, pipeline
) -> None:  # type: ignore[no-untyped-def]
    masked = components.redactor.redact("请发邮件到 privacy@rtfund.com 或 service@rtfund.com").text
    assert "privacy@rtfund.com" in masked and "service@rtfund.com" in masked
    assert components.company.hotline["zh"] == "400-883-8088"  # read from the docs folder
    reply = pipeline.handle(TurnRequest(message="请帮我转人工客服"))
    assert reply.route == "handoff"
    holding = {
        holding_message(MESSAGES, components.company, priority=p, language="zh") for p in (1, 3)
    }
    assert reply.answer in holding
