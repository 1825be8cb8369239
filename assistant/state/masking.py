"""What a store needs to keep personal data out of the database: something that masks text.

Stores take it when they are built (`assistant.components`) and mask every free text a person
typed (an agent's reply, a client's comment, a reviewer's note) before writing it, so no caller
(a router, a page, a script, a worker) can store raw text by going around another layer. The
redactor is idempotent on masked text (`<PHONE_NUMBER>` stays as it is), so text a caller
already masked is stored unchanged.
"""

from __future__ import annotations

from typing import Protocol


class TextMasker(Protocol):
    def masked(self, text: str | None) -> str | None:
        """`text` with every piece of personal data replaced by its type; None stays None."""
        ...
