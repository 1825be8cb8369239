"""PII redaction for customer messages: presidio with offline, China-specific recognizers."""

from assistant.redaction.redactor import (
    Redaction,
    RedactionResult,
    Redactor,
    lines_naming_public_roles,
)

__all__ = ["Redaction", "RedactionResult", "Redactor", "lines_naming_public_roles"]
