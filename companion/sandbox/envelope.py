"""Shopee-style response envelopes and the one exception handlers raise to fail a call.

Success: `{"request_id", "error": "", "message": "", "response": {...}}`; auth
endpoints and `shop/get_shop_info` put their payload at the top level instead.
Business errors come back with HTTP 200 like Shopee; signature/auth failures use
403, bad parameters 400, so a client must always read `error`.
"""

from __future__ import annotations

import uuid
from typing import Any

from aiohttp import web


class ApiError(Exception):
    """A Shopee-style failure: `error` code, human `message`, HTTP status."""

    def __init__(self, error: str, message: str, status: int = 200) -> None:
        super().__init__(f"{error}: {message}")
        self.error = error
        self.message = message
        self.status = status


def param_error(detail: str) -> ApiError:
    """The catch-all `error_param` Shopee returns for missing or invalid business params."""
    return ApiError("error_param", f"Wrong parameters, detail: {detail}", 400)


def request_id() -> str:
    return uuid.uuid4().hex


def ok(response: dict[str, Any] | None = None, *, warning: str = "") -> web.Response:
    """Wrap a payload in the standard envelope."""
    body: dict[str, Any] = {"request_id": request_id(), "error": "", "message": ""}
    if warning:
        body["warning"] = warning
    body["response"] = response if response is not None else {}
    return web.json_response(body)


def ok_top_level(payload: dict[str, Any]) -> web.Response:
    """Auth endpoints and get_shop_info: payload fields next to the envelope fields."""
    return web.json_response({"request_id": request_id(), "error": "", "message": "", **payload})


def fail(error: str, message: str, status: int = 200) -> web.Response:
    return web.json_response(
        {"request_id": request_id(), "error": error, "message": message}, status=status
    )
