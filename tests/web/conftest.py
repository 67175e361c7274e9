"""The network every page test reads: made through the console, served by the test client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from tests.helpers.console import ConsoleSession
from tests.web.community import client_for, network


@pytest.fixture
async def net(tmp_path: Path) -> AsyncIterator[tuple[ConsoleSession, TestClient]]:
    session = await network(tmp_path)
    client = await client_for(session)
    try:
        yield session, client
    finally:
        await client.close()
        await session.app.close()
