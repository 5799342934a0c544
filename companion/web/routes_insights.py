"""REST for what the dashboard needs beyond the KPIs: time series, product mining, the
messages no rule answered, and CSV export of conversations and decisions.

Thin handlers: parse the query, run one `companion.insights` function on a
read-only store connection in a worker thread, serialise. Item names come from
the shop (`get_item_base_info`), best effort: the numbers never wait on them.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import logging
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from companion import insights
from companion.insights import Window
from companion.store.report import kpi_report
from companion.web import keys
from companion.web.jsonio import validate
from companion.web.keys import connection_key

if TYPE_CHECKING:
    from companion.store import Store

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
R = TypeVar("R")
MAX_DAYS = 120
BUCKETS = {"hour": 3600, "day": 86400}


class WindowQuery(BaseModel):
    """Query common to every insight: shop (all when absent) and how many days back."""

    model_config = ConfigDict(extra="forbid")
    shop_id: str | None = Field(default=None, pattern=r"^\d{1,20}$")
    days: float = Field(default=30, gt=0, le=MAX_DAYS)

    def window(self) -> Window:
        now = time.time()
        return Window(self.shop_id, now - self.days * 86400, now + 1)


class SeriesQuery(WindowQuery):
    by: Literal["pillar", "intent"] = "pillar"
    bucket: Literal["hour", "day"] = "day"
    tz: int = Field(default=0, ge=-14 * 60, le=14 * 60, description="minutes east of UTC")


class MessagesQuery(WindowQuery):
    """The correction view's list, one page at a time (newest first)."""

    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=1_000_000)


class DrillQuery(WindowQuery):
    intent: str | None = Field(default=None, pattern=r"^[a-z_]{1,32}$")
    aspect: str | None = Field(default=None, pattern=r"^[a-z_]{1,32}$")


Q = TypeVar("Q", bound=BaseModel)


def _query(request: web.Request, model: type[Q]) -> Q:
    return validate(model, dict(request.query))


def _store(app: web.Application) -> Store:
    """The chat store the app keeps open."""
    return app[keys.store_key]


async def _read(request: web.Request, work: Callable[..., R], *args: Any) -> R:
    """Run `work(conn, *args)` on a read-only connection, off the event loop."""
    store = _store(request.app)

    def run() -> R:
        with store.reader() as conn:
            return work(conn, *args)

    return await asyncio.to_thread(run)


@routes.get("/api/v1/insights/timeseries")
async def timeseries(request: web.Request) -> web.Response:
    """Buyer messages per hour or day, by pillar or intent."""
    q = _query(request, SeriesQuery)
    body = await _read(
        request, insights.timeseries, q.window(), BUCKETS[q.bucket], q.tz * 60, q.by,
        _history_classifier(request.app),
    )
    return web.json_response(body)


def _history_classifier(app: web.Application) -> Callable[[str], str] | None:
    """The active model's intent for messages never decided (history from before the
    companion ran): read-only, for the charts only; no decision is stored, nothing is sent."""
    holder = app.get(keys.model_key)
    if holder is None:
        return None
    model = holder.current  # one model for the whole request, even if a retrain swaps it

    def classify(text: str) -> str:
        return model.understand(text, entities=False).intent

    return classify


async def _item_names(request: web.Request, shop_id: str | None, ids: list[str]) -> dict[str, str]:
    """Listing names for the items, asked of the shop; empty when that fails."""
    connection = request.app[connection_key]
    shops = [shop_id] if shop_id else [s.shop_id for s in connection.shops]
    names: dict[str, str] = {}
    for shop in shops:
        missing = [i for i in ids if i not in names][:50]
        if not missing:
            break
        try:
            for item in await connection.client.get_item_base_info(shop, missing):
                names[str(item.item_id)] = item.item_name
        except Exception as exc:  # names are decoration; the numbers must still show
            log.info("item names unavailable from shop %s: %s", shop, type(exc).__name__)
    return names


@routes.get("/api/v1/insights/products")
async def products(request: web.Request) -> web.Response:
    """Per-item question mining with highlights ("20% of pre-sale questions ask about ...")."""
    q = _query(request, WindowQuery)
    body = await _read(request, insights.product_questions, q.window())
    names = await _item_names(request, q.shop_id, [i["item_id"] for i in body["items"]])
    for entry in body["items"] + body["highlights"]:
        entry["item_name"] = names.get(entry["item_id"])
    return web.json_response(body)


@routes.get("/api/v1/insights/products/{item_id:\\d{1,20}}/messages")
async def item_messages(request: web.Request) -> web.Response:
    """The messages behind an item's numbers (drill-down)."""
    q = _query(request, DrillQuery)
    found = await _read(
        request, insights.item_messages, q.window(), request.match_info["item_id"], q.intent,
        q.aspect,
    )
    return web.json_response({"messages": found})


@routes.get("/api/v1/insights/unanswered")
async def unanswered(request: web.Request) -> web.Response:
    """Messages no rule answered (none, a catch-all like `other`, or a fallback), grouped by
    intent and language, for drafting a rule."""
    q = _query(request, WindowQuery)
    rules = request.app.get(keys.rules_key)
    catch_all = insights.catch_all_ids(rules.list()) if rules is not None else frozenset()
    groups = await _read(
        request, lambda conn, w: insights.unanswered_groups(conn, w, catch_all=catch_all),
        q.window(),
    )
    return web.json_response({"groups": groups})


class KpiQuery(BaseModel):
    """The KPI report is per shop."""

    model_config = ConfigDict(extra="forbid")
    shop_id: str = Field(pattern=r"^\d{1,20}$")
    tz: int = Field(default=0, ge=-14 * 60, le=14 * 60)


@routes.get("/api/v1/insights/kpis")
async def kpis(request: web.Request) -> web.Response:
    """The store's KPI report for one shop (CRR as Shopee counts it, at-risk chats, ...)."""
    q = _query(request, KpiQuery)
    store = _store(request.app)
    report = await asyncio.to_thread(kpi_report, store, q.shop_id, utc_offset_s=q.tz * 60)
    body = dataclasses.asdict(report)
    ids = [r["conversation_id"] for r in body["at_risk"]]
    buyers = await _read(request, insights.conversation_buyers, q.shop_id, ids)
    names = _buyer_names(request.app)
    for row in body["at_risk"]:
        buyer_id = buyers.get(row["conversation_id"], "")
        name = names(q.shop_id, row["conversation_id"]) if names is not None else ""
        row["buyer_id"] = buyer_id or None
        row["buyer_name"] = name or None
    return web.json_response(body)


def _buyer_names(app: web.Application) -> Callable[[str, str], str] | None:
    """The buyer names the pipeline's pollers learnt from the shop (none when it is not running)."""
    from companion.web.routes_pipeline import pipeline_key

    names = getattr(app.get(pipeline_key), "names", None)
    return None if names is None else lambda shop, conv: names.get(shop, conv) or ""


@routes.get("/api/v1/insights/messages")
async def recent(request: web.Request) -> web.Response:
    """The latest buyer messages with their intent, for correcting it: `messages` (one page)
    and `more` when older ones follow (ask again with `offset`)."""
    q = _query(request, MessagesQuery)
    page = await _read(request, insights.recent_messages, q.window(), q.limit, q.offset)
    return web.json_response(page)


def _csv(header: tuple[str, ...], rows: Iterator[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([insights.csv_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: spreadsheets then read UTF-8


def _export(kind: str) -> Callable[[web.Request], Any]:
    header, rows = {
        "conversations": (insights.CONVERSATION_COLUMNS, insights.conversation_rows),
        "decisions": (insights.DECISION_COLUMNS, insights.decision_rows),
    }[kind]

    async def handler(request: web.Request) -> web.Response:
        q = _query(request, WindowQuery)
        body = await _read(request, lambda conn, w: _csv(header, rows(conn, w)), q.window())
        stamp = time.strftime("%Y%m%d", time.localtime())
        return web.Response(
            body=body,
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="yiwaiwai-{kind}-{stamp}.csv"'},
        )

    return handler


routes.get("/api/v1/export/conversations.csv")(_export("conversations"))
routes.get("/api/v1/export/decisions.csv")(_export("decisions"))
