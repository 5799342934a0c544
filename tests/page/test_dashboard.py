"""The dashboard on real data: buyer messages injected in the sandbox, through the pipeline."""

from __future__ import annotations

from tests.page.conftest import ARTIFACTS, LiveCompanion
from tests.page.helpers import companion_json, eventually, sandbox_json

QUESTIONS = [
    "what material is this made of?",
    "is the material cotton or polyester?",
    "material please, is it soft?",
    "is this in stock?",
    "do you have a discount for 2 pcs?",
    "hello, what colour options?",
]


async def test_dashboard_renders_its_charts_and_product_mining_with_data(
    live: LiveCompanion, page, secret: str
) -> None:
    shop = (await companion_json(live.base, secret, "GET", "/api/v1/health"))["shops"][0]["shop_id"]
    items = await sandbox_json(
        live.sandbox_url, "GET", "/sandbox/v1/items", params={"shop_id": shop}
    )
    item_id = str(items["items"][0]["item_id"])
    for text in QUESTIONS:
        await sandbox_json(
            live.sandbox_url,
            "POST",
            "/sandbox/v1/buyer_messages",
            json={"text": text, "shop_id": shop, "item_id": item_id},
        )

    async def mined() -> dict | None:
        body = await companion_json(
            live.base, secret, "GET", "/api/v1/insights/products", params={"shop_id": shop}
        )
        done = [i for i in body["items"] if i["item_id"] == item_id and i["total"] >= 6]
        return (
            done[0] if done and "pending" not in {p["pillar"] for p in done[0]["pillars"]} else None
        )

    await eventually(mined, what="the pipeline to decide the injected messages")
    await page.goto(live.open_url("dashboard"))
    await page.wait_for_selector("#view[data-charts=drawn]")
    for role in ("chart-pillar", "chart-intent"):
        drawn = await page.get_attribute(f"canvas[data-role={role}]", "data-drawn")
        assert drawn is not None and int(drawn) > 0, role
    row = page.locator(f"[data-role=mining] tr[data-item-id='{item_id}']")
    await row.wait_for()
    assert await page.locator("[data-role=highlight]").count() >= 1
    await page.wait_for_selector("[data-role=crr] .value")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    await row.click()
    drill = page.locator("[data-role=drill] .message")
    await drill.first.wait_for()
    assert await drill.count() == len(QUESTIONS)
    assert page.js_errors == []
