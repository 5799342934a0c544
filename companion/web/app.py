"""The app factory: the only way a companion app is built (runtime, tests, benchmarks).

Every resource is a cleanup context, appended in dependency order so teardown
unwinds in reverse: pairing secret and gate -> shop connection -> auto mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from companion import PROTOCOL_VERSION, __version__
from companion.modes import ModeState
from companion.securefile import ensure_private_dir
from companion.settings import Settings
from companion.web import (
    routes_core,
    routes_followups,
    routes_insights,
    routes_learning,
    routes_listing,
    routes_pairing,
    routes_pause,
    routes_pipeline,
    routes_rules,
    routes_session,
    routes_static,
    ws,
)
from companion.web.jsonio import MAX_BODY
from companion.web.keys import (
    bus_key,
    connection_key,
    gate_key,
    mode_key,
    model_key,
    pairing_key,
    sessions_key,
    settings_key,
    store_key,
)
from companion.web.pins import PairingState
from companion.web.security import Gatekeeper, make_gate, stamp_headers
from companion.web.sessions import SessionStore

if TYPE_CHECKING:
    from companion.connection import ShopConnection
    from companion.store import Store

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


def create_app(settings: Settings, connect: ConnectionFactory | None = None) -> web.Application:
    """Build the companion app; `connect` opens the shop connection (default: real or demo)."""
    if connect is None:
        from companion.connection import open_connection as connect
    ensure_private_dir(settings.data_dir)
    pairing = PairingState(settings.data_dir, settings.extension_ids)
    sessions = SessionStore()
    gate = Gatekeeper(
        secret=pairing.secret,
        extension_origins=pairing.allowed_origins,
        session_tokens=sessions.valid,
    )
    app = web.Application(middlewares=[make_gate(gate)], client_max_size=MAX_BODY)
    app[settings_key] = settings
    app[gate_key] = gate
    app[pairing_key] = pairing
    app[sessions_key] = sessions
    app.on_response_prepare.append(stamp_headers(__version__, PROTOCOL_VERSION))
    app.cleanup_ctx.append(_model_ctx)
    app.cleanup_ctx.append(routes_learning.learning_ctx)
    app.cleanup_ctx.append(_connection_ctx(connect))
    app.cleanup_ctx.append(_mode_ctx)
    app.cleanup_ctx.append(_store_ctx)
    app.cleanup_ctx.append(routes_rules.rules_ctx)  # after the connection: needs the markets
    app.cleanup_ctx.append(routes_listing.listing_ctx)  # after the connection, before pipeline
    app.cleanup_ctx.append(routes_pipeline.pipeline_ctx)
    app.cleanup_ctx.append(routes_followups.followups_ctx)  # after the pipeline: store, bus
    app.router.add_routes(routes_core.routes)
    app.router.add_routes(routes_pairing.routes)
    app.router.add_routes(routes_session.routes)
    app.router.add_routes(routes_learning.routes)
    app.router.add_routes(routes_pause.routes)
    app.router.add_routes(routes_pipeline.routes)
    app.router.add_routes(routes_rules.routes)
    app.router.add_routes(routes_insights.routes)
    app.router.add_routes(routes_listing.routes)
    app.router.add_routes(routes_followups.routes)
    routes_static.add_static_routes(app)
    ws.install(app)  # keep last: the hub's context subscribes to the bus built before it
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


async def _model_ctx(app: web.Application) -> AsyncIterator[None]:
    """Load the active intent model (shop or shipped) off the event loop (loading blocks)."""
    from companion.nlu.holder import ModelHolder
    from companion.nlu.shop_model import load_active

    loop = asyncio.get_running_loop()
    model, _name = await loop.run_in_executor(None, load_active, app[settings_key].data_dir)
    app[model_key] = ModelHolder(model)
    yield


async def _store_ctx(app: web.Application) -> AsyncIterator[None]:
    """The chat store and the event bus persisted in it; old rows are pruned once a day."""
    from companion.pipeline.events import EventBus
    from companion.store import Store

    store = Store.open(app[settings_key].data_dir / "chat.sqlite3")
    app[store_key] = store
    app[bus_key] = EventBus(store.events)
    bus = app[bus_key]
    app[mode_key].subscribe(
        lambda state: bus.publish("mode.changed", {"auto": any(state.values()), "shops": state})
    )
    pruner = asyncio.create_task(_prune_daily(store))
    try:
        yield
    finally:
        pruner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pruner
        store.close()


async def _prune_daily(store: Store) -> None:
    """Retention: the chat log keeps 90 days (plus a margin) as Shopee's CRR window does."""
    while True:
        await asyncio.to_thread(store.prune)
        await asyncio.sleep(24 * 3600)


async def _mode_ctx(app: web.Application) -> AsyncIterator[None]:
    shops = [shop.shop_id for shop in app[connection_key].shops]
    app[mode_key] = ModeState(app[settings_key].data_dir / "state" / "mode.json", shops)
    yield
