"""Pairing status and revocation (security.md P5) for the local page.

`GET /api/v1/pairing` shows the fingerprint and the pinned extension origin;
`POST /api/v1/pairing/revoke` rotates the secret, forgets the pin and closes every
WebSocket session (4003), so the seller pairs again with the new secret. Revoking
is refused from an extension origin: only the local page (or a local tool) may.
The secret itself is never returned (L3); `yiwaiwai pair` prints it.
"""

from __future__ import annotations

from aiohttp import hdrs, web

from companion.pairing import fingerprint
from companion.protocol import CLOSE_REVOKED
from companion.web.errors import APIError
from companion.web.keys import hub_key, pairing_key

routes = web.RouteTableDef()


def _status(request: web.Request) -> dict[str, object]:
    pairing = request.app[pairing_key]
    hub = request.app.get(hub_key)
    return {
        "fingerprint": fingerprint(pairing.secret()),
        "pinned_origin": pairing.pinned,
        "sessions": len(hub.sessions) if hub else 0,
    }


@routes.get("/api/v1/pairing")
async def pairing_status(request: web.Request) -> web.Response:
    return web.json_response(_status(request))


@routes.post("/api/v1/pairing/revoke")
async def revoke(request: web.Request) -> web.Response:
    """Rotate the secret and drop every session at once."""
    if request.headers.get(hdrs.ORIGIN, "").lower().startswith("chrome-extension://"):
        raise APIError(403, "local_page_only", "revoke from the companion's own page")
    request.app[pairing_key].revoke()
    hub = request.app.get(hub_key)
    if hub is not None:
        await hub.close_all(CLOSE_REVOKED, "revoked")
    return web.json_response(_status(request))
