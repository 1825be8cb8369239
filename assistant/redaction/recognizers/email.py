"""E-mail addresses (电子邮箱).

Format: RFC 5322 addr-spec, restricted to the dot-atom forms people actually type:
a local part of letters, digits and ``._%+-`` (not starting or ending with a dot, no
``..``), ``@``, dot-separated domain labels (RFC 1035: letters, digits, inner hyphens) and
an alphabetic top-level domain.

Why our own recognizer: presidio's EmailRecognizer uses ``\\b`` (no boundary between
Chinese characters and Latin letters, so ``邮箱是zhang.san@qq.com谢谢`` is missed) and
validates domains with tldextract, which downloads the public-suffix list. Here the edges
are lookarounds on ASCII characters only, and nothing is fetched.
"""

from __future__ import annotations

from assistant.redaction.recognizers.base import STRONG, BasePatternRecognizer

_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"


class EmailRecognizer(BasePatternRecognizer):
    """E-mail addresses, also when glued to Chinese text; no network look-ups."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (
        (
            "email",
            r"(?<![A-Za-z0-9._%+-])" + _LOCAL + "@" + _DOMAIN + r"(?![A-Za-z0-9-]|\.[A-Za-z0-9])",
            STRONG,
        ),
    )
    CONTEXT = ("邮箱", "邮件", "电邮", "email", "e-mail", "mail")

    def validate_result(self, pattern_text: str) -> bool:
        """Reject a local part with consecutive dots, which no mail system accepts."""
        return ".." not in pattern_text.split("@", 1)[0]
