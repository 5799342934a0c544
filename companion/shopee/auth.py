"""Shop authorization: the signed auth_partner link and the code-for-tokens exchange (doc 3.1-3.2).

The seller opens the link, logs in and consents; Shopee redirects to our
`redirect` URL with `?code=…&shop_id=…` (or `main_account_id` for a main
account). The code is single use and lives 10 minutes, so it is exchanged at
once and the pair is stored 0600 before anything else happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from companion.shopee.client import ShopeeClient
from companion.shopee.hosts import check_base_url
from companion.shopee.signing import sign
from companion.shopee.tokens import ShopTokens, check_shop_id

AUTH_PARTNER_PATH = "/api/v2/shop/auth_partner"
CANCEL_AUTH_PATH = "/api/v2/shop/cancel_auth_partner"


def authorization_url(
    base_url: str, partner_id: int, partner_key: str, redirect: str, timestamp: int
) -> str:
    """The link to open in the seller's browser; valid 5 minutes from `timestamp`."""
    return _signed_link(base_url, AUTH_PARTNER_PATH, partner_id, partner_key, redirect, timestamp)


def cancel_authorization_url(
    base_url: str, partner_id: int, partner_key: str, redirect: str, timestamp: int
) -> str:
    """Same construction for de-authorization."""
    return _signed_link(base_url, CANCEL_AUTH_PATH, partner_id, partner_key, redirect, timestamp)


def _signed_link(
    base_url: str, path: str, partner_id: int, partner_key: str, redirect: str, timestamp: int
) -> str:
    query = urlencode(
        {
            "partner_id": int(partner_id),
            "timestamp": int(timestamp),
            "sign": sign(partner_key, partner_id, path, timestamp),
            "redirect": redirect,
        }
    )
    return f"{check_base_url(base_url)}{path}?{query}"


@dataclass(frozen=True, slots=True)
class Redirect:
    """What Shopee appended to our redirect URL."""

    code: str
    shop_id: str | None = None
    main_account_id: str | None = None


def parse_redirect(query: Mapping[str, str]) -> Redirect:
    """Validate the redirect's query; raise ValueError when it is not a usable grant."""
    code = (query.get("code") or "").strip()
    shop_id = (query.get("shop_id") or "").strip() or None
    main_account_id = (query.get("main_account_id") or "").strip() or None
    if not code:
        raise ValueError("the redirect carries no authorization code")
    if (shop_id is None) == (main_account_id is None):
        raise ValueError("the redirect must carry exactly one of shop_id / main_account_id")
    for value in (shop_id, main_account_id):
        if value is not None:
            check_shop_id(value)
    return Redirect(code, shop_id, main_account_id)


async def exchange_code(client: ShopeeClient, redirect: Redirect) -> list[ShopTokens]:
    """Trade the code for tokens and store them per shop (0600, atomic)."""
    grant = await client.request_token(
        redirect.code, shop_id=redirect.shop_id, main_account_id=redirect.main_account_id
    )
    shop_ids = [redirect.shop_id] if redirect.shop_id is not None else list(grant.shop_id_list)
    if not shop_ids:
        raise ValueError("Shopee returned tokens but no shop for this main account")
    # A main account's first pair is shared by its shops until each one's first refresh (doc 3.3).
    return [client.store_grant(shop_id, grant) for shop_id in shop_ids]
