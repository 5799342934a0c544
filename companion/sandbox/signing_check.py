"""Independent check of Shopee v2 request signatures (section 2 of the platform doc).

Base strings: public `partner_id + path + timestamp`; shop adds `access_token +
shop_id`; merchant adds `access_token + merchant_id`. HMAC-SHA256 keyed with the
partner key string, lowercase hex. Written apart from companion.shopee on purpose
so a shared mistake cannot make both sides agree.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from aiohttp import web

from companion.sandbox.envelope import ApiError
from companion.sandbox.state import SandboxState

TIMESTAMP_WINDOW_S = 300
PUBLIC_PREFIXES = ("/api/v2/auth/", "/api/v2/public/", "/api/v2/push/")
PUBLIC_PATHS = frozenset({"/api/v2/shop/auth_partner", "/api/v2/shop/cancel_auth_partner"})


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a verified request comes from; shop fields are empty for public calls."""

    partner_id: int
    shop_id: int = 0
    access_token: str = ""


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def expected_sign(partner_key: str, base: str) -> str:
    return hmac.new(partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()


def _int_param(request: web.Request, name: str, missing: str) -> int:
    raw = request.query.get(name, "")
    try:
        return int(raw)
    except ValueError:
        raise ApiError("error_param", missing, 400) from None


def _check_timestamp(state: SandboxState, request: web.Request) -> int:
    ts = _int_param(request, "timestamp", "Invalid timestamp")
    if abs(state.now() - ts) > TIMESTAMP_WINDOW_S:
        raise ApiError("error_param", "Timestamp is expired.", 400)
    return ts


def verify_request(state: SandboxState, request: web.Request) -> Caller:
    """Validate common params and the sign; raise ApiError exactly as Shopee would."""
    partner_id = _int_param(request, "partner_id", "Invalid partner_id.")
    if partner_id != state.partner_id:
        raise ApiError("invalid_partner_id", "Invalid partner_id.", 403)
    ts = _check_timestamp(state, request)
    sign = request.query.get("sign", "")
    if not sign:
        raise ApiError("error_param", "Invalid sign.", 400)
    path = request.path
    if is_public(path):
        base = f"{partner_id}{path}{ts}"
        caller = Caller(partner_id)
    else:
        token = request.query.get("access_token", "")
        if not token:
            raise ApiError("error_param", "Invalid access_token.", 400)
        shop_id = _int_param(request, "shop_id", "Invalid shop_id.")
        base = f"{partner_id}{path}{ts}{token}{shop_id}"
        caller = Caller(partner_id, shop_id, token)
    if not hmac.compare_digest(sign.lower(), expected_sign(state.partner_key, base)):
        raise ApiError("error_sign", "Wrong sign.", 403)
    return caller
