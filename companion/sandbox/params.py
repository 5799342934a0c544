"""Parsing of query and JSON-body parameters; every problem becomes `error_param`."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from companion.sandbox.envelope import ApiError, param_error


def query_str(request: web.Request, name: str, default: str | None = None) -> str:
    value = request.query.get(name)
    if value is None or value == "":
        if default is None:
            raise param_error(f"{name} is required")
        return default
    return value


def query_int(request: web.Request, name: str, default: int | None = None) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        if default is None:
            raise param_error(f"{name} is required")
        return default
    try:
        return int(raw)
    except ValueError:
        raise param_error(f"{name} must be an integer") from None


def query_list(request: web.Request, name: str) -> list[str]:
    """Arrays in GET: repeated keys or a comma-joined value (both accepted)."""
    values: list[str] = []
    for raw in request.query.getall(name, []):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def in_range(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise param_error(f"{name} must be between {low} and {high}")
    return value


async def json_body(request: web.Request) -> dict[str, Any]:
    """The POST body as a JSON object (big ints stay exact with the stdlib parser)."""
    try:
        body = json.loads(await request.read() or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise param_error("body is not valid JSON") from None
    if not isinstance(body, dict):
        raise param_error("body must be a JSON object")
    return body


def body_str(body: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise param_error(f"{name} is required")
        return ""
    if not isinstance(value, str):
        raise param_error(f"{name} must be a string")
    return value


def body_int(body: dict[str, Any], name: str, *, required: bool = True) -> int:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise param_error(f"{name} is required")
        return 0
    if isinstance(value, bool):
        raise param_error(f"{name} must be an integer")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise param_error(f"{name} must be an integer") from None


def not_found(what: str) -> ApiError:
    return ApiError("error_not_found", f"{what} not found.")
