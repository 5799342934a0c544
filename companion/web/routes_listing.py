"""REST for answers from the listing, and the cleanup context that keeps product knowledge fresh.

    GET /api/v1/listing?shop_id=                 knowledge per shop: items, age, refreshing
    GET /api/v1/listing/gaps?shop_id=&item_id=   facts buyers ask about that the listing lacks,
                                                 per item, most asked first (question mining)
    GET /api/v1/listing/pins?shop_id=            the seller's pinned picks for recommendations
    PUT /api/v1/listing/pins                     {shop_id?, item_ids: [...]} replace them

`listing_ctx` builds one `ListingService` for the connection's shops after the
connection (it needs the client and the markets) and before the pipeline (which
asks it); the service refreshes each shop's knowledge in the background.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from companion.listing.gaps import Gap
from companion.listing.knowledge import ShopKnowledge
from companion.listing.pins import MAX_PINS
from companion.listing.service import ListingService
from companion.web import keys
from companion.web.errors import APIError
from companion.web.jsonio import read_model, validate

routes = web.RouteTableDef()
ID = r"^\d{1,20}$"


class ShopQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shop_id: str | None = Field(default=None, pattern=ID)


class GapQuery(ShopQuery):
    item_id: str | None = Field(default=None, pattern=ID)


class PinsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shop_id: str | None = Field(default=None, pattern=ID)
    item_ids: list[str] = Field(max_length=MAX_PINS)


def _service(request: web.Request) -> ListingService:
    service = request.app.get(keys.listing_key)
    if service is None:
        raise APIError(503, "unavailable", "listing answers are not running")
    return service


def _shop_id(service: ListingService, shop_id: str | None) -> str:
    if shop_id is None and len(service.regions) == 1:
        return next(iter(service.regions))
    if shop_id is None or shop_id not in service.regions:
        raise APIError(422, "unknown_shop", "shop_id is not one of the companion's shops")
    return shop_id


def _item_public(shop: ShopKnowledge | None, item_id: str) -> dict[str, Any]:
    item = shop.item(item_id) if shop is not None else None
    return {"item_id": item_id, "name": item.name if item else None,
            "in_stock": item.in_stock if item else None}


def _by_item(gaps: list[Gap], shop: ShopKnowledge | None) -> list[dict[str, Any]]:
    """Gaps grouped per item, the most asked-about item first."""
    grouped: dict[str, list[Gap]] = defaultdict(list)
    for gap in gaps:
        grouped[gap.item_id].append(gap)
    items = [{**_item_public(shop, item_id), "asked": sum(g.count for g in found),
              "facts": [{"fact": g.fact, "count": g.count, "languages": dict(g.languages),
                         "last_seen": g.last_seen} for g in found]}
             for item_id, found in grouped.items()]
    return sorted(items, key=lambda i: (-i["asked"], i["item_id"]))


@routes.get("/api/v1/listing")
async def listing_status(request: web.Request) -> web.Response:
    service = _service(request)
    q = validate(ShopQuery, dict(request.query))
    shop_ids = [_shop_id(service, q.shop_id)] if q.shop_id else list(service.regions)
    shops = []
    for shop_id in shop_ids:
        known = service.current(shop_id)
        shops.append({"shop_id": shop_id, "known": known is not None,
                      "items": len(known.items) if known else 0,
                      "fetched_at": known.fetched_at if known else None,
                      "age_s": round(known.age(service.clock()), 1) if known else None})
    return web.json_response({"shops": shops})


@routes.get("/api/v1/listing/gaps")
async def listing_gaps(request: web.Request) -> web.Response:
    service = _service(request)
    q = validate(GapQuery, dict(request.query))
    shop_id = _shop_id(service, q.shop_id)
    gaps = service.gaps.for_item(shop_id, q.item_id) if q.item_id \
        else service.gaps.all(shop_id)
    return web.json_response({"shop_id": shop_id, "gaps": [g.public() for g in gaps],
                              "items": _by_item(gaps, service.current(shop_id))})


def _pins_response(service: ListingService, shop_id: str, ids: list[str]) -> web.Response:
    shop = service.current(shop_id)
    return web.json_response({"shop_id": shop_id, "item_ids": ids,
                              "items": [_item_public(shop, i) for i in ids]})


@routes.get("/api/v1/listing/pins")
async def get_pins(request: web.Request) -> web.Response:
    service = _service(request)
    q = validate(ShopQuery, dict(request.query))
    shop_id = _shop_id(service, q.shop_id)
    return _pins_response(service, shop_id, service.pins.get(shop_id))


@routes.put("/api/v1/listing/pins")
async def put_pins(request: web.Request) -> web.Response:
    """Replace the pins; ids must be items of the shop when its listing is known."""
    service = _service(request)
    body = await read_model(request, PinsIn)
    shop_id = _shop_id(service, body.shop_id)
    if any(not i.isdigit() or len(i) > 20 for i in body.item_ids):
        raise APIError(422, "invalid_input", "item_ids: digits only")
    shop = service.current(shop_id)
    unknown = [i for i in body.item_ids if shop is not None and shop.item(i) is None]
    if unknown:
        raise APIError(422, "unknown_item", f"not an item of shop {shop_id}: {unknown[0]}")
    return _pins_response(service, shop_id, service.pins.set(shop_id, body.item_ids))


async def listing_ctx(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx entry: product knowledge per shop, refreshed in the background."""
    connection = app[keys.connection_key]
    service = ListingService(connection.client, connection.shops, app[keys.settings_key].data_dir)
    await service.start()
    app[keys.listing_key] = service
    try:
        yield
    finally:
        await service.stop()
