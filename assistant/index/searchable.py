"""What the embedder and BM25 see for a chunk: its title and heading path give a bare answer
("T+4个工作日") the context it needs to be found."""

from __future__ import annotations

from typing import Any


def searchable_text(metadata: dict[str, Any], text: str) -> str:
    section = str(metadata.get("section") or "")
    question = str(metadata.get("question") or "")
    if question and section.endswith(question):
        section = section[: -len(question)].rstrip(" >")
    head = " ".join(p for p in (str(metadata.get("title") or ""), section) if p)
    return f"{head}\n{text}" if head else text
