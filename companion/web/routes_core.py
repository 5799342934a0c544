"""Health (no auth) and auto mode: the routes every client relies on first."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from companion import PROTOCOL_VERSION, __version__
from companion.modes import UnknownShopError
from companion.web.errors import APIError
from companion.web.jsonio import read_model
from companion.web.keys import connection_key, mode_key, model_key

routes = web.RouteTableDef()


class ModeUpdate(BaseModel):
    """Body of `PUT /api/v1/mode`; strict: "yes", 1 or "true" are refused, only JSON booleans."""

    model_config = ConfigDict(extra="forbid")
    auto: StrictBool
    shop_id: str | None = Field(default=None, max_length=32)


def _mode_body(request: web.Request) -> dict[str, object]:
    state = request.app[mode_key].snapshot()
    return {"auto": any(state.values()), "shops": state}


@routes.get("/api/v1/health")
async def health(request: web.Request) -> web.Response:
    """Who we are and what we run; lets the extension recognise our server."""
    connection = request.app[connection_key]
    body: dict[str, object] = {
        "status": "ok",
        "product": "yiwaiwai",
        "version": __version__,
        "protocol": PROTOCOL_VERSION,
        "mode": "demo" if connection.demo else "live",
        "auto": request.app[mode_key].snapshot(),
        "model": request.app[model_key].info(),
        "shops": [shop.public() for shop in connection.shops],
    }
    if connection.sandbox_url:
        body["sandbox_url"] = connection.sandbox_url
    return web.json_response(body)


@routes.get("/api/v1/mode")
async def get_mode(request: web.Request) -> web.Response:
    return web.json_response(_mode_body(request))


@routes.put("/api/v1/mode")
async def put_mode(request: web.Request) -> web.Response:
    """Switch auto mode for one shop, or for every shop when no `shop_id` is given."""
    update = await read_model(request, ModeUpdate)
    try:
        request.app[mode_key].set_auto(update.auto, update.shop_id)
    except UnknownShopError as exc:
        raise APIError(422, "unknown_shop", f"no shop {update.shop_id}") from exc
    return web.json_response(_mode_body(request))
