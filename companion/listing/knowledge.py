"""Per-shop product knowledge: every listed item's facts, fetched from Shopee and cached on disk.

Why a cache: answering "what material?" must not cost three API calls per
message, and the answer must still come from the listing itself. A refresh
walks `get_item_list` -> `get_item_base_info` (attributes, description, size
chart) -> `get_model_list` (variants and their stock) -> `get_item_extra_info`
(sales, rating; optional, many apps lack it) and stores the result with the
time it was fetched, so callers can see its age and refresh when stale.

Base and extra info are read through `ShopeeClient.get` as raw payloads because
the typed `ItemBaseInfo` model drops `attribute_list`, `size_chart_info`,
`dimension` and `brand`, which are exactly the facts answers need.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.securefile import read_private_json, write_private_json
from companion.shopee import ShopeeClient
from companion.shopee.errors import ShopeeError

log = logging.getLogger(__name__)

FORMAT = "yiwaiwai.listing/1"
BASE_INFO_CHUNK = 50
DEFAULT_MAX_AGE_S = 6 * 3600
# Raw attribute names (lower-cased) -> the canonical keys the answers use.
ATTRIBUTE_ALIASES: Mapping[str, str] = {
    "material": "material", "materials": "material", "fabric": "material", "bahan": "material",
    "dimensions": "dimensions", "dimension": "dimensions", "size": "dimensions",
    "product size": "dimensions", "colours": "colour", "colour": "colour", "color": "colour",
    "colors": "colour", "compatibility": "compatibility", "compatible models": "compatibility",
    "care": "care", "care instructions": "care", "washing": "care", "origin": "origin",
    "country of origin": "origin", "place of origin": "origin", "authenticity": "authenticity",
    "warranty type": "warranty", "warranty duration": "warranty",
}


@dataclass(frozen=True, slots=True)
class Variant:
    """One model of an item: its option names (e.g. ("Black", "M")), stock and price."""

    model_id: str
    options: tuple[str, ...]
    stock: int
    price: float | None = None

    @property
    def name(self) -> str:
        return ",".join(self.options)


@dataclass(frozen=True, slots=True)
class SizeChart:
    """A size chart as a table (columns, rows of cells as text) plus the image Shopee shows."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    image_url: str = ""


@dataclass(frozen=True, slots=True)
class ItemKnowledge:
    """Everything the listing says about one item, in the shop's language."""

    item_id: str
    name: str
    sku: str = ""
    description: str = ""
    status: str = "NORMAL"
    category_id: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    tier_names: tuple[str, ...] = ()
    tier_options: tuple[tuple[str, ...], ...] = ()
    variants: tuple[Variant, ...] = ()
    item_stock: int = 0
    price: float | None = None
    currency: str = ""
    brand: str = ""
    size_chart: SizeChart | None = None
    sales: int | None = None
    rating: float | None = None
    update_time: int = 0

    @property
    def stock(self) -> int:
        """Sellable units now: the sum over variants, or the item's own stock without variants."""
        return sum(v.stock for v in self.variants) if self.variants else self.item_stock

    @property
    def in_stock(self) -> bool:
        return self.status == "NORMAL" and self.stock > 0


@dataclass(frozen=True, slots=True)
class ShopKnowledge:
    """All items of one shop plus when they were fetched (Unix seconds)."""

    shop_id: str
    region: str
    fetched_at: float
    items: tuple[ItemKnowledge, ...]

    def age(self, now: float | None = None) -> float:
        """Seconds since the fetch; answers from an old cache may be out of date."""
        return max(0.0, (time.time() if now is None else now) - self.fetched_at)

    def item(self, item_id: str | int | None) -> ItemKnowledge | None:
        if item_id is None:
            return None
        wanted = str(item_id)
        return next((i for i in self.items if i.item_id == wanted), None)

    def by_sku(self, sku: str) -> ItemKnowledge | None:
        return next((i for i in self.items if i.sku.upper() == sku.upper()), None)


# --- parsing Shopee payloads ---------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _float(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _stock(info: Any) -> int:
    if not isinstance(info, dict):
        return 0
    summary = info.get("summary_info") or {}
    return int(summary.get("total_available_stock") or 0)


def canonical_attribute(raw_name: str) -> str:
    """Our key for a listing attribute name; unknown names keep their lower-cased form."""
    name = raw_name.strip().lower()
    return ATTRIBUTE_ALIASES.get(name, name)


def parse_attributes(raw: Iterable[Any]) -> dict[str, str]:
    """`attribute_list[]` -> {canonical name: joined values}; empty values are dropped."""
    out: dict[str, str] = {}
    for attr in raw:
        if not isinstance(attr, dict):
            continue
        name = _text(attr.get("original_attribute_name") or attr.get("attribute_name"))
        values = [
            _text(v.get("original_value_name") or v.get("display_value_name"))
            + _text(v.get("value_unit"))
            for v in attr.get("attribute_value_list") or []
            if isinstance(v, dict)
        ]
        joined = ", ".join(v for v in values if v)
        if name and joined:
            out.setdefault(canonical_attribute(name), joined)
    return out


def parse_size_chart(raw: Any) -> SizeChart | None:
    """`size_chart_info`: the table when the payload has one (the sandbox does; real Shopee
    usually serves only an image, which gives no facts to answer from)."""
    if not isinstance(raw, dict):
        return None
    table = raw.get("table")
    if not isinstance(table, dict) or not table.get("columns") or not table.get("rows"):
        return None
    columns = tuple(_text(c) for c in table["columns"])
    rows = tuple(tuple(_text(c) for c in row) for row in table["rows"] if isinstance(row, list))
    return SizeChart(columns, rows, _text(raw.get("size_chart")))


def parse_models(payload: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...],
                                                      tuple[Variant, ...]]:
    """`get_model_list` -> tier names, tier options and variants with option names."""
    tiers = [t for t in payload.get("tier_variation") or [] if isinstance(t, dict)]
    names = tuple(_text(t.get("name")) for t in tiers)
    options = tuple(tuple(_text(o.get("option")) for o in t.get("option_list") or [])
                    for t in tiers)
    variants = []
    for model in payload.get("model") or []:
        labels = []
        for tier, index in enumerate(model.get("tier_index") or []):
            if tier < len(options) and 0 <= index < len(options[tier]):
                labels.append(options[tier][index])
        prices = model.get("price_info") or [{}]
        unavailable = model.get("model_status") == "MODEL_UNAVAILABLE"
        variants.append(Variant(_text(model.get("model_id")), tuple(labels),
                                0 if unavailable else _stock(model.get("stock_info_v2")),
                                _float(prices[0].get("current_price"))))
    return names, options, tuple(variants)


def parse_item(base: Mapping[str, Any], models: Mapping[str, Any] | None,
               extra: Mapping[str, Any] | None) -> ItemKnowledge:
    """One item's knowledge from its base info, model list and (optional) extra info."""
    prices = base.get("price_info") or []
    first_price = prices[0] if prices and isinstance(prices[0], dict) else {}
    tier_names, tier_options, variants = parse_models(models or {})
    if variants and first_price.get("current_price") is None:
        priced = [v.price for v in variants if v.price is not None]
        model_prices = ((models or {}).get("model") or [{}])[0].get("price_info") or [{}]
        first_price = {"current_price": min(priced) if priced else None,
                       "currency": model_prices[0].get("currency")}
    brand = base.get("brand") or {}
    extra = extra or {}
    return ItemKnowledge(
        item_id=_text(base.get("item_id")),
        name=_text(base.get("item_name")),
        sku=_text(base.get("item_sku")),
        description=_text(base.get("description")),
        status=_text(base.get("item_status")) or "NORMAL",
        category_id=_text(base.get("category_id")),
        attributes=parse_attributes(base.get("attribute_list") or []),
        tier_names=tier_names,
        tier_options=tier_options,
        variants=variants,
        item_stock=_stock(base.get("stock_info_v2")),
        price=_float(first_price.get("current_price")),
        currency=_text(first_price.get("currency")),
        brand=_text(brand.get("original_brand_name")) if isinstance(brand, dict) else "",
        size_chart=parse_size_chart(base.get("size_chart_info")),
        sales=int(extra["sale"]) if extra.get("sale") is not None else None,
        rating=_float(extra.get("rating_star")),
        update_time=int(base.get("update_time") or 0),
    )


# --- fetching ------------------------------------------------------------------------------------


def _chunks(values: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


async def _item_ids(client: ShopeeClient, shop_id: str) -> list[str]:
    ids: list[str] = []
    offset = 0
    while True:
        page = await client.get_item_list(shop_id, offset=offset, page_size=100)
        ids.extend(i.item_id for i in page.item)
        if not page.has_next_page or not page.item:
            return ids
        offset = page.next_offset


async def _extra_info(client: ShopeeClient, shop_id: str, ids: Sequence[str]) -> dict[str, Any]:
    """Sales and ratings when the app may read them; an empty map otherwise (not fatal)."""
    try:
        payload = await client.get("/api/v2/product/get_item_extra_info", shop_id,
                                   item_id_list=",".join(ids))
    except ShopeeError as exc:
        log.info("item extra info unavailable for shop %s: %s", shop_id, exc)
        return {}
    return {_text(e.get("item_id")): e for e in payload.get("item_list") or []}


async def fetch_shop(client: ShopeeClient, shop_id: str, *, region: str = "",
                     now: float | None = None) -> ShopKnowledge:
    """Read every NORMAL item of the shop from the API (one refresh)."""
    fetched_at = time.time() if now is None else now
    items: list[ItemKnowledge] = []
    for chunk in _chunks(await _item_ids(client, shop_id), BASE_INFO_CHUNK):
        payload = await client.get("/api/v2/product/get_item_base_info", shop_id,
                                   item_id_list=",".join(chunk))
        extra = await _extra_info(client, shop_id, chunk)
        for base in payload.get("item_list") or []:
            item_id = _text(base.get("item_id"))
            models = None
            if base.get("has_model"):
                models = await client.get("/api/v2/product/get_model_list", shop_id,
                                          item_id=item_id)
            items.append(parse_item(base, models, extra.get(item_id)))
    return ShopKnowledge(str(shop_id), region, fetched_at, tuple(items))


# --- on disk -------------------------------------------------------------------------------------


def _to_json(shop: ShopKnowledge) -> dict[str, Any]:
    def item(i: ItemKnowledge) -> dict[str, Any]:
        chart = i.size_chart
        return {
            "item_id": i.item_id, "name": i.name, "sku": i.sku, "description": i.description,
            "status": i.status, "category_id": i.category_id, "attributes": dict(i.attributes),
            "tier_names": list(i.tier_names), "tier_options": [list(o) for o in i.tier_options],
            "variants": [[v.model_id, list(v.options), v.stock, v.price] for v in i.variants],
            "item_stock": i.item_stock, "price": i.price, "currency": i.currency,
            "brand": i.brand, "sales": i.sales, "rating": i.rating,
            "update_time": i.update_time,
            "size_chart": None if chart is None else {
                "columns": list(chart.columns), "rows": [list(r) for r in chart.rows],
                "image_url": chart.image_url},
        }

    return {"format": FORMAT, "shop_id": shop.shop_id, "region": shop.region,
            "fetched_at": shop.fetched_at, "items": [item(i) for i in shop.items]}


def _from_json(data: Mapping[str, Any]) -> ShopKnowledge:
    def item(d: Mapping[str, Any]) -> ItemKnowledge:
        chart = d.get("size_chart")
        return ItemKnowledge(
            item_id=d["item_id"], name=d["name"], sku=d.get("sku", ""),
            description=d.get("description", ""), status=d.get("status", "NORMAL"),
            category_id=d.get("category_id", ""), attributes=dict(d.get("attributes") or {}),
            tier_names=tuple(d.get("tier_names") or ()),
            tier_options=tuple(tuple(o) for o in d.get("tier_options") or ()),
            variants=tuple(Variant(m, tuple(o), s, p) for m, o, s, p in d.get("variants") or ()),
            item_stock=d.get("item_stock", 0), price=d.get("price"),
            currency=d.get("currency", ""), brand=d.get("brand", ""), sales=d.get("sales"),
            rating=d.get("rating"), update_time=d.get("update_time", 0),
            size_chart=None if not chart else SizeChart(
                tuple(chart["columns"]), tuple(tuple(r) for r in chart["rows"]),
                chart.get("image_url", "")),
        )

    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    return ShopKnowledge(str(data["shop_id"]), data.get("region", ""),
                         float(data["fetched_at"]), tuple(item(i) for i in data["items"]))


class KnowledgeStore:
    """`<data_dir>/listing/knowledge/<shop_id>.json` (0600, atomic): one file per shop."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / "listing" / "knowledge"

    def path(self, shop_id: str) -> Path:
        if not str(shop_id).isdigit():
            raise ValueError("shop_id must be digits")
        return self.folder / f"{shop_id}.json"

    def load(self, shop_id: str) -> ShopKnowledge | None:
        """The cached knowledge, or None when never fetched or unreadable (refetch then)."""
        try:
            return _from_json(read_private_json(self.path(shop_id)))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable listing cache for shop %s: %s", shop_id, exc)
            return None

    def save(self, shop: ShopKnowledge) -> None:
        write_private_json(self.path(shop.shop_id), _to_json(shop))

    async def refresh(self, client: ShopeeClient, shop_id: str, *, region: str = "",
                      now: float | None = None) -> ShopKnowledge:
        """Fetch from the API and store; the old cache stays if the fetch fails."""
        shop = await fetch_shop(client, shop_id, region=region, now=now)
        self.save(shop)
        return shop

    async def current(self, client: ShopeeClient, shop_id: str, *, region: str = "",
                      max_age_s: float = DEFAULT_MAX_AGE_S,
                      now: float | None = None) -> ShopKnowledge:
        """The cache when younger than `max_age_s`, else a refresh; a failed refresh falls
        back to the stale cache (an old fact beats no answer; its age is visible)."""
        cached = self.load(shop_id)
        if cached is not None and cached.age(now) < max_age_s:
            return cached
        try:
            return await self.refresh(client, shop_id, region=region or (
                cached.region if cached else ""), now=now)
        except ShopeeError:
            if cached is None:
                raise
            log.warning("listing refresh failed for shop %s; using the %.0f s old cache",
                        shop_id, cached.age(now))
            return cached
