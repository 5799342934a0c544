"""Handler helpers: the sandbox state and the calling shop of a verified request."""

from __future__ import annotations

from aiohttp import web

from companion.sandbox.envelope import ApiError
from companion.sandbox.keys import CALLER, STATE
from companion.sandbox.state import SandboxState, Shop


def state_of(request: web.Request) -> SandboxState:
    return request.app[STATE]


def shop_of(request: web.Request) -> Shop:
    """The shop whose access token signed this call (set by the signing middleware)."""
    shop = state_of(request).shops.get(request[CALLER].shop_id)
    if shop is None:
        raise ApiError("error_auth", "Invalid partner_id or shopid.", 403)
    return shop
