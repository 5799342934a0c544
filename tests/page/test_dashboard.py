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


async def test_chats_at_risk_show_the_buyer_time_left_and_a_copyable_id(
    live: LiveCompanion, page, secret: str
) -> None:
    shop = (await companion_json(live.base, secret, "GET", "/api/v1/health"))["shops"][0]["shop_id"]
    await sandbox_json(
        live.sandbox_url,
        "POST",
        "/sandbox/v1/buyer_messages",
        json={"text": "hello, anyone there?", "shop_id": shop},
    )

    async def named() -> list | None:
        body = await companion_json(
            live.base, secret, "GET", "/api/v1/insights/kpis", params={"shop_id": shop}
        )
        return [r for r in body["at_risk"] if r["buyer_name"]] or None

    risky = (await eventually(named, what="a chat at risk with its buyer's name"))[0]
    await page.goto(live.open_url("dashboard"))
    row = page.locator(
        f"[data-role=at-risk] tr[data-conversation-id='{risky['conversation_id']}']"
    )
    await row.wait_for()
    assert await row.locator("[data-role=buyer]").inner_text() == risky["buyer_name"]
    assert await row.locator("[data-role=time-left]").inner_text()
    assert await row.locator("[data-role=copy-id]").count() == 1
    await page.wait_for_selector("#view[data-charts=drawn]")
    legend = await page.locator("[data-role=charts] .legend").all_inner_texts()
    assert "before yiwaiwai" not in " ".join(legend)
    assert await page.locator("[data-role=estimated]").count() == 1
    assert page.js_errors == []


async def test_the_tabs_stay_one_word_per_line_at_phone_width(live: LiveCompanion, page) -> None:
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.goto(live.open_url("dashboard"))
    tab = page.locator("#tabs button[data-view=messages]")
    await tab.wait_for()
    box = await tab.bounding_box()
    assert box is not None and box["height"] < 50 and box["width"] > box["height"]
