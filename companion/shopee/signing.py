"""HMAC-SHA256 signatures for Shopee Open Platform v2 (shopee-open-platform.md section 2, 8.4).

Pure functions, no I/O. The base string is a plain concatenation in a fixed
order; only the query's common parameters are signed, never the body. The
sandbox checks signatures with its own code, so a bug here cannot hide by being
wrong the same way twice; both are pinned to the documented test vectors.
"""

from __future__ import annotations

import hashlib
import hmac


def base_string(
    partner_id: int,
    path: str,
    timestamp: int,
    access_token: str = "",
    entity_id: int | str | None = None,
) -> str:
    """The exact text that is signed: public = id+path+ts, shop/merchant add token+entity id."""
    if not path.startswith("/api/v2/") or "?" in path or path.endswith("/"):
        raise ValueError(f"path must be a bare /api/v2/ path, got {path!r}")
    base = f"{int(partner_id)}{path}{int(timestamp)}"
    if access_token:
        if entity_id is None or str(entity_id) == "":
            raise ValueError("shop/merchant signatures need the shop_id or merchant_id")
        base += f"{access_token}{entity_id}"
    return base


def sign(
    partner_key: str,
    partner_id: int,
    path: str,
    timestamp: int,
    access_token: str = "",
    entity_id: int | str | None = None,
) -> str:
    """64 lowercase hex chars; the key is the console string as UTF-8 (never hex-decoded)."""
    message = base_string(partner_id, path, timestamp, access_token, entity_id)
    return hmac.new(
        partner_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def push_signature(partner_key: str, callback_url: str, raw_body: bytes) -> str:
    """Expected `Authorization` value of a push: HMAC over callback_url + "|" + raw body bytes."""
    message = callback_url.encode("utf-8") + b"|" + raw_body
    return hmac.new(partner_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify_push(
    partner_key: str, callback_url: str, raw_body: bytes, authorization: str | None
) -> bool:
    """Constant-time push check; `callback_url` is the configured URL, not the request's."""
    if not authorization:
        return False
    expected = push_signature(partner_key, callback_url, raw_body)
    return hmac.compare_digest(
        expected.encode("ascii"), authorization.strip().lower().encode("utf-8")
    )
