"""Every way a Shopee call can fail, as one exception tree (shopee doc 11.2, 7.4).

    ShopeeError
    ├── NotAuthorizedError            no stored tokens for this shop: run `yiwaiwai auth`
    ├── TransportError                network failure or timeout, after the bounded retries
    ├── WriteOutcomeUnknownError      a write may have landed (timeout / 5xx); never retried blindly
    └── ShopeeAPIError                Shopee answered with `error` set (or an HTTP error)
        ├── AuthError                 error_auth and friends
        │   ├── InvalidTokenError     access token rejected: refresh once, then retry
        │   └── ReauthorizeError      refresh token / authorization gone: seller must re-authorize
        ├── PermissionDeniedError     app type or shop may not call this API
        ├── RequestRejectedError      our request is wrong; retrying will not help
        │   ├── SignError             error_sign (key, environment, base string, clock)
        │   └── ParamError            error_param (includes expired timestamp)
        ├── RateLimitError            error_rate_limit / HTTP 429 after backing off
        ├── DailyLimitError           error_limit: app quota spent until 00:00 UTC+8 (`resume_at`)
        ├── ServerError               error_server / error_system_busy / error_network / HTTP 5xx
        ├── SendRestrictedError       Shopee refused a chat send (`reason` says which rule)
        └── NotFoundError             the order / item / conversation does not exist

Messages carry the API path and Shopee's error code and text, never the query
string (tokens and sign live there) nor any key.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from companion.logsetup import redact, strip_query

UTC8 = timezone(timedelta(hours=8))

INVALID_TOKEN_CODES = frozenset(
    {"invalid_acceess_token", "invalid_access_token", "error_invalid_token"}
)
REAUTHORIZE_CODES = frozenset(
    {
        "invalid_code",
        "invalid_shop_id",
        "invalid_main_acount_id",
        "refresh_token_expired",
        "error_shop_refresh_token",
        "error_merchant_refresh_token",
        "shop_access_expired",
        "merchant_access_expired",
        "partner_shop_no_link",
        "shop_no_linked",
        "invalid_partner_id",
        "error_partner_key_expired",
        "shop_banned",
    }
)
PERMISSION_CODES = frozenset(
    {
        "error_api_permission",
        "error_permission",
        "error_api_call_restricted",
        "api_suspended",
        "error_ashop_api_permission",
        "error_kyc_auth",
        "source_ip_undeclared",
    }
)
SERVER_CODES = frozenset(
    {"error_server", "error_network", "error_system_busy", "error_data", "error_inner"}
)
RETRYABLE_SERVER_CODES = frozenset({"error_server", "error_network", "error_system_busy"})
SEND_RESTRICTION_CODES = frozenset(
    {
        "user_is_forbidden",
        "reach_5_message_limit",
        "first_chat_without_order_info",
        "message_too_long",
        "message_is_censored",
        "exceed_send_limitaion",
        "block_by_internal_safety_strategies",
        "error_blocked",
        "error_sender_block_receiver",
        "assigned_to_subaccount",
        "shop_bound_subaccount",
    }
)
# Only on send paths: `error_business` there means "same text sent again within 24 h".
SEND_PATHS = frozenset(
    {"/api/v2/sellerchat/send_message", "/api/v2/sellerchat/send_autoreply_message"}
)
NOT_FOUND_CODES = frozenset({"error_not_found", "error_not_exist"})


class ShopeeError(Exception):
    """Base of everything the Shopee client raises."""


class NotAuthorizedError(ShopeeError):
    """No tokens are stored for this shop; the seller has to authorize the app first."""


class TransportError(ShopeeError):
    """The request did not get a usable answer (network, timeout), even after retries."""


class WriteOutcomeUnknownError(ShopeeError):
    """A write may or may not have been applied; the caller must check before trying again."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = strip_query(path)
        super().__init__(f"{self.path}: outcome unknown ({redact(detail)}); not retried")


class ShopeeAPIError(ShopeeError):
    """Shopee rejected the call; `error`, `message` and `request_id` come from the envelope."""

    def __init__(
        self,
        error: str,
        message: str = "",
        request_id: str = "",
        *,
        path: str = "",
        http_status: int = 200,
    ) -> None:
        self.error = error
        self.message = redact(message or "")
        self.request_id = request_id or ""
        self.path = strip_query(path)
        self.http_status = http_status
        text = f"{self.path or 'shopee'}: {error}"
        if self.message:
            text += f": {self.message}"
        if self.request_id:
            text += f" (request_id {self.request_id})"
        super().__init__(text)


class AuthError(ShopeeAPIError):
    """Shopee did not accept our credentials for this call."""


class InvalidTokenError(AuthError):
    """The access token is expired or unknown; one refresh should fix it."""


class ReauthorizeError(AuthError):
    """The refresh token or the authorization itself is gone; only a new authorization helps."""


class PermissionDeniedError(ShopeeAPIError):
    """The app type, IP whitelist or shop status forbids this API."""


class RequestRejectedError(ShopeeAPIError):
    """The request itself is wrong; repeating it unchanged cannot succeed."""


class SignError(RequestRejectedError):
    """Wrong sign: key, environment, base-string order, path or clock."""


class ParamError(RequestRejectedError):
    """Missing or invalid parameters, including an expired timestamp."""


class RateLimitError(ShopeeAPIError):
    """Too many requests; still throttled after backing off."""


class DailyLimitError(ShopeeAPIError):
    """The app's daily quota is spent; calls resume at `resume_at` (00:00 UTC+8)."""

    def __init__(
        self,
        error: str,
        message: str = "",
        request_id: str = "",
        *,
        path: str = "",
        http_status: int = 200,
        resume_at: datetime,
    ) -> None:
        self.resume_at = resume_at
        super().__init__(error, message, request_id, path=path, http_status=http_status)
        self.args = (f"{self.args[0]}; calls resume at {resume_at.isoformat()}",)


class ServerError(ShopeeAPIError):
    """Shopee-side failure; worth retrying later."""


class SendRestrictedError(ShopeeAPIError):
    """Shopee's chat send rules refused the message; `reason` is the error code."""

    @property
    def reason(self) -> str:
        return self.error


class NotFoundError(ShopeeAPIError):
    """The referenced object does not exist (or is not this shop's)."""


def next_quota_reset(now: float) -> datetime:
    """The next 00:00 in UTC+8 strictly after `now` (Unix seconds), as an aware datetime."""
    local = datetime.fromtimestamp(now, UTC8)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight.astimezone(UTC)


def is_invalid_token(error: str, message: str) -> bool:
    """Shopee reports a bad access token under several codes; match on the text too (doc 11.2)."""
    if error in INVALID_TOKEN_CODES:
        return True
    text = (message or "").lower()
    return (
        error in ("error_auth", "error_param")
        and "access_token" in text
        and ("invalid" in text or "expired" in text)
    )


def classify(
    error: str,
    message: str = "",
    request_id: str = "",
    *,
    path: str = "",
    http_status: int = 200,
    now: float = 0.0,
) -> ShopeeAPIError:
    """Map an envelope (or HTTP status) to the most specific exception class."""
    kwargs = {"path": path, "http_status": http_status}
    if error == "error_limit":
        return DailyLimitError(
            error, message, request_id, resume_at=next_quota_reset(now), **kwargs
        )
    cls: type[ShopeeAPIError]
    if is_invalid_token(error, message):
        cls = InvalidTokenError
    elif error in REAUTHORIZE_CODES:
        cls = ReauthorizeError
    elif error in PERMISSION_CODES or (
        error == "error_auth" and "permission" in (message or "").lower()
    ):
        cls = PermissionDeniedError
    elif error == "error_auth":
        cls = AuthError
    elif error == "error_sign":
        cls = SignError
    elif error == "error_param":
        cls = ParamError
    elif error == "error_rate_limit" or http_status == 429:
        cls = RateLimitError
    elif error in SERVER_CODES or http_status >= 500:
        cls = ServerError
    elif error in SEND_RESTRICTION_CODES or (
        error == "error_business" and strip_query(path) in SEND_PATHS
    ):
        cls = SendRestrictedError
    elif error in NOT_FOUND_CODES or error.endswith("not_found") or http_status == 404:
        cls = NotFoundError
    else:
        cls = ShopeeAPIError
    return cls(error, message, request_id, **kwargs)
