"""PDF text with its tables kept as tables.

A fund company's fee schedule is a ruled table in a PDF. Read as plain text (pypdf), every cell
came out on a line of its own ("M＜100万元\\n0.60%\\n100万元≤M＜500万元\\n0.30%"), so the chunker
could not keep a table whole and an extractive answer quoted a lone "M＜100万元" as a fee. pdfplumber
(a well-kept layout reader over pdfminer.six) finds ruled tables by their lines; each becomes a
Markdown table at its place on the page, the text around it is read line by line, and a table
that runs over a page break is joined back into one.
"""

from __future__ import annotations

import io
import re
from typing import Any

_CJK_WRAP = re.compile(r"([\u3000-\u9fff\uff00-\uffef])\s*\n\s*([\u3000-\u9fff\uff00-\uffef])")
Table = list[list[str]]
Block = str | Table  # a line of text, or a table's rows


class PdfUnreadable(Exception):
    """The file is not a PDF pdfplumber can read (corrupt, scanned without text, encrypted)."""


def read_pdf(raw: bytes) -> tuple[str, str]:
    """(the text with tables as Markdown tables, the title in the PDF's metadata or "")."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    from ingestion.loaders import markdown_table

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            title = _title(pdf.metadata)
            pages = [_page_blocks(page) for page in pdf.pages]
    except (PdfminerException, PDFSyntaxError, PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise PdfUnreadable(str(exc) or type(exc).__name__) from exc
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise PdfUnreadable(str(exc)) from exc
    blocks: list[Block] = []
    for page in pages:
        last = blocks[-2] if len(blocks) > 1 else None  # blocks[-1] is the page break
        first = page[0] if page else None
        if isinstance(last, list) and isinstance(first, list) and len(last[0]) == len(first[0]):
            blocks.pop()  # the table runs on from the last page: one table, no break inside
            last.extend(first)
            page = page[1:]
        blocks += [*page, ""]  # "": a page break ends a paragraph
    return "\n".join(b if isinstance(b, str) else markdown_table(b) for b in blocks), title


def _page_blocks(page: Any) -> list[Block]:
    """The page's lines and tables in reading order, top to bottom."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside_tables(obj: dict[str, Any]) -> bool:
        return not any(_inside(obj, box) for box in boxes)

    lines = [
        line for line in page.filter(outside_tables).extract_text_lines() if line["text"].strip()
    ]
    placed: list[tuple[float, Block]] = [*_unwrapped(lines)]
    for table in tables:
        rows = [row for row in ([_cell(c) for c in row] for row in table.extract()) if any(row)]
        if rows:
            placed.append((table.bbox[1], rows))
    return [block for _, block in sorted(placed, key=lambda item: item[0])]


def _unwrapped(lines: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Lines as (top, text), a line that runs to the right margin joined with the next one.

    A paragraph wraps at the margin, mid-sentence ("表中M为单笔申" / "购金额"); a heading, a
    list item or a paragraph's last line stops short of it.
    """
    if not lines:
        return []
    margin = max(line["x1"] for line in lines)
    joined: list[tuple[float, str]] = []
    wraps = False
    for line in lines:
        size = float(line["chars"][-1]["size"]) if line.get("chars") else 10.0
        text = line["text"].strip()
        if wraps and joined:
            top, before = joined[-1]
            gap = "" if _CJK_WRAP.fullmatch(f"{before[-1]}\n{text[0]}") else " "
            joined[-1] = (top, f"{before}{gap}{text}")
        else:
            joined.append((line["top"], text))
        wraps = line["x1"] >= margin - 1.5 * size
    return joined


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    middle_x = (obj["x0"] + obj["x1"]) / 2
    middle_y = (obj["top"] + obj["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _cell(value: str | None) -> str:
    """One line: a wrap between Chinese characters joins them, any other becomes a space."""
    text = _CJK_WRAP.sub(r"\1\2", (value or "").strip())
    return " ".join(text.split()).replace("|", "/")


def _title(metadata: dict[str, Any]) -> str:
    title = metadata.get("Title") if metadata else None
    return title.strip() if isinstance(title, str) else ""
