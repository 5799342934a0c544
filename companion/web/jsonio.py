"""Strict JSON in (security.md 3.2 steps 7-10): 415, 413, 400 and 422 with the field named."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from companion.web.errors import APIError

MAX_BODY = 256 * 1024
M = TypeVar("M", bound=BaseModel)
_ALLOWED_CONTROLS = {"\n", "\t"}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes) -> Any:
    """Parse with duplicate keys, NaN and Infinity refused; raises APIError 400."""
    try:
        return json.loads(
            raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constants
        )
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise APIError(400, "malformed_json", f"body is not valid JSON: {exc}"[:200]) from exc


def _check_strings(value: Any, path: str = "") -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise APIError(422, "invalid_text", f"{path or 'body'}: not valid UTF-8") from exc
        if any((ord(c) < 32 and c not in _ALLOWED_CONTROLS) or ord(c) == 127 for c in value):
            raise APIError(422, "invalid_text", f"{path or 'body'}: control characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, path)
            _check_strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, f"{path}[{index}]")


async def read_json(request: web.Request) -> Any:
    """The request body as checked JSON (content type, size, syntax, text)."""
    if request.content_type != "application/json":
        raise APIError(415, "unsupported_media_type", "send Content-Type: application/json")
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise APIError(413, "body_too_large", f"body over {MAX_BODY} bytes")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        raise APIError(413, "body_too_large", f"body over {MAX_BODY} bytes") from exc
    value = parse_json(raw)
    _check_strings(value)
    return value


def validate(model: type[M], value: Any) -> M:
    """Validate with the model (which should forbid extra fields); 422 names the fields."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        details = [
            {"field": ".".join(str(p) for p in err["loc"]) or "body", "problem": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        fields = ", ".join(d["field"] for d in details)
        raise APIError(422, "invalid_input", f"invalid field(s): {fields}", details) from exc


async def read_model(request: web.Request, model: type[M]) -> M:
    """`read_json` then `validate`."""
    return validate(model, await read_json(request))
