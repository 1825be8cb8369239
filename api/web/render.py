"""How a page is rendered: Jinja2 templates, the wording of prompts/web.yaml in the page's
language, and the Content-Security-Policy the pages are written to satisfy (no inline script,
no inline style, nothing from another host)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from assistant.prompts import PromptLibrary

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=WEB_DIR / "templates")
_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE_CELL = re.compile(r"^:?-{2,}:?$")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
)


def page_language(request: Request) -> str:
    """`?lang=en` gives English; Chinese otherwise."""
    return "en" if request.query_params.get("lang") == "en" else "zh"


def wording(prompts: PromptLibrary, language: str) -> dict[str, Any]:
    """prompts/web.yaml with every {zh, en} leaf resolved to `language`."""
    return _pick(prompts.rules("web"), language)


def _pick(node: Any, language: str) -> Any:
    if isinstance(node, dict):
        if set(node) == {"zh", "en"}:
            return node[language]
        return {key: _pick(value, language) for key, value in node.items()}
    return node


def waited_seconds(since: datetime) -> int:
    moment = since if since.tzinfo else since.replace(tzinfo=UTC)
    return max(0, int((datetime.now(UTC) - moment).total_seconds()))


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    frame_ancestors: str = "'none'",
) -> HTMLResponse:
    """A template as an HTML response with its CSP; staff pages are never framed."""
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP.format(ancestors=frame_ancestors)
    response.headers["Referrer-Policy"] = "same-origin"
    if frame_ancestors == "'none'":
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def with_tables(text: str) -> Markup:
    """Text escaped, with a Markdown table the documents hold (| a | b | over |---|---|)
    drawn as a table, as the chat page draws it."""
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        rule = i + 1 < len(lines) and _ROW.match(lines[i + 1])
        if _ROW.match(lines[i]) and rule and all(_RULE_CELL.match(c) for c in _cells(lines[i + 1])):
            rows, i = [lines[i]], i + 2
            while i < len(lines) and _ROW.match(lines[i]):
                rows.append(lines[i])
                i += 1
            out.append(_table(rows))
            continue
        out.append(escape(lines[i]) + "\n")
        i += 1
    return Markup(Markup("").join(out).rstrip("\n"))


def _table(rows: list[str]) -> Markup:
    head = Markup("").join(Markup("<th>{}</th>").format(c) for c in _cells(rows[0]))
    body = Markup("").join(
        Markup("<tr>{}</tr>").format(
            Markup("").join(Markup("<td>{}</td>").format(c) for c in _cells(row))
        )
        for row in rows[1:]
    )
    return Markup('<div class="table-wrap"><table><tr>{}</tr>{}</table></div>').format(head, body)


templates.env.filters["with_tables"] = with_tables
