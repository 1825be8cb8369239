"""Fixtures for the redaction tests: no network at all, one NLP engine, isolated finders.

Every test runs the real presidio analyzer over the real blank spaCy pipelines; the only
thing patched is the outside world (sockets), which must never be touched.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest

from assistant.redaction import Redactor
from assistant.redaction.nlp_engine import OfflineNlpEngine
from assistant.redaction.recognizers import RecognizerClass
from assistant.settings import RedactionSettings

Finder = Callable[[str], list[str]]

# GB 11643-1999 weight table and check characters, typed from the standard (independent of
# the recognizer's own computation).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def resident_id(region: str = "110101", birth: str = "19900307", seq: str = "123") -> str:
    """An 18-character resident ID with the correct check character."""
    body = region + birth + seq
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def luhn_ok(number: str) -> bool:
    """Textbook Luhn: double every second digit from the right, sum digits, mod 10."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


def with_check_digit(partial: str) -> str:
    """``partial`` plus the one digit that makes it pass Luhn."""
    return next(partial + d for d in "0123456789" if luhn_ok(partial + d))


def _refuse_network(*args: object, **kwargs: object) -> None:
    raise OSError("redaction must work offline: a network call was attempted")


@pytest.fixture(scope="package", autouse=True)
def no_network() -> Iterator[None]:
    """Block outbound connections and DNS for this directory's tests, engine build included.

    Package scope: the patch is undone after the last test here, so other suites that run
    local servers are not affected.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", _refuse_network)
        mp.setattr(socket.socket, "connect_ex", _refuse_network)
        mp.setattr(socket, "create_connection", _refuse_network)
        mp.setattr(socket, "getaddrinfo", _refuse_network)
        yield


@pytest.fixture(scope="package")
def nlp_engine() -> OfflineNlpEngine:
    """One loaded engine (jieba + spaCy) shared by every redactor in these tests."""
    engine = OfflineNlpEngine()
    engine.load()
    return engine


@pytest.fixture(scope="package")
def redactor(nlp_engine: OfflineNlpEngine) -> Redactor:
    """The production redactor: all recognizers, default settings."""
    return Redactor(RedactionSettings(), nlp_engine=nlp_engine)


@pytest.fixture(scope="package")
def finder(nlp_engine: OfflineNlpEngine) -> Callable[[RecognizerClass], Finder]:
    """``finder(Recognizer)(text)`` -> the substrings that recognizer alone would mask
    (with no allow list: the recognizer itself is under test)."""

    def build(recognizer_cls: RecognizerClass) -> Finder:
        redactor = Redactor(
            RedactionSettings(allow_list=[]), recognizers=[recognizer_cls], nlp_engine=nlp_engine
        )
        return lambda text: [text[r.start : r.end] for r in redactor.find(text)]

    return build
