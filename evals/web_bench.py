"""Page benchmark: in Debian's Chromium against a real local server over a temporary index of
part of the knowledge folder, the time from pressing send to the first streamed characters on
the chat page (median), and the weight of JavaScript and CSS each page loads, with any request
that leaves the host counted.

    python -m evals.web_bench [--runs 9]

Targets (issue 14): first characters within 300 ms (median); each page ≤ 150 KB of JS and CSS;
no request leaving the host.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path
from typing import Any

from evals.web_harness import kb_slice, launch_chromium, live_server

REPO = Path(__file__).resolve().parent.parent
DOCS = (
    "products/tongli_pure_bond.md",
    "products/leading_growth_hybrid.md",
    "faq/trading_faq.md",
    "faq/account_faq.md",
    "service/complaints.md",
)
QUESTIONS = (
    "纯债C类赎回费怎么收",
    "定投最少投多少钱",
    "怎么修改绑定的银行卡？",
    "赎回多久到账？",
    "如何开户？",
)
AGENT_TOKEN = "bench-agent-token-01"
TARGET_MS, TARGET_KB = 300.0, 150.0

# Installed before send is pressed: the moment the newest assistant bubble first holds text.
WATCH = """() => {
  window.__firstText = null;
  const list = document.getElementById('transcript');
  const seen = list.querySelectorAll('[data-role=assistant]').length;
  new MutationObserver((_, observer) => {
    const bubbles = list.querySelectorAll('[data-role=assistant] .body');
    if (bubbles.length > seen && bubbles[bubbles.length - 1].textContent.length > 0) {
      window.__firstText = performance.now();
      observer.disconnect();
    }
  }).observe(list, {childList: true, subtree: true, characterData: true});
}"""


def first_characters_ms(browser: Any, base: str, runs: int) -> list[float]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/chat")
    timings = []
    for i in range(runs):
        page.get_by_test_id("chat-input").fill(QUESTIONS[i % len(QUESTIONS)])
        page.evaluate(WATCH)
        started = page.evaluate("() => performance.now()")
        page.get_by_test_id("chat-send").click()
        page.locator("[data-role=assistant]:not([aria-busy])").nth(i).wait_for(timeout=60_000)
        timings.append(float(page.evaluate("() => window.__firstText")) - float(started))
    context.close()
    return timings


def page_weight(browser: Any, base: str, path: str, token: str | None = None) -> dict[str, Any]:
    """JS + CSS bytes the page loads (after sign-in for staff pages), and off-host requests."""
    context = browser.new_context()
    page = context.new_page()
    if token:
        page.goto(f"{base}/login?next={path}")
        page.get_by_test_id("login-token").fill(token)
        page.get_by_test_id("login-submit").click()
        page.wait_for_load_state("networkidle")
    loaded: list[Any] = []
    off_host: list[str] = []
    page.on("response", lambda r: loaded.append(r))
    page.on("request", lambda r: None if r.url.startswith(base) else off_host.append(r.url))
    page.goto(f"{base}{path}", wait_until="networkidle")
    kinds = {"script", "stylesheet"}
    weight = sum(len(r.body()) for r in loaded if r.request.resource_type in kinds)
    files = sorted(r.url.removeprefix(base) for r in loaded if r.request.resource_type in kinds)
    context.close()
    return {"kb": weight / 1024, "files": files, "off_host": off_host}


def screenshots(browser: Any, base: str, out: Path) -> None:
    """The chat after a question (desktop and phone), and the console with a hand-off open."""
    out.mkdir(parents=True, exist_ok=True)
    for name, size, path in (
        ("chat", {"width": 1000, "height": 900}, "/chat"),
        ("chat-phone-en", {"width": 375, "height": 740}, "/chat?lang=en"),
    ):
        page = browser.new_context(viewport=size).new_page()
        page.goto(f"{base}{path}")
        page.get_by_test_id("chat-input").fill(
            QUESTIONS[0] if "en" not in path else "How do I redeem?"
        )
        page.get_by_test_id("chat-send").click()
        page.locator("[data-role=assistant]:not([aria-busy])").first.wait_for(timeout=60_000)
        page.locator("[data-testid=chat-citation] summary").first.click()
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
    page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    page.goto(f"{base}/chat")
    page.get_by_test_id("chat-input").fill("你们太过分了！！赎回的钱到现在都没到账，我要投诉你们！")
    page.get_by_test_id("chat-send").click()
    page.locator("[data-role=assistant]:not([aria-busy])").first.wait_for(timeout=60_000)
    page.screenshot(path=str(out / "chat-handoff.png"), full_page=True)
    agent = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    agent.goto(f"{base}/login?next=/agent")
    agent.get_by_test_id("login-token").fill(AGENT_TOKEN)
    agent.get_by_test_id("login-submit").click()
    agent.get_by_test_id("queue-item").first.click()
    agent.get_by_test_id("handoff-claim").click()
    agent.get_by_test_id("handoff-draft").fill("您好，这只基金保证收益。")
    agent.locator("#check [data-check=banned]").wait_for()
    agent.screenshot(path=str(out / "agent.png"), full_page=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--screenshots", type=Path, help="also save the pages as PNG files here")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from assistant.components import build_components
    from assistant.index.embeddings import load_embedder
    from assistant.index.knowledge_index import KnowledgeIndex
    from assistant.settings import Settings
    from assistant.state.database import make_engine
    from ingestion.pipeline import Ingestor

    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        kb_slice(REPO / "knowledge_docs", docs, DOCS)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            data_dir=Path(tmp) / "data",
            docs_dir=docs,
            api_keys=f"agent:{AGENT_TOKEN}",
        )
        embedder = load_embedder(settings.embedding)
        Ingestor(settings, KnowledgeIndex(settings, make_engine(settings)), embedder).run(docs)
        components = build_components(settings, embedder=embedder)
        with live_server(settings, components) as base, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            timings = first_characters_ms(browser, base, args.runs)
            print(f"send → first characters, each run (ms): {[round(t) for t in timings]}")
            weights = {
                "/chat": page_weight(browser, base, "/chat"),
                "/login": page_weight(browser, base, "/login"),
                "/agent": page_weight(browser, base, "/agent", AGENT_TOKEN),
            }
            if args.screenshots:
                screenshots(browser, base, args.screenshots)
            browser.close()
    median = statistics.median(timings)
    print(f"web bench: {len(timings)} questions in Chromium, {len(DOCS)} documents indexed")
    print(
        f"send → first streamed characters: median {median:.0f} ms "
        f"(min {min(timings):.0f}, max {max(timings):.0f}; target ≤ {TARGET_MS:.0f})"
    )
    for path, w in weights.items():
        print(
            f"{path:7} JS+CSS {w['kb']:6.1f} KB (target ≤ {TARGET_KB:.0f})  "
            f"requests off the host: {len(w['off_host'])}  files: {', '.join(w['files'])}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
