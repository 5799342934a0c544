"""The follow-ups REST surface on the real companion app (demo sandbox), behind the pairing gate."""

from __future__ import annotations

from typing import Any

import httpx
from aiohttp.test_utils import TestClient

from companion.web.keys import connection_key


async def test_follow_ups_need_the_pairing_token(companion: TestClient) -> None:
    resp = await companion.get("/api/v1/followups")
    assert resp.status == 401


async def test_settings_list_every_plan_with_texts_in_ten_languages(
        companion: TestClient, auth: dict[str, str]) -> None:
    resp = await companion.get("/api/v1/followups/settings?shop_id=" + await _shop(companion),
                               headers=auth)
    assert resp.status == 200
    body = await resp.json()
    plans = body["settings"]["plans"]
    assert set(plans) == {"review_request", "repurchase_voucher", "delay_apology"}
    assert plans["review_request"]["delay_hours"] == 48
    assert plans["repurchase_voucher"]["delay_hours"] == 30 * 24
    assert all(len(p["templates"]) == 10 for p in plans.values())


async def test_a_seller_edits_a_delay_and_a_template_and_bad_ones_are_refused(
        companion: TestClient, auth: dict[str, str]) -> None:
    shop = await _shop(companion)
    ok = await companion.put("/api/v1/followups/settings", headers=auth, json={
        "shop_id": shop, "quiet_start_hour": 22,
        "plans": {"review_request": {"delay_hours": 72, "templates": {
            "ms": "Terima kasih! Sila nilai pesanan {order_sn}."}}}})
    assert ok.status == 200
    plan = (await ok.json())["settings"]["plans"]["review_request"]
    assert plan["delay_hours"] == 72
    assert plan["templates"]["ms"].endswith("{order_sn}.")
    assert plan["templates"]["en"]  # the other languages stay

    hole = await companion.put("/api/v1/followups/settings", headers=auth, json={
        "shop_id": shop, "plans": {"review_request": {"templates": {"en": "Hi {buyer_phone}"}}}})
    assert hole.status == 422
    negative = await companion.put("/api/v1/followups/settings", headers=auth,
                                   json={"shop_id": shop, "cap_per_buyer": 0})
    assert negative.status == 422


async def test_lists_metrics_and_person_actions_answer_in_json(
        companion: TestClient, auth: dict[str, str]) -> None:
    for path in ("/api/v1/followups", "/api/v1/followups?state=due",
                 "/api/v1/followups?state=queued&plan=review_request",
                 "/api/v1/followups/metrics"):
        resp = await companion.get(path, headers=auth)
        assert resp.status == 200, path
    body: dict[str, Any] = await (await companion.get("/api/v1/followups/metrics",
                                                      headers=auth)).json()
    assert set(body) >= {"counts", "outcomes"}
    missing = await companion.post("/api/v1/followups/999999/send", headers=auth, json={})
    assert missing.status == 404
    assert (await missing.json())["error"] == "not_found"
    bad = await companion.get("/api/v1/followups?state=everything", headers=auth)
    assert bad.status == 422


async def test_a_due_draft_is_listed_with_its_reason_sent_by_a_person_or_dismissed(
        companion: TestClient, auth: dict[str, str]) -> None:
    shop = await _shop(companion)
    await companion.put("/api/v1/followups/settings", headers=auth, json={
        "shop_id": shop, "quiet_start_hour": 0, "quiet_end_hour": 0,
        "plans": {"review_request": {"delay_hours": 0}}})
    url = companion.server.app[connection_key].sandbox_url
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=10) as sandbox:
        buyers = (await sandbox.get("/sandbox/v1/buyers", params={"shop_id": shop})).json()
        fine = {str(b["buyer_id"]) for b in buyers["buyers"]
                if b["conversation_id"] and not b["open_return"]}
        orders = (await sandbox.get("/sandbox/v1/orders", params={
            "shop_id": shop, "status": "SHIPPED"})).json()["orders"]
        picked = [o for o in orders if str(o["buyer_id"]) in fine][:2]
        assert len(picked) == 2
        for order in picked:
            await sandbox.post("/sandbox/v1/buyer_messages", json={
                "text": "is it near?", "shop_id": shop, "order_sn": order["order_sn"]})
            await sandbox.post(f"/sandbox/v1/orders/{order['order_sn']}/status",
                               json={"status": "TO_CONFIRM_RECEIVE"})
        resp = await companion.post("/api/v1/followups/run", headers=auth)
        assert resp.status == 200
        assert (await resp.json())["errors"] == []
        listed = (await (await companion.get("/api/v1/followups?state=queued&limit=500",
                                             headers=auth)).json())["followups"]
        mine = {r["order_sn"]: r for r in listed if r["plan"] == "review_request"}
        first, second = (mine[o["order_sn"]] for o in picked)
        assert first["reason"] == "platform_rules_proactive_needs_person"

        sent = await companion.post(f"/api/v1/followups/{first['id']}/send", headers=auth,
                                    json={"text": first["text"] + " :)"})
        assert sent.status == 200
        assert (await sent.json())["state"] == "sent"
        again = await companion.post(f"/api/v1/followups/{first['id']}/send", headers=auth,
                                     json={})
        assert again.status == 409

        gone = await companion.post(f"/api/v1/followups/{second['id']}/dismiss", headers=auth)
        assert gone.status == 200
        assert (await gone.json())["reason"] == "dismissed_by_person"
        metrics = await (await companion.get("/api/v1/followups/metrics", headers=auth)).json()
        assert metrics["outcomes"]["review_request"]["sent"] == 1


async def _shop(companion: TestClient) -> str:
    health = await (await companion.get("/api/v1/health")).json()
    shops = health["shops"]
    first = shops[0]
    return str(first["shop_id"] if isinstance(first, dict) else first)
