"""Build a `ShopeeClient` from the settings and files that `yiwaiwai auth` wrote.

`<data_dir>/secrets/partner.json` (0600) holds `{partner_id, partner_key}`;
`<data_dir>/tokens/<shop_id>.json` the per-shop tokens; `config.json` the
shops with region and environment ("live", "test" or "sandbox" with
`api_host` pointing at a local sandbox).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from companion.securefile import read_private_json
from companion.settings import Settings, ShopConfig
from companion.shopee.client import ShopeeClient
from companion.shopee.hosts import base_url, check_base_url
from companion.shopee.tokens import TokenStore


class MissingCredentialsError(LookupError):
    """No stored partner key (or for another partner id): run `yiwaiwai auth`."""


def partner_secret_path(data_dir: Path) -> Path:
    return Path(data_dir) / "secrets" / "partner.json"


def read_partner_key(data_dir: Path, partner_id: int) -> str:
    """The stored partner key for `partner_id` (file must be 0600)."""
    try:
        stored = read_private_json(partner_secret_path(data_dir))
    except FileNotFoundError:
        raise MissingCredentialsError("no partner key stored; run `yiwaiwai auth`") from None
    if not isinstance(stored, dict) or stored.get("partner_id") != partner_id:
        raise MissingCredentialsError(f"no partner key stored for partner {partner_id}")
    return str(stored["partner_key"])


def shop_base_url(settings: Settings, shop: ShopConfig) -> str:
    """`api_host` (local sandbox or a documented host) wins; else the region's documented host."""
    if settings.api_host:
        return check_base_url(settings.api_host)
    return base_url(shop.region, "test" if shop.environment == "test" else "live")


def build_client(settings: Settings, shop: ShopConfig, **options: Any) -> ShopeeClient:
    """A client for `shop` (shops on the same host may share it); `options` go to the client."""
    if settings.partner_id is None:
        raise MissingCredentialsError("no partner_id configured; run `yiwaiwai auth`")
    return ShopeeClient(
        partner_id=settings.partner_id,
        partner_key=read_partner_key(settings.data_dir, settings.partner_id),
        base_url=shop_base_url(settings, shop),
        token_store=TokenStore(settings.data_dir),
        **options,
    )
