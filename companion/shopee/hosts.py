"""Which Shopee host a shop's calls go to: a fixed allowlist (security.md A7, shopee doc 1.1).

Production and test hosts are the documented ones only. The single exception is
the local sandbox shop, reachable as plain http on 127.0.0.1 with a port; no
other custom URL is accepted, so a config edit cannot redirect tokens elsewhere.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

Environment = Literal["live", "test"]

LIVE_GLOBAL = "https://partner.shopeemobile.com"
LIVE_CN = "https://openplatform.shopee.cn"
LIVE_US = "https://openplatform.shopee.com.br"
TEST_GLOBAL = "https://openplatform.sandbox.test-stable.shopee.sg"
TEST_CN = "https://openplatform.sandbox.test-stable.shopee.cn"
TEST_LEGACY = "https://partner.test-stable.shopeemobile.com"

ALLOWED_HOSTS = frozenset({LIVE_GLOBAL, LIVE_CN, LIVE_US, TEST_GLOBAL, TEST_CN, TEST_LEGACY})

# Shopee markets (plus CN for mainland cross-border sellers). All but CN use the
# global host, which the official guide names as the default for every market.
REGIONS = frozenset({"SG", "MY", "TH", "TW", "ID", "VN", "PH", "BR", "MX", "CO", "CL", "CN"})


class HostError(ValueError):
    """A region, environment or base URL that is not on the allowlist."""


def base_url(region: str, environment: str = "live") -> str:
    """The documented host for a shop's region and environment."""
    code = region.strip().upper()
    if code not in REGIONS:
        raise HostError(f"unknown Shopee region {region!r}; expected one of {sorted(REGIONS)}")
    if environment == "live":
        return LIVE_CN if code == "CN" else LIVE_GLOBAL
    if environment == "test":
        return TEST_CN if code == "CN" else TEST_GLOBAL
    raise HostError(f"unknown environment {environment!r}; expected 'live' or 'test'")


def is_local_sandbox(url: str) -> bool:
    """True for http://127.0.0.1:<port> with nothing else (the embedded sandbox shop)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "http"
        and parts.hostname == "127.0.0.1"
        and port is not None
        and 0 < port < 65536
        and parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
        and parts.username is None
    )


def check_base_url(url: str) -> str:
    """Return `url` normalised (no trailing slash) if it is allowed, else raise `HostError`."""
    normalised = url.rstrip("/")
    if normalised in ALLOWED_HOSTS or is_local_sandbox(normalised):
        return normalised
    raise HostError(
        f"{url!r} is not a Shopee host; only the documented hosts or a local sandbox "
        "(http://127.0.0.1:<port>) are allowed"
    )
