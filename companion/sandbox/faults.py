"""Injected failures for tests and benchmarks: the next N calls to a path fail a chosen way."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web

from companion.sandbox.envelope import fail

FAULT_KINDS = ("http_500", "timeout", "rate_limit", "expired_token")
API_PREFIX = "/api/v2/"


@dataclass(slots=True)
class PendingFault:
    kind: str
    left: int


@dataclass(slots=True)
class FaultBook:
    """Pending faults per API path, consumed in order; `timeout_s` is how long a timeout stalls."""

    timeout_s: float = 15.0
    pending: dict[str, list[PendingFault]] = field(default_factory=dict)

    def add(self, path: str, kind: str, count: int) -> str:
        path = normalize_path(path)
        self.pending.setdefault(path, []).append(PendingFault(kind, count))
        return path

    def take(self, path: str) -> str | None:
        """The fault for this call, if any, counting it down."""
        queue = self.pending.get(path)
        if not queue:
            return None
        fault = queue[0]
        fault.left -= 1
        if fault.left <= 0:
            queue.pop(0)
        return fault.kind


def normalize_path(path: str) -> str:
    """Accept `/api/v2/order/get_order_list`, `order/get_order_list` or `/order/get_order_list`."""
    path = path.strip()
    if path.startswith(API_PREFIX):
        return path
    return API_PREFIX + path.lstrip("/")


async def fault_response(kind: str, timeout_s: float) -> web.Response:
    """What the client sees for each fault kind."""
    if kind == "timeout":
        await asyncio.sleep(timeout_s)
        return fail("error_server", "Gateway timeout.", 504)
    if kind == "rate_limit":
        return fail("error_rate_limit", "Too many requests, please retry later.", 429)
    if kind == "expired_token":
        return fail("invalid_acceess_token", "Invalid access_token.", 403)
    return fail("error_server", "Internal server error.", 500)
