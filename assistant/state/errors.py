"""The state library's errors; the HTTP edge maps each to a status."""

from __future__ import annotations


class NotFoundError(LookupError):
    """An id that names nothing (404 at the HTTP edge)."""


class ConflictError(RuntimeError):
    """A state change that the current state does not allow (409 at the HTTP edge)."""
