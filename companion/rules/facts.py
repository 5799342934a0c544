"""Facts: the live data a rule may test and a template may quote, gathered before deciding.

Missing data is `None`, never a guess: the engine then refuses to fill a
placeholder that needs it (and says so) instead of inventing an answer.
`companion.pipeline.enrich.gather_facts` builds these from the Shopee client;
tests and the CLI build them by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from companion.rules.labels import attribute_labels
from companion.rules.locale import format_money, order_status_name, region_info

# Placeholders filled from the shop's own listing (see `ListingInfo`).
LISTING_PLACEHOLDERS = (
    "item_attribute", "recommended_size", "size_reason", "nearest_size", "size_question",
    "recommendations", "recommendation_links", "which_item",
)


class FactsModel(BaseModel):
    """Immutable, strict: facts are read, never edited after gathering."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class BuyerFacts(FactsModel):
    buyer_id: str | None = None
    name: str | None = None
    is_repeat: bool | None = None


class OrderItemFacts(FactsModel):
    item_id: str
    item_name: str | None = None
    model_id: str | None = None
    variant_name: str | None = None
    quantity: int | None = None


class OrderFacts(FactsModel):
    """One order as the buyer would describe it; times are Unix seconds."""

    order_sn: str
    status: str | None = None
    buyer_id: str | None = None
    items: tuple[OrderItemFacts, ...] = ()
    tracking_number: str | None = None
    carrier: str | None = None
    last_tracking_event: str | None = None
    last_tracking_time: int | None = None
    eta: int | None = None
    ship_by_date: int | None = None
    shipping_fee: float | None = None
    currency: str | None = None


class ItemFacts(FactsModel):
    """The item (and variant, when known) the buyer asks about, with live stock."""

    item_id: str
    item_name: str | None = None
    model_id: str | None = None
    variant_name: str | None = None
    variant_stock: int | None = None
    in_stock_variants: tuple[str, ...] | None = None


class ListingInfo(FactsModel):
    """What the shop's own listing says about this message (`companion.listing.facts`).

    `status`: `answer` (every asked fact came from the listing), `ask` (which
    item, or the buyer's measurements), `suggest` (the listing lacks it; a
    person answers) or `none`. `values` hold only what the listing gives.
    """

    kind: str = "none"
    status: Literal["answer", "ask", "suggest", "none"] = "none"
    values: dict[str, str] = Field(default_factory=dict)
    item_id: str | None = None
    item_source: str = "none"
    attributes: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    item_card_ids: tuple[str, ...] = ()
    knowledge_age_s: float | None = None
    note: str = ""

    def placeholder_values(self, language: str) -> dict[str, str | None]:
        """The listing's placeholders; `attribute_name` in the reply's language."""
        values: dict[str, str | None] = {
            name: self.values.get(name) or None for name in LISTING_PLACEHOLDERS}
        found = self.values.get("attribute_name")
        values["attribute_name"] = attribute_labels(found.split(", "), language) \
            if found else None
        return values


class ShopFacts(FactsModel):
    shop_id: str | None = None
    name: str | None = None
    region: str | None = None
    default_language: str = "en"
    languages: tuple[str, ...] = ("en",)
    timezone: str = "UTC"

    @classmethod
    def for_region(cls, shop_id: str | None, region: str, name: str | None) -> ShopFacts:
        """Languages and time zone follow the market (see `locale.REGIONS`)."""
        info = region_info(region)
        return cls(shop_id=shop_id, name=name or None, region=region.upper(),
                   default_language=info.languages[0], languages=info.languages,
                   timezone=info.timezone)

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


class Facts(FactsModel):
    """Everything known about one buyer message's context, at `now`."""

    buyer: BuyerFacts = Field(default_factory=BuyerFacts)
    order: OrderFacts | None = None
    item: ItemFacts | None = None
    shop: ShopFacts = Field(default_factory=ShopFacts)
    tags: frozenset[str] = frozenset()
    voucher_code: str | None = None
    listing: ListingInfo | None = None
    now: datetime = Field(default_factory=lambda: datetime.now(UTC))
    notes: tuple[str, ...] = ()

    def local_now(self) -> datetime:
        """`now` in the shop's time zone (business hours are the shop's hours)."""
        now = self.now if self.now.tzinfo else self.now.replace(tzinfo=UTC)
        return now.astimezone(self.shop.zone())

    def _date(self, ts: int | None, with_time: bool = False) -> str | None:
        if ts is None:
            return None
        moment = datetime.fromtimestamp(ts, UTC).astimezone(self.shop.zone())
        return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")

    def placeholder_values(self, language: str) -> dict[str, str | None]:
        """Every allow-listed placeholder's text for a reply in `language` (None = no data)."""
        order, item = self.order, self.item
        status = order.status if order else None
        fee = order.shipping_fee if order else None
        currency = order.currency if order else None
        variants = item.in_stock_variants if item else None
        listed = self.listing.placeholder_values(language) if self.listing else {}
        listing_name = self.listing.values.get("item_name") if self.listing else None
        return {
            "buyer_name": self.buyer.name,
            "order_sn": order.order_sn if order else None,
            "order_status": order_status_name(status, language) if status else None,
            "tracking_number": order.tracking_number if order else None,
            "carrier": order.carrier if order else None,
            "last_tracking_event": order.last_tracking_event if order else None,
            "last_tracking_time": self._date(order.last_tracking_time, True) if order else None,
            "eta": self._date(order.eta) if order else None,
            "ship_by_date": self._date(order.ship_by_date) if order else None,
            # The listing's item first: it may come from a link in the text, not the card.
            "item_name": listing_name or (item.item_name if item else None),
            "variant_name": item.variant_name if item else None,
            "variant_stock": str(item.variant_stock) if item and item.variant_stock is not None
            else None,
            "in_stock_variants": ", ".join(variants) if variants else None,
            "shipping_fee": format_money(fee, currency) if fee is not None and currency else None,
            "shop_name": self.shop.name,
            "voucher_code": self.voucher_code,
            **{name: listed.get(name) for name in (*LISTING_PLACEHOLDERS, "attribute_name")},
        }
