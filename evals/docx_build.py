"""What the fictional companies' document builders (`evals/kb2/build_docs.py`,
`evals/kb3/build_docs.py`) share: a DOCX table with a grid, and a DOCX whose bytes do not depend
on when it was built."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

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
