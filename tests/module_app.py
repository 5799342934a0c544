"""One companion for all the tests of a module, and fresh ones for the tests that need them.

Starting a companion (demo sandbox, model, stores) costs a few hundred milliseconds;
tests that only read, or that change state no other test of the module looks at,
share one per module. Such a module runs on one module-scoped event loop:

    pytestmark = pytest.mark.asyncio(loop_scope="module")
    settings = module_settings()     # overrides the function-scoped `settings`
    companion = module_companion()   # overrides the function-scoped `companion`
    fresh = fresh_companion()        # a new companion for one test (same loop)

`secret` and `auth` (tests/conftest.py) follow whichever `settings` is in force.
Every fixture here is bound to the module's loop, so only modules marked as above
may use them (pytest-aiohttp's function-loop fixtures do not mix with them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from companion.pairing import load_or_create_secret
from companion.settings import Settings, resolve
from companion.web.app import create_app


def demo_settings(data_dir: Path) -> Settings:
    """Demo-mode settings with a private data folder and the buyer simulator off."""
    return resolve({"data_dir": data_dir, "demo": True, "tray": False, "buyers_per_minute": 0},
                   env={})


@asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[TestClient]:
    """The real companion app on a real 127.0.0.1 port, with a client; closed on exit."""
    client: TestClient = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    try:
        await client.start_server()  # inside: a failed start still closes the client session
        yield client
    finally:
        await client.close()
        server = client.server
        if not server.started and server.runner is not None:
            await server.runner.cleanup()  # a start that failed half-way: close what it opened


@dataclass
class Fresh:
    """A companion of its own: its client, settings and pairing secret."""

    client: TestClient
    settings: Settings
    secret: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


def module_settings() -> Any:
    """A `settings` fixture with one data folder for the whole module."""

    @pytest.fixture(scope="module", name="settings")
    def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
        return demo_settings(tmp_path_factory.mktemp("module") / "home")

    return settings


def module_companion() -> Any:
    """A `companion` fixture: one app per module, on the module's `settings`."""

    @pytest_asyncio.fixture(scope="module", loop_scope="module", name="companion")
    async def companion(settings: Settings) -> AsyncIterator[TestClient]:
        async with serve(settings) as client:
            yield client

    return companion


def fresh_companion() -> Any:
    """A `fresh` fixture: a new companion on its own data folder, for one test."""

    @pytest_asyncio.fixture(loop_scope="module", name="fresh")
    async def fresh(tmp_path: Path) -> AsyncIterator[Fresh]:
        settings = demo_settings(tmp_path / "home")
        secret = load_or_create_secret(settings.data_dir)
        async with serve(settings) as client:
            yield Fresh(client, settings, secret)

    return fresh
