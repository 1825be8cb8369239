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
from collections.abc import Callable
from typing import Any

_CJK_WRAP = re.compile(r"([\u3000-\u9fff\uff00-\uffef])\s*\n\s*([\u3000-\u9fff\uff00-\uffef])")
Markdown = Callable[[list[list[str]]], str]


class PdfUnreadable(Exception):
    """The file is not a PDF pdfplumber can read (corrupt, scanned without text, encrypted)."""


def read_pdf(raw: bytes, markdown_table: Markdown) -> tuple[str, str]:
    """(the text with tables as Markdown tables, the title in the PDF's metadata or "")."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            title = _title(pdf.metadata)
            blocks: list[str | list[list[str]]] = []
            for page in pdf.pages:
                _append_page(blocks, page)
    except (PdfminerException, PDFSyntaxError, PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise PdfUnreadable(str(exc) or type(exc).__name__) from exc
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise PdfUnreadable(str(exc)) from exc
    text = "\n".join(b if isinstance(b, str) else markdown_table(b) for b in blocks)
    return text, title


def _append_page(blocks: list[str | list[list[str]]], page: Any) -> None:
    """The page's lines and tables in reading order (top to bottom) onto `blocks`."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside_tables(obj: dict[str, Any]) -> bool:
        return not any(_inside(obj, box) for box in boxes)

    lines = [
        line for line in page.filter(outside_tables).extract_text_lines() if line["text"].strip()
    ]
    placed: list[tuple[float, str | list[list[str]]]] = _unwrapped(lines)
    for table in tables:
        rows = [[_cell(c) for c in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if rows:
            placed.append((table.bbox[1], rows))
    placed.sort(key=lambda item: item[0])
    for position, (_, block) in enumerate(placed):
        previous = blocks[-2] if len(blocks) > 1 and blocks[-1] == "" else None
        runs_on = isinstance(block, list) and isinstance(previous, list)
        if position == 0 and runs_on and len(previous[0]) == len(block[0]):  # type: ignore[index,arg-type]
            blocks.pop()  # the table runs on from the last page: one table
            previous.extend(block)  # type: ignore[union-attr,arg-type]
            continue
        blocks.append(block)
    blocks.append("")  # a page break ends a paragraph


def _unwrapped(lines: list[dict[str, Any]]) -> list[tuple[float, str | list[list[str]]]]:
    """Lines as (top, text), a line that runs to the right margin joined with the next one.

    A paragraph wraps at the margin, mid-sentence ("表中M为单笔申" / "购金额"); a heading, a
    list item or a paragraph's last line stops short of it.
    """
    if not lines:
        return []
    margin = max(line["x1"] for line in lines)
    joined: list[tuple[float, str | list[list[str]]]] = []
    wraps = False
    for line in lines:
        size = float(line["chars"][-1]["size"]) if line.get("chars") else 10.0
        text = line["text"].strip()
        if wraps and joined:
            top, before = joined[-1]
            gap = "" if _CJK_WRAP.fullmatch(f"{str(before)[-1]}\n{text[0]}") else " "
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
