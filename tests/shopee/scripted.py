"""A scripted stand-in for Shopee's servers, for failure sequences the sandbox cannot produce.

Each path has a queue of canned answers; an empty queue answers success. Every
request is recorded (path, query, JSON body) so tests can assert what was sent.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TIMEOUT = "timeout"


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class ScriptedShopee:
    """Answers from `script[path]` in order; records every request in `seen`."""

    script: dict[str, list[Any]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    success: dict[str, dict[str, Any]] = field(default_factory=dict)
    delay: float = 0.0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    def calls(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw) if raw else None
        self.seen.append(Seen(request.path, dict(request.query), body))
        if self.delay:
            await asyncio.sleep(self.delay)
        queue = self.script.get(request.path) or []
        answer = queue.pop(0) if queue else ("ok",)
        return await self._answer(request.path, answer)

    async def _answer(self, path: str, answer: Any) -> web.StreamResponse:
        if answer == TIMEOUT:
            await asyncio.sleep(0.5)
            return web.Response(status=504)
        if isinstance(answer, int):
            return web.Response(status=answer, text="<html>upstream error</html>")
        if isinstance(answer, tuple) and answer[0] == "ok":
            payload = self.success.get(path, {})
            if path.startswith("/api/v2/auth/") or path == "/api/v2/shop/get_shop_info":
                return web.json_response({"request_id": "r", "error": "", "message": "", **payload})
            return web.json_response(
                {"request_id": "r", "error": "", "message": "", "response": payload}
            )
        status, error, message = answer
        return web.json_response(
            {"request_id": "rid-1", "error": error, "message": message}, status=status
        )
