"""One JSON error envelope for every REST failure: `{"error": code, "message": ...}`.

Codes are stable snake_case strings the extension and the page localise by code.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web


def error_response(
    status: int,
    code: str,
    message: str = "",
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body: dict[str, Any] = {"error": code}
    if message:
        body["message"] = message
    if details is not None:
        body["details"] = details
    return web.json_response(body, status=status, headers=headers)


class APIError(Exception):
    """Raised by handlers and helpers; the gate turns it into `error_response`."""

    def __init__(self, status: int, code: str, message: str = "", details: Any = None) -> None:
        super().__init__(message or code)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def response(self) -> web.Response:
        return error_response(self.status, self.code, self.message, self.details)
