"""`POST /api/session`: the local page trades its one-time launch token for a session token.

The path is public in the gate (the page has no bearer yet); a wrong or used
token counts as an authentication failure, so guessing meets the same lockout
as a wrong pairing secret.
"""

from __future__ import annotations

from aiohttp import hdrs, web
from pydantic import BaseModel, ConfigDict, Field

from companion.web.errors import APIError
from companion.web.jsonio import read_model
from companion.web.keys import gate_key, sessions_key, settings_key
from companion.web.sessions import VIEWS, page_url, write_launch_file

routes = web.RouteTableDef()
SESSION_PATH = "/api/session"


class SessionRequest(BaseModel):
    """Body of `POST /api/session`."""

    model_config = ConfigDict(extra="forbid")
    lt: str = Field(min_length=16, max_length=128)


@routes.post(SESSION_PATH)
async def create_session(request: web.Request) -> web.Response:
    """201 with `{token, idle_timeout_s}`; 401 when the launch token is unknown, used or old."""
    body = await read_model(request, SessionRequest)
    store = request.app[sessions_key]
    token = store.exchange(body.lt)
    if token is None:
        gate = request.app[gate_key]
        if not gate.auth_failures.take():
            gate.locked_until = gate.clock() + 60
        raise APIError(401, "launch_token_invalid", "open the page again from the tray icon")
    return web.json_response(
        {"token": token, "idle_timeout_s": int(store.session_idle)}, status=201
    )


class LaunchRequest(BaseModel):
    """Body of `POST /api/v1/launch`."""

    model_config = ConfigDict(extra="forbid")
    view: str = Field(default="dashboard", pattern="^(" + "|".join(VIEWS) + ")$")


@routes.post("/api/v1/launch")
async def create_launch_file(request: web.Request) -> web.Response:
    """For `yiwaiwai open` on headless machines: a 0600 launch file, like the tray writes.

    Needs the pairing secret (the gate checks it), so only the seller's own
    account can mint one; the token itself stays in the file, never in a reply.
    """
    body = await read_model(request, LaunchRequest)
    settings = request.app[settings_key]
    token = request.app[sessions_key].issue_launch_token()
    port = request.url.port or settings.port
    path = write_launch_file(settings.data_dir / "run", page_url(port, token, body.view))
    return web.json_response({"launch_file": str(path), "expires_in_s": 60}, status=201)


@routes.delete(SESSION_PATH)
async def end_session(request: web.Request) -> web.Response:
    """Log out: ends the session named in the Authorization header (204 either way)."""
    scheme, _, token = request.headers.get(hdrs.AUTHORIZATION, "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        request.app[sessions_key].end(token.strip())
    return web.Response(status=204)
