"""The WebSocket handshake (security.md P3, W3): mutual proof that never sends the secret.

Server `hello` -> client `auth.start{nc}` -> server `auth.challenge{ns, sp}` ->
client `auth{cp, resume_from}`; both proofs are HMAC-SHA256 under the raw 32-byte
pairing key: `sp = HMAC(K, "srv" + nc + ns)`, `cp = HMAC(K, "cli" + ns + nc)`
(nonces as raw bytes, proofs as standard base64). A port squatter without the key
cannot produce `sp`, so the extension refuses it; an attacker who replays frames
meets a fresh `ns`. Each step has a 5 s deadline; any deviation closes 1008.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from aiohttp import WSMsgType, web
from pydantic import ValidationError

from companion import __version__
from companion.pairing import secret_bytes
from companion.protocol import (
    CLOSE_POLICY,
    CLOSE_PROTOCOL,
    CLOSE_UNAUTHORIZED,
    FEATURES,
    HANDSHAKE_ADAPTER,
    PROTOCOL_MAX,
    PROTOCOL_MIN,
    Auth,
    AuthChallenge,
    AuthStart,
    Hello,
)

STEP_TIMEOUT_S = 5.0


class HandshakeFailed(Exception):
    """The peer did not complete the handshake; `close_code` says how we closed."""

    def __init__(self, close_code: int, reason: str) -> None:
        super().__init__(reason)
        self.close_code = close_code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Authenticated:
    """What a completed handshake yields."""

    resume_from: int
    client_version: str
    protocol: int


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def proof(secret: str, label: bytes, first: bytes, second: bytes) -> bytes:
    """HMAC-SHA256(K, label + first + second) with K the raw pairing key."""
    return hmac.new(secret_bytes(secret), label + first + second, hashlib.sha256).digest()


async def _receive(ws: web.WebSocketResponse) -> AuthStart | Auth:
    try:
        msg = await ws.receive(timeout=STEP_TIMEOUT_S)
    except TimeoutError as exc:
        raise HandshakeFailed(CLOSE_POLICY, "handshake timeout") from exc
    if msg.type != WSMsgType.TEXT:
        raise HandshakeFailed(CLOSE_POLICY, "handshake expects text frames")
    try:
        frame = HANDSHAKE_ADAPTER.validate_python(json.loads(msg.data))
    except (ValueError, ValidationError) as exc:
        raise HandshakeFailed(CLOSE_POLICY, "malformed handshake frame") from exc
    return frame  # type: ignore[no-any-return]


async def run_handshake(ws: web.WebSocketResponse, secret: str) -> Authenticated:
    """Drive the four steps; raises `HandshakeFailed` (after sending an error frame if useful)."""
    await ws.send_json(
        Hello(
            server_version=__version__,
            protocol=(PROTOCOL_MIN, PROTOCOL_MAX),
            features=list(FEATURES),
        ).model_dump()
    )
    start = await _receive(ws)
    if not isinstance(start, AuthStart):
        raise HandshakeFailed(CLOSE_POLICY, "expected auth.start")
    if not PROTOCOL_MIN <= start.protocol <= PROTOCOL_MAX:
        await ws.send_json({"v": 1, "type": "error", "code": "protocol_unsupported"})
        raise HandshakeFailed(CLOSE_PROTOCOL, "protocol_unsupported")
    try:
        nc = unb64(start.nc)
    except (binascii.Error, ValueError) as exc:
        raise HandshakeFailed(CLOSE_POLICY, "nonce is not base64") from exc
    if len(nc) != 16:
        raise HandshakeFailed(CLOSE_POLICY, "nonce must be 16 bytes")
    ns = secrets.token_bytes(16)
    sp = proof(secret, b"srv", nc, ns)
    await ws.send_json(AuthChallenge(ns=b64(ns), sp=b64(sp)).model_dump())
    auth = await _receive(ws)
    if not isinstance(auth, Auth):
        raise HandshakeFailed(CLOSE_POLICY, "expected auth")
    expected = proof(secret, b"cli", ns, nc)
    try:
        presented = unb64(auth.cp)
    except (binascii.Error, ValueError):
        presented = b""
    digest = hashlib.sha256
    if not hmac.compare_digest(digest(presented).digest(), digest(expected).digest()):
        await ws.send_json({"v": 1, "type": "error", "code": "unauthorized"})
        raise HandshakeFailed(CLOSE_UNAUTHORIZED, "unauthorized")
    return Authenticated(auth.resume_from, start.client_version, start.protocol)
