"""The sandbox app factory: a local Shopee Open Platform v2 plus /sandbox/v1/ test routes.

Every /api/v2/ call passes the gate middleware: injected fault, route exists,
common params and signature, access token (shop-level calls), chat-API access
(`sellerchat/*` of a shop switched off with `/sandbox/v1/chat_api`). Then the handler
runs; an ApiError from anywhere becomes a Shopee-style envelope.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from companion.sandbox import (
    routes_auth,
    routes_chat,
    routes_logistics,
    routes_orders,
    routes_products,
    routes_sandbox,
    routes_shop,
    routes_vouchers,
)
from companion.sandbox.auth_store import check_access
from companion.sandbox.envelope import ApiError, fail
from companion.sandbox.faults import FaultBook, fault_response
from companion.sandbox.keys import BUYERS_PER_MINUTE, CALLER, FAULTS, STATE
from companion.sandbox.routes_sandbox import SandboxError
from companion.sandbox.seed import build_state
from companion.sandbox.signing_check import is_public, verify_request
from companion.sandbox.simulator import simulator_context

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ROUTE_MODULES = (routes_auth, routes_shop, routes_orders, routes_logistics, routes_products,
                 routes_chat, routes_vouchers, routes_sandbox)


async def _shopee_call(request: web.Request, handler: Handler) -> web.StreamResponse:
    faults = request.app[FAULTS]
    kind = faults.take(request.path)
    if kind:
        return await fault_response(kind, faults.timeout_s)
    if request.match_info.http_exception is not None:
        return fail("error_not_found", "Api not found, check the path and method.", 404)
    state = request.app[STATE]
    try:
        caller = verify_request(state, request)
        if not is_public(request.path):
            check_access(state, caller.access_token, caller.shop_id)
        if request.path.startswith(routes_chat.CHAT_PREFIX):
            routes_chat.check_chat_access(state.shops.get(caller.shop_id))
        request[CALLER] = caller
        return await handler(request)
    except ApiError as error:
        return fail(error.error, error.message, error.status)


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Route /api/v2/ through Shopee's checks; render sandbox-route errors as JSON."""
    if request.path.startswith("/api/v2/"):
        return await _shopee_call(request, handler)
    try:
        return await handler(request)
    except SandboxError as error:
        return web.json_response({"error": error.error, "message": error.message},
                                 status=error.status)


def create_sandbox_app(seed: int = 7, *, token_ttl: int = 14400,
                       clock: Callable[[], float] = time.time, buyers_per_minute: float = 0,
                       fault_timeout: float = 15.0) -> web.Application:
    """A fresh in-memory sandbox world, deterministic for `seed` (and a fixed clock)."""
    app = web.Application(middlewares=[gate])
    app[STATE] = build_state(seed, clock, token_ttl)
    app[FAULTS] = FaultBook(timeout_s=fault_timeout)
    app[BUYERS_PER_MINUTE] = float(buyers_per_minute)
    for module in ROUTE_MODULES:
        module.add_routes(app)
    app.cleanup_ctx.append(simulator_context)
    return app
