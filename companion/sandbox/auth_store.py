"""Auth codes and tokens: single-use 10-minute codes, expiring access tokens, rotating refresh.

Access-token life is `AuthBook.token_ttl`, read at check time so a test can
shorten it for tokens already issued. After a refresh the old access token
stays valid for 5 more minutes, as on Shopee.
"""

from __future__ import annotations

from companion.sandbox.envelope import ApiError
from companion.sandbox.state import SandboxState, TokenRecord

CODE_TTL_S = 600
REFRESH_TTL_S = 30 * 86400
GRACE_AFTER_REFRESH_S = 300


def _token(state: SandboxState) -> str:
    return f"{state.rng.getrandbits(128):032x}"


def issue_code(state: SandboxState, shop_id: int) -> str:
    """An authorization code as delivered on the redirect after the seller consents."""
    code = _token(state)
    state.auth.codes[code] = TokenRecord(code, shop_id, state.clock())
    return code


def issue_pair(state: SandboxState, shop_id: int) -> dict[str, object]:
    """A fresh access/refresh pair in the auth endpoints' top-level shape."""
    now = state.clock()
    access, refresh = _token(state), _token(state)
    state.auth.access[access] = TokenRecord(access, shop_id, now)
    state.auth.refresh[refresh] = TokenRecord(refresh, shop_id, now)
    return {"access_token": access, "refresh_token": refresh, "expire_in": state.auth.token_ttl}


def redeem_code(state: SandboxState, code: str, shop_id: int) -> dict[str, object]:
    record = state.auth.codes.get(code)
    if record is None or record.used or state.clock() - record.issued_at > CODE_TTL_S:
        raise ApiError("invalid_code", "Invalid code.", 403)
    if record.shop_id != shop_id:
        raise ApiError("invalid_shop_id", "Invalid shop_id.", 403)
    record.used = True
    return issue_pair(state, shop_id)


def refresh_pair(state: SandboxState, refresh_token: str, shop_id: int) -> dict[str, object]:
    """Rotate: the presented refresh token is spent, a new pair is issued."""
    record = state.auth.refresh.get(refresh_token)
    if record is None or record.used or record.shop_id != shop_id:
        raise ApiError("error_auth", "Invalid refresh_token.", 403)
    if state.clock() - record.issued_at > REFRESH_TTL_S:
        raise ApiError("refresh_token_expired", "Refresh token is expired.", 403)
    record.used = True
    grace_until = state.clock() + GRACE_AFTER_REFRESH_S
    for access in state.auth.access.values():
        if access.shop_id == shop_id and access.expires_at is None:
            access.expires_at = grace_until
    return issue_pair(state, shop_id)


def check_access(state: SandboxState, token: str, shop_id: int) -> None:
    """Raise the Shopee error for an unknown, foreign or expired access token."""
    record = state.auth.access.get(token)
    if record is None:
        raise ApiError("error_auth", "Invalid access_token.", 403)
    if record.shop_id != shop_id:
        raise ApiError("error_auth", "Invalid partner_id or shopid.", 403)
    now = state.clock()
    expired = now - record.issued_at >= state.auth.token_ttl
    if expired or (record.expires_at is not None and now >= record.expires_at):
        raise ApiError("invalid_acceess_token", "Invalid access_token.", 403)
