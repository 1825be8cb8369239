"""What the fictional companies' document builders (`evals/kb2/build_docs.py`, `kb3`, `kb4`)
share: a PDF set up with the built-in CID font and ruled tables, a DOCX with a CJK font, a grid
table, and files whose bytes do not depend on when they were built."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# A generated document and the function that writes it, as a company's `build_docs.BUILT` lists
# them (tests/evals/test_company_builds.py checks that the committed files are what these write).
Built = Sequence[tuple[Callable[[Path], None], Path]]

Row = list[str]


def fixed_zip_times(raw: bytes, when: dt.date) -> bytes:
    """python-docx stamps each zip member with the current time: fix it, so that rebuilding gives
    the same bytes (and re-ingest sees no change)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(
                item.filename, date_time=(when.year, when.month, when.day, 0, 0, 0)
            )
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(item.filename))
    return out.getvalue()


def docx_table(document: Any, rows: list[Row]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def pdf_styles(font: str, body_size: int, body_leading: int) -> tuple[Any, Any, Any]:
    """reportlab set up for a build that gives the same bytes every time (fixed dates and ids)
    with the built-in CID font `font`; the title, heading and body paragraph styles."""
    from reportlab import rl_config
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    rl_config.invariant = 1
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    return (
        ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=10),
        ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8),
        ParagraphStyle("body", fontName=font, fontSize=body_size, leading=body_leading),
    )


def ruled_table(rows: list[Row], font: str, **options: Any) -> Any:
    """A PDF table with a grey grid and a shaded header row, in `font` at 9 points."""
    from reportlab.lib import colors
    from reportlab.platypus import Table

    table = Table(rows, hAlign="LEFT", **options)
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ]
    )
    return table


def new_docx(title: str, author: str, when: dt.datetime, font: str, styles: tuple[str, ...]) -> Any:
    """A DOCX whose `styles` are set in `font` (East Asian too), with fixed core properties and
    its title as the first paragraph."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    for style_name in styles:
        style = document.styles[style_name]
        style.font.name = font
        style.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.created = when
    document.core_properties.modified = when
    document.add_paragraph(title, style="Title")
    return document


def save_docx(document: Any, path: Path, when: dt.date) -> None:
    """`document` written to `path` with its zip times fixed to `when`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(fixed_zip_times(buffer.getvalue(), when))


def write_all(built: Built, docs: Path) -> None:
    """A company's `python -m evals.kbN.build_docs`: write each generated document, say where."""
    for build, path in built:
        build(path)
        print(f"wrote {path.relative_to(docs)}")
