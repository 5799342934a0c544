"""Helpers the browser tests share: the sandbox's test routes and waiting for the pipeline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T | None]], timeout: float = 20.0, what: str = "condition"
) -> T:
    """Poll `probe` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.2)


async def sandbox_json(url: str, method: str, path: str, **kwargs: Any) -> Any:
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=10) as client:
        response = await client.request(method, path, **kwargs)
        response.raise_for_status()
        return response.json()


async def companion_json(base: str, secret: str, method: str, path: str, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(base_url=base, trust_env=False, timeout=10) as client:
        response = await client.request(method, path, headers=headers, **kwargs)
        response.raise_for_status()
        return response.json()
