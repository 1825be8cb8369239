"""The pages in a real Chromium (Debian's, through Playwright's `executable_path`) against a real
uvicorn server over a real temporary index. One server and one browser for the whole module.

Waits have generous limits so a loaded machine does not fail them; how fast things happen is
the benchmark's business (`python -m evals.web_bench`), not the tests'.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.settings import Settings
from evals.web_harness import launch_chromium, live_server
from tests.conftest import API_KEYS

pytestmark = pytest.mark.slow
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
AGENT_A, AGENT_B, CONTENT = "agent-token-0001", "agent-token-0002", "content-token-001"
ANSWERABLE = "纯债C类赎回费怎么收"
COMPLAINT = "你们太过分了！！赎回的钱到现在都没到账，我要投诉你们！"
WAIT_MS = 20_000
expect.set_options(timeout=WAIT_MS)  # its own default is 5 s, short for a loaded machine
ASSISTANT_DONE = "[data-testid=chat-message][data-role=assistant]:not([aria-busy])"


@pytest.fixture(scope="module")
def base_url(kb_settings: Settings, components: Any) -> Iterator[str]:
    settings = kb_settings.model_copy(update={"api_keys": f"{API_KEYS},agent:{AGENT_B}"})
    with live_server(settings, components) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture
def csp_violations() -> Iterator[list[str]]:
    """Console reports of a CSP violation on any page a test opens: there must be none."""
    found: list[str] = []
    yield found
    assert not found, f"the pages broke their own Content-Security-Policy: {found}"


def open_page(browser: Any, url: str, violations: list[str], **options: Any) -> Any:
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(url)
    return page


def ask(page: Any, text: str) -> Any:
    """Send a message and wait until its answer has finished streaming; returns the answer."""
    before = page.locator(ASSISTANT_DONE).count()
    page.get_by_test_id("chat-input").fill(text)
    page.get_by_test_id("chat-send").click()
    expect(page.locator(ASSISTANT_DONE)).to_have_count(before + 1, timeout=WAIT_MS)
    return page.locator(ASSISTANT_DONE).last


def sign_in(browser: Any, base_url: str, token: str, violations: list[str]) -> Any:
    page = open_page(browser, f"{base_url}/agent", violations)
    page.get_by_test_id("login-token").fill(token)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("queue-count")).to_be_visible()
    return page


def queue_item(page: Any, handoff_id: str) -> Any:
    return page.locator(f"[data-testid=queue-item][data-handoff-id='{handoff_id}']")


def open_handoff(page: Any, handoff_id: str) -> None:
    """One click, even on a button the 2-s queue refresh has just put in (htmx binds it as it
    arrives: `defaultSettleDelay` 0)."""
    queue_item(page, handoff_id).click()
    expect(page.get_by_test_id("handoff-transcript")).to_be_visible()


def handoff_of(base_url: str, session_id: str) -> str:
    rows = httpx.get(
        f"{base_url}/v1/handoffs",
        params={"status": "all"},
        headers={"Authorization": f"Bearer {AGENT_A}"},
    ).json()
    return next(r["id"] for r in rows if r["session_id"] == session_id)


def session_of(page: Any) -> str:
    return str(page.evaluate("() => localStorage.getItem('fa-chat-session')"))


def test_question_is_answered_streamed_with_citation_and_disclosure(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    page = open_page(browser, f"{base_url}/chat", csp_violations)
    answer = ask(page, ANSWERABLE)
    assert int(answer.get_attribute("data-deltas")) > 1, "the answer arrived as one piece"
    assert answer.locator(".body").inner_text().strip()
    expect(answer.get_by_test_id("chat-disclaimer")).to_contain_text("基金有风险")
    assert "基金有风险" not in answer.locator(".body").inner_text(), "disclosure shown apart"
    citation = answer.get_by_test_id("chat-citation").first
    expect(citation.locator("blockquote")).to_be_hidden()
    citation.locator("summary").click()
    expect(citation.locator("blockquote")).to_be_visible()
    answer.get_by_test_id("chat-feedback-down").click()
    answer.locator(".comment textarea").fill("没说清楚C类")
    answer.locator(".comment button").click()
    expect(answer.locator(".feedback .thanks")).not_to_be_empty()

    page.reload()  # the conversation survives a reload
    expect(page.get_by_test_id("chat-message")).to_have_count(2)
    expect(page.get_by_test_id("chat-disclaimer")).to_have_count(1)


def test_suitability_notice_is_shown_apart_from_the_answer(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    page = open_page(browser, f"{base_url}/chat", csp_violations)
    ask(page, "我测评是保守型C1")
    answer = ask(page, "领先成长C类的销售服务费是多少")
    notice = answer.get_by_test_id("chat-suitability")
    expect(notice).to_contain_text("适当性提示")
    expect(notice).to_contain_text("R3")
    assert "适当性提示" not in answer.locator(".body").inner_text()
    expect(answer.get_by_test_id("chat-disclaimer")).to_contain_text("基金有风险")
    shown = page.get_by_test_id("chat-suitability").count()

    page.reload()  # shown apart after a reload too
    expect(page.get_by_test_id("chat-message")).to_have_count(4)
    expect(page.get_by_test_id("chat-suitability")).to_have_count(shown)
    assert "适当性提示" not in page.locator("[data-role=assistant] .body").last.inner_text()


def test_complaint_handed_off_then_agent_edits_and_client_sees_it_without_reload(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    agent = sign_in(browser, base_url, AGENT_A, csp_violations)  # open before the complaint
    client = open_page(browser, f"{base_url}/chat", csp_violations)
    ask(client, COMPLAINT)
    expect(client.get_by_test_id("chat-status")).to_be_visible()
    expect(client.get_by_test_id("chat-human")).to_be_hidden()
    handoff_id = handoff_of(base_url, session_of(client))

    item = queue_item(agent, handoff_id)
    expect(item).to_be_visible()  # arrived without a reload
    open_handoff(agent, handoff_id)
    expect(agent.locator("[data-testid=handoff-reasons] [data-code=complaint]")).to_have_text(
        "投诉"
    )
    expect(agent.get_by_test_id("handoff-transcript")).to_contain_text("我要投诉")
    agent.get_by_test_id("handoff-claim").click()
    expect(client.get_by_test_id("chat-status")).to_contain_text("正在为您回复")

    draft = agent.get_by_test_id("handoff-draft")
    draft.fill("这只基金保证收益。")
    expect(agent.locator("#check [data-check=banned]")).to_be_visible()
    agent.get_by_test_id("handoff-send-edit").click()
    expect(agent.locator("[data-problem=refused]")).to_be_visible()  # not sent

    edited = "您好，您反映的问题已登记，专员今天内电话联系您，给您带来不便非常抱歉。"
    agent.get_by_test_id("handoff-draft").fill(edited)  # one edit, right after the re-render
    expect(agent.locator("#check .check-ok")).to_be_visible()
    agent.get_by_test_id("handoff-send-edit").click()
    expect(agent.locator(".handoff[data-status=resolved]")).to_be_visible()

    reply = client.locator("[data-testid=chat-message][data-role=agent]")
    expect(reply).to_contain_text(edited, timeout=WAIT_MS)
    expect(client.get_by_test_id("chat-human")).to_be_visible()


def test_human_button_hands_off_and_a_second_agent_sees_it_taken(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    client = open_page(browser, f"{base_url}/chat?lang=en", csp_violations)
    ask(client, "How do I open an account?")
    client.get_by_test_id("chat-human").click()
    expect(client.get_by_test_id("chat-status")).to_contain_text("queue")
    expect(client.get_by_test_id("chat-human")).to_be_hidden()
    handoff_id = handoff_of(base_url, session_of(client))

    first = sign_in(browser, base_url, AGENT_A, csp_violations)
    second = sign_in(browser, base_url, AGENT_B, csp_violations)
    for page in (first, second):
        open_handoff(page, handoff_id)
        expect(
            page.locator("[data-testid=handoff-reasons] [data-code=human_requested]")
        ).to_be_visible()
    first.get_by_test_id("handoff-claim").click()
    expect(first.get_by_test_id("handoff-accept")).to_be_enabled()
    second.get_by_test_id("handoff-claim").click()  # its view is stale: the server refuses
    expect(second.locator("[data-problem=taken_by_other]")).to_be_visible()
    expect(second.get_by_test_id("handoff-accept")).to_be_disabled()
    expect(queue_item(second, handoff_id)).to_have_attribute("data-status", "claimed")
    expect(queue_item(second, handoff_id)).to_have_class("queue-item taken")

    first.get_by_test_id("handoff-accept").click()
    expect(client.locator("[data-testid=chat-message][data-role=agent]")).to_have_count(1)


def test_a_queue_button_held_down_through_a_refresh_still_opens_its_handoff(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    """A refresh that swapped the pressed button away lost the agent's click; the press here
    lasts longer than the refresh interval (2 s), so at least one refresh lands during it."""
    handoff_id = httpx.post(f"{base_url}/v1/chat", json={"message": COMPLAINT}).json()["handoff_id"]
    agent = sign_in(browser, base_url, AGENT_A, csp_violations)
    queue_item(agent, handoff_id).click(delay=2_500)
    expect(agent.get_by_test_id("handoff-transcript")).to_be_visible()
    expect(agent.locator(f".handoff[data-handoff-id='{handoff_id}']")).to_be_visible()


def test_what_the_client_writes_after_the_handoff_reaches_the_open_transcript(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    """Without a reload, and the draft the agent is editing is left as it is."""
    first = httpx.post(f"{base_url}/v1/chat", json={"message": COMPLAINT}).json()
    agent = sign_in(browser, base_url, AGENT_B, csp_violations)
    open_handoff(agent, first["handoff_id"])
    agent.get_by_test_id("handoff-claim").click()
    expect(agent.get_by_test_id("handoff-draft")).to_be_editable()
    typed = "您好，我们正在核查您的赎回款。"
    agent.get_by_test_id("handoff-draft").fill(typed)
    later = {"message": "还有，我上周也赎回过一笔", "session_id": first["session_id"]}
    httpx.post(f"{base_url}/v1/chat", json=later)
    expect(agent.get_by_test_id("handoff-transcript")).to_contain_text("上周也赎回过一笔")
    expect(agent.get_by_test_id("handoff-draft")).to_have_value(typed)


def test_staff_page_refused_without_sign_in_and_with_the_wrong_role(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    page = open_page(browser, f"{base_url}/agent", csp_violations)
    assert "/login" in page.url
    expect(page.get_by_test_id("queue-item")).to_have_count(0)
    page.get_by_test_id("login-token").fill(CONTENT)
    page.get_by_test_id("login-submit").click()
    expect(page.locator("[role=alert]")).to_be_visible()
    expect(page.get_by_test_id("queue-count")).to_have_count(0)
    response = page.request.get(f"{base_url}/agent/queue")
    assert response.status == 403


def test_html_in_a_message_shows_as_text_on_both_pages(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    hostile = "我要投诉！<img src=x><b>粗体</b><script>window.pwned=1</script>"
    client = open_page(browser, f"{base_url}/chat", csp_violations)
    ask(client, hostile)
    mine = client.locator("[data-testid=chat-message][data-role=client]").last
    expect(mine).to_contain_text("<b>粗体</b>")
    assert client.locator("#transcript img, #transcript b, #transcript script").count() == 0
    handoff_id = handoff_of(base_url, session_of(client))
    agent = sign_in(browser, base_url, AGENT_A, csp_violations)
    open_handoff(agent, handoff_id)
    transcript = agent.get_by_test_id("handoff-transcript")
    expect(transcript).to_contain_text("<b>粗体</b>")
    assert transcript.locator("img, b, script").count() == 0
    assert agent.evaluate("() => window.pwned") is None


def test_chinese_is_rendered_with_glyphs_not_boxes(
    browser: Any, base_url: str, csp_violations: list[str]
) -> None:
    from PIL import Image

    page = open_page(browser, f"{base_url}/chat", csp_violations)
    intro = page.locator(".intro")
    image = Image.open(io.BytesIO(intro.screenshot())).convert("L")
    dark = sum(1 for value in image.getdata() if value < 128)
    assert dark > 300, "no text drawn"
    # Missing glyphs draw the same box for every character: two different phrases drawn in
    # the page's font must differ from each other, and from a phrase of unassigned code points.
    shots = []
    for text in ("基金有风险", "投资需谨慎", "\U000e0fff" * 5):
        page.get_by_test_id("chat-input").fill(text)
        shots.append(page.get_by_test_id("chat-input").screenshot())
    assert shots[0] != shots[1] and shots[0] != shots[2]


@pytest.mark.parametrize("which", ["chat", "agent"])
def test_pages_have_no_serious_accessibility_violations(
    browser: Any, base_url: str, which: str, csp_violations: list[str]
) -> None:
    context = browser.new_context(bypass_csp=True)  # to inject axe; the app never serves it
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    if which == "chat":
        page.goto(f"{base_url}/chat")
        ask(page, ANSWERABLE)
    else:
        session = httpx.post(f"{base_url}/v1/chat", json={"message": COMPLAINT}).json()
        page.goto(f"{base_url}/agent")
        page.get_by_test_id("login-token").fill(AGENT_A)
        page.get_by_test_id("login-submit").click()
        open_handoff(page, session["handoff_id"])
        expect(page.get_by_test_id("handoff-draft")).to_be_visible()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
