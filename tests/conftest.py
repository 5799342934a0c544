"""Shared fixtures: real settings on tmp_path, the real companion app on the real demo sandbox.

Modules that share one companion per module override `settings` and `companion`
(tests/module_app.py); `secret` and `auth` follow the `settings` in force.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from companion.pairing import load_or_create_secret
from companion.settings import Settings
from companion.web.app import create_app
from tests.module_app import demo_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Demo-mode settings with a private data folder and the buyer simulator off."""
    return demo_settings(tmp_path / "home")


@pytest.fixture
def secret(settings: Settings) -> str:
    return load_or_create_secret(settings.data_dir)


@pytest.fixture
def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
async def companion(aiohttp_client, settings: Settings, secret: str) -> AsyncIterator[TestClient]:
    """The real companion app over a real socket, connected to its embedded demo sandbox."""
    client = await aiohttp_client(create_app(settings))
    yield client
