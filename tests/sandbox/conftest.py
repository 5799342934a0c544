"""Fixtures: the real sandbox app on 127.0.0.1 and an authorized hand-written caller."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from companion.sandbox import create_sandbox_app
from tests.sandbox.shopee_caller import ShopeeCaller

START = 1_760_000_000.0


class FakeClock:
    """A clock tests can move forward; the sandbox and the caller both read it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


MakeCaller = Callable[..., Awaitable[ShopeeCaller]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def make_caller(aiohttp_client: Callable[..., Awaitable[TestClient]]) -> MakeCaller:
    """Start a sandbox app (kwargs go to create_sandbox_app) and return an authorized caller."""

    async def make(shop: int = 0, authorize: bool = True, **app_kwargs: object) -> ShopeeCaller:
        app: web.Application = create_sandbox_app(**app_kwargs)  # type: ignore[arg-type]
        client = await aiohttp_client(app)
        async with client.get("/sandbox/v1/credentials") as resp:
            creds = await resp.json()
        clock = app_kwargs.get("clock")
        caller = ShopeeCaller(client, creds["partner_id"], creds["partner_key"],
                              creds["shops"][shop]["shop_id"])
        if callable(clock):
            caller.clock = clock
        if authorize:
            await caller.authorize()
        return caller

    return make


@pytest.fixture
async def api(make_caller: MakeCaller) -> ShopeeCaller:
    """An authorized caller on the first (MY) shop with the real clock."""
    return await make_caller()


@pytest.fixture
async def tw_api(make_caller: MakeCaller) -> ShopeeCaller:
    return await make_caller(shop=1)
