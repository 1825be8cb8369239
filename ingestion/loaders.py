"""Loaders: every supported format becomes the same Markdown-ish text plus metadata, so one
chunker serves them all. Each failure is a `LoadError` with a message a content editor can act on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from charset_normalizer import from_bytes
from pydantic import BaseModel, Field

from assistant.language import detect_language

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")
DOC_TYPES = (
    "product_summary",
    "trading_rules",
    "account",
    "suitability",
    "service",
    "technical",
    "risk_disclosure",
    "privacy",
    "faq",
    "general",
)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
# How documents are read and cut into passages (this module and `ingestion/chunker.py`): bump
# it with any change that reads an unchanged file differently. 2026-12-07: plain texts' titles
# from their first line, chapters numbered with an ideographic space, a page's opening <h1>.
PARSER_VERSION = "2026-12-07"
# Headings in PDFs and plain text are not marked up; these are how Chinese documents number them.
_NUMBERED_HEADING = re.compile(
    r"^(第[一二三四五六七八九十百0-9]+[章节条部分]|[一二三四五六七八九十]+、)\s*\S{1,30}$"
)
# ... or set them off with a block symbol: "■ 分红方式" (the symbol is not part of the heading).
_SYMBOL_HEADING = re.compile(r"^[■□◆◇●▶►★▲]\s*(\S.{0,29})$")
# A plain text's first line is its title if it is short and reads as neither a sentence nor a
# labelled value ("公告送出日期：2026年11月20日", "Q: …").
_TITLE_CHARS = 80
# A numbered line ending so is a short rule or a list's lead-in, not a heading (第十条　…如下：).
_NOT_HEADING_ENDINGS = ("。", "；", ";", "：", ":")
_NOT_TITLE_ENDINGS = (*_NOT_HEADING_ENDINGS, "，", ",", "？", "?", "！", "!")
_LABELLED = re.compile(r"^[^：:]{1,10}[：:]")


class LoadError(Exception):
    """A file that cannot be ingested; the message goes to the summary's `failed` list."""


class DocumentMeta(BaseModel):
    title: str
    doc_type: str = "general"
    fund_codes: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    risk_level: str | None = None
    effective_date: str | None = None
    version: str | None = None
    language: str = "zh"


class LoadedDocument(BaseModel):
    source: str  # path relative to the docs folder, with forward slashes
    content_hash: str
    markdown: str
    meta: DocumentMeta


def content_hash(raw: bytes) -> str:
    """The file's identity for ingest: its bytes as read by this version of the parser. A file
    whose bytes are unchanged is skipped, so a parser that would read it differently (a title,
    its headings, where its passages are cut) bumps `PARSER_VERSION`, and the next ingest
    re-reads and re-embeds every file once, where an operator had to know to run --rebuild."""
    return hashlib.sha256(PARSER_VERSION.encode() + b"\0" + raw).hexdigest()


def load_document(path: Path, root: Path, raw: bytes) -> LoadedDocument:
    """Parse one file whose bytes were already read (and size-checked) by the caller."""
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise LoadError(f"unsupported file type {suffix or '(none)'}")
    if not raw.strip():
        raise LoadError("empty file")
    markdown, fields = loader(raw)
    if not markdown.strip():
        raise LoadError("no text could be extracted (empty, or a scanned PDF without text)")
    meta = _build_meta(fields, markdown, path)
    return LoadedDocument(
        source=path.relative_to(root).as_posix(),
        content_hash=content_hash(raw),
        markdown=markdown,
        meta=meta,
    )


def decode_text(raw: bytes) -> str:
    """UTF-8 first (what the content team should send), then the best-detected encoding
    (GB18030/GBK files are common from Windows editors). Refuses binary data."""
    if b"\x00" in raw[:4096]:
        raise LoadError("binary data in a text file (wrong extension?)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise LoadError("unknown text encoding: save the file as UTF-8")
    text = str(best)
    if text.count("\ufffd") > max(3, len(text) // 1000):
        raise LoadError(f"undecodable text (detected {best.encoding}): save the file as UTF-8")
    return text


def _load_markdown(raw: bytes) -> tuple[str, dict[str, Any]]:
    """Front matter read with PyYAML directly: python-frontmatter silently drops a block that
    is not a mapping, and the content team should hear about it instead."""
    text = decode_text(raw)
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text, {}
    try:
        fields = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise LoadError(f"malformed YAML front matter: {str(exc).splitlines()[0]}") from exc
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise LoadError("front matter must be a YAML mapping of fields")
    return text[match.end() :], fields


def _load_text(raw: bytes) -> tuple[str, dict[str, Any]]:
    return _mark_plain_headings(decode_text(raw)), {}


def _load_pdf(raw: bytes) -> tuple[str, dict[str, Any]]:
    from ingestion.pdf import PdfUnreadable, read_pdf

    try:
        text, title = read_pdf(raw)
    except PdfUnreadable as exc:
        raise LoadError(f"corrupt or unreadable PDF: {exc}") from exc
    return _mark_plain_headings(text), ({"title": title} if title else {})


def _load_docx(raw: bytes) -> tuple[str, dict[str, Any]]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise LoadError(f"corrupt or unreadable DOCX: {exc}") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_docx_paragraph(child, document))
        elif tag == "tbl":
            lines.extend(_docx_table(child, document))
    title = document.core_properties.title or ""
    return "\n\n".join(line for line in lines if line.strip()), ({"title": title} if title else {})


def _docx_paragraph(element: Any, document: Any) -> str:
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(element, document)
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    text = paragraph.text.strip()
    if style == "Title":
        return f"# {text}"
    match = re.match(r"Heading (\d)", style)
    if match and text:
        return f"{'#' * min(int(match.group(1)) + 1, 6)} {text}"
    return text


def _docx_table(element: Any, document: Any) -> list[str]:
    from docx.table import Table

    rows = [[cell.text.strip() for cell in row.cells] for row in Table(element, document).rows]
    return [markdown_table(rows)] if rows else []


def _load_html(raw: bytes) -> tuple[str, dict[str, Any]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(raw), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    blocks: list[str] = []
    for node in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table"]):
        if node.find_parent(["table", "li"]) is not None and node.name != "li":
            continue
        if node.name == "table":
            rows = [
                [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
                for tr in node.find_all("tr")
            ]
            blocks.append(markdown_table([r for r in rows if r]))
        elif node.name.startswith("h"):
            blocks.append(f"{'#' * int(node.name[1])} {node.get_text(' ', strip=True)}")
        else:
            prefix = "- " if node.name == "li" else ""
            blocks.append(prefix + node.get_text(" ", strip=True))
    return "\n\n".join(b for b in blocks if b.strip()), ({"title": title} if title else {})


def markdown_table(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def _mark_plain_headings(text: str) -> str:
    """Headings of a PDF or a plain text marked up as Markdown's: the numbered and symbol-led
    ones as sections, and a first line that reads as a title as the document's title."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    out = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if i == first and _is_title_line(stripped):
            line = f"# {stripped}"
        elif (heading := _plain_heading(stripped)) is not None:
            line = f"## {heading}"
        out.append(line)
    return "\n".join(out)


def _plain_heading(line: str) -> str | None:
    """The section heading a stripped plain line is, else None: numbered (一、费用, 第一章　总则)
    unless it ends as a rule or a lead-in does, or set off by a block symbol (the symbol dropped)."""
    if symbol := _SYMBOL_HEADING.match(line):
        return symbol.group(1).strip()
    if _NUMBERED_HEADING.match(line) and not line.endswith(_NOT_HEADING_ENDINGS):
        return line
    return None


def _is_title_line(line: str) -> bool:
    """A plain text's first line names the document ("星河稳利纯债债券型证券投资基金2026年第4次分红公告")
    unless it is a section heading, a sentence, a question or a labelled value (基金名称：…).
    Without it the first section's heading became the title ("一、公告基本信息"), and every
    passage of the notice was headed by it instead of the fund it is about."""
    return (
        len(line) <= _TITLE_CHARS
        and not line.endswith(_NOT_TITLE_ENDINGS)
        and _LABELLED.match(line) is None
        and _plain_heading(line) is None
        and not line.startswith(("|", "#", "-", "*", ">"))
    )


def _build_meta(fields: dict[str, Any], markdown: str, path: Path) -> DocumentMeta:
    title = str(fields.get("title") or "").strip() or _first_heading(markdown) or path.stem
    doc_type = str(fields.get("doc_type") or "general")
    if doc_type not in DOC_TYPES:
        raise LoadError(f"unknown doc_type {doc_type!r} (one of: {', '.join(DOC_TYPES)})")
    return DocumentMeta(
        title=title,
        doc_type=doc_type,
        fund_codes=_string_list(fields.get("fund_codes"), "fund_codes"),
        aliases=_string_list(fields.get("aliases"), "aliases"),
        risk_level=_optional_str(fields.get("risk_level")),
        effective_date=_optional_str(fields.get("effective_date")),
        version=_optional_str(fields.get("version")),
        language=str(fields.get("language") or detect_language(markdown)),
    )


def _string_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[,，\s]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        # Unquoted codes such as 002000 are read by YAML as numbers (even octal): refuse them.
        raise LoadError(f'{name} must be a list of quoted strings, e.g. ["002000"]')
    return [v.strip() for v in value if v.strip()]


def _optional_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _first_heading(markdown: str) -> str | None:
    for line in markdown.splitlines():
        match = _HEADING.match(line.strip())
        if match:
            return match.group(2)
    return None


_LOADERS: dict[str, Callable[[bytes], tuple[str, dict[str, Any]]]] = {
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".txt": _load_text,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
    ".html": _load_html,
    ".htm": _load_html,
}
