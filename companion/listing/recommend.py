"""Recommendations from the shop's own items: pinned picks, best sellers, in-stock alternatives.

Only items that can be bought now are offered (NORMAL and stock above zero):
recommending a sold-out item is worse than recommending nothing. Order: the
seller's pinned picks (in the seller's order), then sales, then rating. For
"something like this" the alternatives share the asked item's category.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from companion.listing.knowledge import ItemKnowledge, ShopKnowledge

DEFAULT_COUNT = 3
NAME_CHARS = 40
# Buyer-facing product link host per market (region code from get_shop_info).
SHOPEE_HOSTS = {
    "SG": "shopee.sg", "MY": "shopee.com.my", "TW": "shopee.tw", "ID": "shopee.co.id",
    "TH": "shopee.co.th", "VN": "shopee.vn", "PH": "shopee.ph", "BR": "shopee.com.br",
    "MX": "shopee.com.mx", "CO": "shopee.com.co", "CL": "shopee.cl",
}


@dataclass(frozen=True, slots=True)
class Pick:
    """One recommended item, with a link the buyer can open."""

    item_id: str
    name: str
    url: str
    pinned: bool = False


def item_url(region: str, shop_id: str, item_id: str) -> str:
    host = SHOPEE_HOSTS.get(region.upper(), "shopee.com")
    return f"https://{host}/product/{shop_id}/{item_id}"


def _rank(item: ItemKnowledge) -> tuple[float, float, str]:
    return (-(item.sales or 0), -(item.rating or 0.0), item.item_id)


def recommend(shop: ShopKnowledge, *, pinned: Sequence[str] = (), count: int = DEFAULT_COUNT,
              like: ItemKnowledge | None = None) -> list[Pick]:
    """Up to `count` buyable items: pinned first, then best sellers (alternatives to `like`
    come from its category and never include it)."""
    buyable = [i for i in shop.items if i.in_stock]
    if like is not None:
        buyable = [i for i in buyable
                   if i.item_id != like.item_id and i.category_id == like.category_id]
    by_id = {i.item_id: i for i in buyable}
    chosen = [by_id[p] for p in dict.fromkeys(map(str, pinned)) if p in by_id]
    pinned_ids = {i.item_id for i in chosen}
    chosen += sorted((i for i in buyable if i.item_id not in pinned_ids), key=_rank)
    return [Pick(i.item_id, i.name, item_url(shop.region, shop.shop_id, i.item_id),
                 i.item_id in pinned_ids) for i in chosen[:count]]


def short_name(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1].rstrip() + "…"


def names_line(picks: Sequence[Pick], limit: int = 200) -> str:
    """'1) A 2) B 3) C' kept within a template value's length limit."""
    parts: list[str] = []
    for n, pick in enumerate(picks, start=1):
        part = f"{n}) {short_name(pick.name)}"
        if len(" ".join([*parts, part])) > limit:
            break
        parts.append(part)
    return " ".join(parts)


def links_line(picks: Sequence[Pick], limit: int = 200) -> str:
    """The picks' links, space separated, as many as fit in `limit`."""
    parts: list[str] = []
    for pick in picks:
        if len(" ".join([*parts, pick.url])) > limit:
            break
        parts.append(pick.url)
    return " ".join(parts)
