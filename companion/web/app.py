"""The app factory: the only way a companion app is built (runtime, tests, benchmarks).

Every resource is a cleanup context, appended in dependency order so teardown
unwinds in reverse: pairing secret and gate -> shop connection -> auto mode.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from companion import PROTOCOL_VERSION, __version__
from companion.modes import ModeState
from companion.pairing import load_or_create_secret
from companion.securefile import ensure_private_dir
from companion.settings import Settings
from companion.web import routes_core
from companion.web.jsonio import MAX_BODY
from companion.web.keys import connection_key, gate_key, mode_key, settings_key
from companion.web.security import Gatekeeper, make_gate, stamp_headers

if TYPE_CHECKING:
    from companion.connection import ShopConnection

ConnectionFactory = Callable[[Settings], AbstractAsyncContextManager["ShopConnection"]]


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Method, path without the query string, status, size, time (security.md G4)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %s %.1fms",
            request.method,
            request.path,
            response.status,
            response.body_length,
            time * 1000,
        )


def _extension_origins(settings: Settings) -> Callable[[], list[str]]:
    return lambda: [f"chrome-extension://{ext}" for ext in settings.extension_ids]


def create_app(settings: Settings, connect: ConnectionFactory | None = None) -> web.Application:
    """Build the companion app; `connect` opens the shop connection (default: real or demo)."""
    if connect is None:
        from companion.connection import open_connection as connect
    ensure_private_dir(settings.data_dir)
    secret = load_or_create_secret(settings.data_dir)
    gate = Gatekeeper(secret=lambda: secret, extension_origins=_extension_origins(settings))
    app = web.Application(middlewares=[make_gate(gate)], client_max_size=MAX_BODY)
    app[settings_key] = settings
    app[gate_key] = gate
    app.on_response_prepare.append(stamp_headers(__version__, PROTOCOL_VERSION))
    app.cleanup_ctx.append(_connection_ctx(connect))
    app.cleanup_ctx.append(_mode_ctx)
    app.router.add_routes(routes_core.routes)
    return app


def _connection_ctx(
    connect: ConnectionFactory,
) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        started = time.monotonic()
        async with connect(app[settings_key]) as connection:
            app[connection_key] = connection
            logging.getLogger(__name__).info(
                "connected to %d shop(s) in %.2fs",
                len(connection.shops),
                time.monotonic() - started,
            )
            yield

    return ctx


async def _mode_ctx(app: web.Application) -> AsyncIterator[None]:
    shops = [shop.shop_id for shop in app[connection_key].shops]
    app[mode_key] = ModeState(app[settings_key].data_dir / "state" / "mode.json", shops)
    yield
