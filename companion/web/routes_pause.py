"""Pause automation for a while (the tray's kill switch, also offered to the page).

`PUT /api/v1/pause {"minutes": 30}` stops every automatic send until then;
`DELETE /api/v1/pause` ends it early; `GET /api/v1/pause` tells whether it runs.
"""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from companion.web.jsonio import read_model
from companion.web.keys import mode_key

routes = web.RouteTableDef()


class PauseIn(BaseModel):
    """Body of `PUT /api/v1/pause`."""

    model_config = ConfigDict(extra="forbid")
    minutes: int = Field(default=30, ge=1, le=24 * 60)


def _body(request: web.Request) -> dict[str, object]:
    until = request.app[mode_key].paused_until
    return {"paused": until is not None, "paused_until": until}


@routes.get("/api/v1/pause")
async def get_pause(request: web.Request) -> web.Response:
    return web.json_response(_body(request))


@routes.put("/api/v1/pause")
async def put_pause(request: web.Request) -> web.Response:
    body = await read_model(request, PauseIn)
    request.app[mode_key].pause(body.minutes * 60)
    return web.json_response(_body(request))


@routes.delete("/api/v1/pause")
async def delete_pause(request: web.Request) -> web.Response:
    request.app[mode_key].resume()
    return web.json_response(_body(request))
