"""An independent protocol client built on the `websockets` library (not on our server code).

It computes the handshake proofs itself from protocol.md, so a server that drifts
from the documented handshake fails these tests.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

SHIPPED_ORIGIN = "chrome-extension://ockdojieipbbfmcfijlbhhffkflpbhmf"


def _key(secret: str) -> bytes:
    return base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))


def hmac_b64(secret: str, label: bytes, a: bytes, b: bytes) -> str:
    return base64.b64encode(hmac.new(_key(secret), label + a + b, hashlib.sha256).digest()).decode()


class ImpersonationError(Exception):
    """The server's proof did not verify: not our companion (or another secret)."""


@dataclass
class Client:
    """One paired connection with a request helper and an event inbox."""

    ws: ClientConnection
    ready: dict[str, Any]
    next_id: int = 1
    inbox: list[dict[str, Any]] = field(default_factory=list)

    async def recv(self, timeout: float = 3.0) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(frame))

    async def request(self, type_: str, **fields: Any) -> dict[str, Any]:
        frame_id = self.next_id
        self.next_id += 1
        await self.send({"v": 1, "type": type_, "id": frame_id, **fields})
        while True:
            frame = await self.recv()
            if frame["type"] == "result" and frame["id"] == frame_id:
                return frame
            self.inbox.append(frame)

    async def next_event(self, type_: str, timeout: float = 3.0) -> dict[str, Any]:
        for index, frame in enumerate(self.inbox):
            if frame["type"] == type_:
                return self.inbox.pop(index)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            frame = await self.recv(max(0.01, deadline - asyncio.get_running_loop().time()))
            if frame["type"] == type_:
                return frame
            self.inbox.append(frame)

    async def drain(self, quiet: float = 0.3) -> list[dict[str, Any]]:
        """Everything that arrives until the socket is quiet for `quiet` seconds."""
        frames = list(self.inbox)
        self.inbox.clear()
        while True:
            try:
                frames.append(await self.recv(quiet))
            except TimeoutError:
                return frames


async def open_raw(port: int, origin: str | None = SHIPPED_ORIGIN) -> ClientConnection:
    headers = {} if origin is None else {"Origin": origin}
    return await connect(f"ws://127.0.0.1:{port}/ws", additional_headers=headers, open_timeout=3)


async def handshake(
    ws: ClientConnection, secret: str, resume_from: int = 0, protocol: int = 1
) -> dict[str, Any]:
    """Run the client side of the handshake; returns the `ready` frame."""
    hello = json.loads(await asyncio.wait_for(ws.recv(), 3))
    assert hello["type"] == "hello", hello
    nc = os.urandom(16)
    await ws.send(
        json.dumps(
            {
                "v": 1,
                "type": "auth.start",
                "nc": base64.b64encode(nc).decode(),
                "protocol": protocol,
                "client_version": "test",
            }
        )
    )
    challenge = json.loads(await asyncio.wait_for(ws.recv(), 3))
    if challenge["type"] != "auth.challenge":
        return challenge
    ns = base64.b64decode(challenge["ns"])
    if not hmac.compare_digest(challenge["sp"], hmac_b64(secret, b"srv", nc, ns)):
        raise ImpersonationError("server proof does not verify")
    cp = hmac_b64(secret, b"cli", ns, nc)
    await ws.send(json.dumps({"v": 1, "type": "auth", "cp": cp, "resume_from": resume_from}))
    return json.loads(await asyncio.wait_for(ws.recv(), 3))


async def pair(
    port: int, secret: str, origin: str = SHIPPED_ORIGIN, resume_from: int = 0
) -> Client:
    ws = await open_raw(port, origin)
    ready = await handshake(ws, secret, resume_from)
    assert ready["type"] == "ready", ready
    return Client(ws, ready)
