"""Product knowledge read from the sandbox API, cached on disk with its age."""

from __future__ import annotations

import stat

from companion.listing.knowledge import KnowledgeStore
from companion.sandbox.catalog import popularity
from companion.sandbox.routes_products import units_sold
from companion.sandbox.seed import build_state
from tests.listing.conftest import Sandbox


async def test_refresh_reads_attributes_variants_charts_and_sales(sandbox: Sandbox) -> None:
    shop = await sandbox.knowledge("MY")
    assert len(shop.items) == 43
    tee = shop.by_sku("TEE_OVERSIZED")
    assert tee is not None
    assert tee.attributes["material"] == "100% cotton, 220 gsm"
    assert tee.attributes["origin"] == "Malaysia"
    assert tee.tier_names == ("Colour", "Size")
    assert len(tee.variants) == 25
    assert tee.size_chart is not None and tee.size_chart.rows[0][0] == "S"
    assert tee.sales is not None and tee.sales > 0 and 4.0 <= (tee.rating or 0) <= 5.0
    items = (await sandbox.http.get("/sandbox/v1/items",
                                    params={"shop_id": sandbox.shops["MY"]})).json()["items"]
    truth = next(i for i in items if i["item_id"] == int(tee.item_id))
    assert tee.stock == truth["stock"]
    assert {v.model_id: v.stock for v in tee.variants} == {
        str(m["model_id"]): m["stock"] for m in truth["models"]}


async def test_knowledge_is_cached_privately_and_reports_its_age(sandbox: Sandbox) -> None:
    fetched = await sandbox.store.refresh(sandbox.client, sandbox.shops["TW"], region="TW",
                                          now=1000.0)
    path = sandbox.store.path(sandbox.shops["TW"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = KnowledgeStore(sandbox.store.folder.parent.parent).load(sandbox.shops["TW"])
    assert loaded == fetched
    assert loaded.age(now=1600.0) == 600.0
    assert loaded.by_sku("RUNNER").name == "輕量緩震慢跑鞋"


async def test_fresh_cache_is_used_and_a_failed_refresh_falls_back_to_it(sandbox: Sandbox) -> None:
    shop_id = sandbox.shops["MY"]
    first = await sandbox.store.current(sandbox.client, shop_id, region="MY", now=1000.0)
    again = await sandbox.store.current(sandbox.client, shop_id, region="MY", now=1010.0)
    assert again.fetched_at == first.fetched_at == 1000.0
    answer = await sandbox.http.post("/sandbox/v1/faults", json={
        "path": "product/get_item_list", "kind": "http_500", "count": 5})
    assert answer.status_code == 200
    stale = await sandbox.store.current(sandbox.client, shop_id, region="MY", max_age_s=60,
                                        now=5000.0)
    assert stale.fetched_at == 1000.0 and stale.age(now=5000.0) == 4000.0


def test_item_sales_figures_are_deterministic_for_a_seed() -> None:
    def sales(seed: int) -> list[int]:
        state = build_state(seed, lambda: 1_760_000_000.0, 14400)
        return [popularity(item, units_sold(state, item.item_id))["sale"]
                for item in sorted(state.items.values(), key=lambda i: i.item_id)]

    first = sales(7)
    assert first == sales(7)
    assert first != sales(8)
    assert len(set(first)) > 20  # figures differ between items, so "best seller" means something
