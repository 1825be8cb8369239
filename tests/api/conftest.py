from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app


@pytest.fixture
def client(components) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(
        create_app(components=components), raise_server_exceptions=False
    ) as test_client:
        yield test_client
