"""The rule API on the real companion app (demo sandbox): CRUD, 4xx, packs, history, dry run."""

from __future__ import annotations

from typing import Any

import httpx
from aiohttp.test_utils import TestClient

from tests.rules.test_seed import SEED

NEW_RULE = {"id": "vip-greeting", "name": "VIP greeting", "priority": 950,
            "when": {"intents": ["greeting"], "tags_all": ["vip"]}, "action": "auto_reply",
            "templates": {"en": "Welcome back, {{buyer_name}}!"}}


async def _get(client: TestClient, path: str, auth: dict[str, str]) -> Any:
    response = await client.get(path, headers=auth)
    assert response.status == 200, await response.text()
    return await response.json()


async def _sandbox_orders(companion: TestClient, status: str | None = None) -> list[dict]:
    health = await (await companion.get("/api/v1/health")).json()
    shop_id = health["shops"][0]["shop_id"]
    params = {"shop_id": shop_id, **({"status": status} if status else {})}
    async with httpx.AsyncClient(base_url=health["sandbox_url"], trust_env=False) as http:
        return (await http.get("/sandbox/v1/orders", params=params)).json()["orders"]


async def test_first_start_installs_the_professional_defaults_for_the_shops_languages(
    companion, auth
):
    body = await _get(companion, "/api/v1/rules", auth)
    assert len(body["rules"]) == 68
    greeting = next(r for r in body["rules"] if r["id"] == "greeting")
    assert set(greeting["templates"]) == {"en", "ms", "zh-Hans", "zh-Hant"}  # MY + TW shops
    assert body["evaluation_order"][0] == "tag.after-hours"
    history = (await _get(companion, "/api/v1/rules/history", auth))["history"]
    assert [e["op"] for e in history] == ["install"]


async def test_create_get_update_disable_delete(companion, auth):
    created = await companion.post("/api/v1/rules", json=NEW_RULE, headers=auth)
    assert created.status == 201
    assert (await created.json())["shadow"] is True  # new rules start in shadow mode
    got = await _get(companion, "/api/v1/rules/vip-greeting", auth)
    assert got["templates"]["en"] == NEW_RULE["templates"]["en"]
    update = {k: v for k, v in NEW_RULE.items() if k != "id"} | {"shadow": False, "priority": 1}
    put = await companion.put("/api/v1/rules/vip-greeting", json=update, headers=auth)
    assert put.status == 200 and (await put.json())["priority"] == 1
    disabled = await companion.post("/api/v1/rules/vip-greeting/disable", json={}, headers=auth)
    assert (await disabled.json())["enabled"] is False
    enabled = await companion.post("/api/v1/rules/vip-greeting/enable", json={}, headers=auth)
    assert (await enabled.json())["enabled"] is True
    deleted = await companion.delete("/api/v1/rules/vip-greeting", headers=auth)
    assert deleted.status == 200
    missing = await companion.get("/api/v1/rules/vip-greeting", headers=auth)
    assert missing.status == 404 and (await missing.json())["error"] == "rule_not_found"


def _bad(rule: dict[str, Any], **change: Any) -> dict[str, Any]:
    return {**rule, **change}


BAD_BODIES = [
    ({"json": _bad(NEW_RULE, colour="red")}, 422, "colour"),
    ({"json": _bad(NEW_RULE, when={"intents": ["greeting"], "colour": "red"})}, 422,
     "when.colour"),
    ({"json": _bad(NEW_RULE, priority="high")}, 422, "priority"),
    ({"json": _bad(NEW_RULE, when={"regex": r"(a)\1"})}, 422, "when.regex"),
    ({"json": _bad(NEW_RULE, templates={"en": "Hi {{password}}"})}, 422, "templates.en"),
    ({"json": _bad(NEW_RULE, templates={"en": "x" * 601})}, 422, "templates.en"),
    ({"json": _bad(NEW_RULE, when={"intents": ["world_peace"]})}, 422, "when.intents.0"),
    ({"json": _bad(NEW_RULE, templates={"klingon": "x"})}, 422, "templates.klingon.[key]"),
    ({"json": _bad(NEW_RULE, id="../etc")}, 422, "id"),
    ({"json": _bad(NEW_RULE, name="a\u0000b")}, 422, None),
    ({"data": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, None),
    ({"data": b'{"id": "a", "id": "b"}', "headers": {"Content-Type": "application/json"}}, 400,
     None),
    ({"data": b'{"id": "x"}', "headers": {"Content-Type": "text/plain"}}, 415, None),
    ({"data": b'{"id": "x", "pad": "' + b"x" * 300_000 + b'"}',
      "headers": {"Content-Type": "application/json"}}, 413, None),
]


async def test_bad_rule_bodies_get_a_clear_4xx_and_nothing_is_stored(companion, auth):
    before = await _get(companion, "/api/v1/rules", auth)
    for case, status, field in BAD_BODIES:
        kwargs = dict(case)
        headers = {**auth, **kwargs.pop("headers", {})}
        response = await companion.post("/api/v1/rules", headers=headers, **kwargs)
        assert response.status == status, (field, await response.text())
        body = await response.json()
        assert body["error"]
        if field:
            assert field in [d["field"] for d in body["details"]]
    assert await _get(companion, "/api/v1/rules", auth) == before
    assert len((await _get(companion, "/api/v1/rules/history", auth))["history"]) == 1


async def test_duplicate_id_is_409_and_unknown_rule_is_404(companion, auth):
    dup = await companion.post("/api/v1/rules", json=_bad(NEW_RULE, id="greeting"), headers=auth)
    assert dup.status == 409 and (await dup.json())["error"] == "conflict"
    put = await companion.put("/api/v1/rules/nope", json=NEW_RULE | {"id": "nope"}, headers=auth)
    assert put.status == 404
    mismatch = await companion.put("/api/v1/rules/greeting", json=NEW_RULE, headers=auth)
    assert mismatch.status == 422


async def test_reorder_sets_list_order_and_refuses_a_partial_list(companion, auth):
    ids = [r["id"] for r in (await _get(companion, "/api/v1/rules", auth))["rules"]]
    reordered = list(reversed(ids))
    ok = await companion.post("/api/v1/rules/reorder", json={"ids": reordered}, headers=auth)
    assert ok.status == 200
    assert [r["id"] for r in (await _get(companion, "/api/v1/rules", auth))["rules"]] == reordered
    partial = await companion.post("/api/v1/rules/reorder", json={"ids": ids[:3]}, headers=auth)
    assert partial.status == 409


async def test_export_then_import_round_trips_and_a_voice_switch_can_be_undone(companion, auth):
    exported = await _get(companion, "/api/v1/rules/export", auth)
    assert exported["format"] == "yiwaiwai.rules/1"
    warm = await companion.post("/api/v1/rules/import", headers=auth, json={
        "defaults": {"voice": "warm", "languages": ["zh-Hans"]}, "mode": "replace"})
    assert warm.status == 200
    greeting = await _get(companion, "/api/v1/rules/greeting", auth)
    warm_text = "亲，您好呀～欢迎光临 {{shop_name}}！有什么可以帮您的，尽管告诉我们❤"
    assert greeting["templates"] == {"zh-Hans": warm_text}
    undo = await companion.post("/api/v1/rules/undo", json={}, headers=auth)
    assert undo.status == 200 and undo_ok(await undo.json())
    assert await _get(companion, "/api/v1/rules/export", auth) == exported
    back = await companion.post("/api/v1/rules/import", headers=auth,
                                json={"pack": exported, "mode": "replace"})
    assert (await back.json())["change_id"] is None  # identical: nothing to change


def undo_ok(entry: dict[str, Any]) -> bool:
    return entry["op"] == "undo" and entry["undoes"] is not None


async def test_import_refuses_a_bad_pack_and_needs_exactly_one_source(companion, auth):
    bad_pack = {"name": "p", "rules": [{"id": "a", "name": "a", "action": "auto_reply"}]}
    response = await companion.post("/api/v1/rules/import", json={"pack": bad_pack},
                                    headers=auth)
    assert response.status == 422
    neither = await companion.post("/api/v1/rules/import", json={}, headers=auth)
    assert neither.status == 422


async def test_undo_with_nothing_to_undo_is_404_after_undoing_the_install(companion, auth):
    assert (await companion.post("/api/v1/rules/undo", json={}, headers=auth)).status == 200
    assert (await _get(companion, "/api/v1/rules", auth))["rules"] == []
    assert (await companion.post("/api/v1/rules/undo", json={}, headers=auth)).status == 404


async def test_dry_run_on_sandbox_orders_gives_the_seed_only_before_shipping(companion, auth):
    orders = await _sandbox_orders(companion)
    by_status = {o["status"]: o for o in orders}
    assert len(by_status) == 11  # the sandbox seeds every status
    for status, order in sorted(by_status.items()):
        response = await companion.post("/api/v1/rules/test", headers=auth, json={
            "text": "我想取消订单", "shop_id": str(order["shop_id"]),
            "buyer_id": str(order["buyer_id"]), "order_sn": order["order_sn"]})
        assert response.status == 200, await response.text()
        body = await response.json()
        assert body["intent"] == "cancel_order" and body["data_used"]["order_status"] == status
        assert (body["reply"] == SEED) is (status == "READY_TO_SHIP"), status
        assert body["reply"] and body["rule_id"].startswith("cancel."), body
        if status in ("SHIPPED", "TO_CONFIRM_RECEIVE"):
            assert order["tracking_number"] in body["reply"]


async def test_dry_run_explains_why_the_other_rules_did_not_fire(companion, auth):
    order = (await _sandbox_orders(companion, "SHIPPED"))[0]
    body = await (await companion.post("/api/v1/rules/test", headers=auth, json={
        "text": "where is my parcel?", "order_sn": order["order_sn"]})).json()
    assert body["rule_id"] == "status.shipped.eta" and body["action"] == "auto_reply"
    assert order["tracking_number"] in body["reply"]
    assert body["data_used"]["placeholders"]["eta"] in body["reply"]  # Shopee's own edt window
    reasons = {r["rule_id"]: r for r in body["reasons"]}
    assert reasons["status.shipped.eta"]["matched"] is True
    assert reasons["status.shipped"]["why"] == "not reached: status.shipped.eta fired first"
    assert reasons["cancel.unpaid"]["condition"] == "intents"
    assert body["data_used"]["placeholders"]["tracking_number"] == order["tracking_number"]


async def test_without_a_delivery_estimate_the_eta_rule_explains_the_missing_data(companion, auth):
    order = (await _sandbox_orders(companion, "TO_CONFIRM_RECEIVE"))[0]
    body = await (await companion.post("/api/v1/rules/test", headers=auth, json={
        "text": "where is my parcel?", "order_sn": order["order_sn"]})).json()
    reasons = {r["rule_id"]: r for r in body["reasons"]}
    assert body["rule_id"] != "status.shipped.eta"
    assert reasons["status.shipped.eta"]["matched"] is False
    assert body["facts"]["order"]["carrier"] == order["shipping_carrier"]


async def test_dry_run_does_not_use_another_buyers_order(companion, auth):
    orders = await _sandbox_orders(companion, "SHIPPED")
    other = next(o for o in orders[1:] if o["buyer_id"] != orders[0]["buyer_id"])
    body = await (await companion.post("/api/v1/rules/test", headers=auth, json={
        "text": "where is my order", "buyer_id": str(other["buyer_id"]),
        "order_sn": orders[0]["order_sn"]})).json()
    assert body["facts"]["order"] is None
    assert any("another buyer" in note for note in body["facts"]["notes"])
    assert body["rule_id"] == "status.no-order"


async def test_dry_run_with_a_draft_rule_set_and_bad_input(companion, auth):
    draft = [NEW_RULE | {"when": {"intents": ["greeting"]}}]
    body = await (await companion.post("/api/v1/rules/test", headers=auth, json={
        "text": "hello", "rules": draft})).json()
    assert body["rule_id"] == "vip-greeting" and body["reply"] is None
    assert "{{buyer_name}}" in body["fallback_reason"]
    for bad in ({"text": ""}, {"text": "hi", "order_sn": "../x"}, {"text": "hi", "shop_id": "9"},
                {"text": "hi", "extra": 1}):
        assert (await companion.post("/api/v1/rules/test", headers=auth, json=bad)).status == 422


async def test_the_list_is_the_evaluation_order_and_a_new_rule_outranks_the_catch_all(
    companion, auth
):
    body = await _get(companion, "/api/v1/rules", auth)
    assert [r["id"] for r in body["rules"]] == body["evaluation_order"]
    new = {k: v for k, v in NEW_RULE.items() if k not in ("priority", "id")}
    created = await companion.post("/api/v1/rules", headers=auth,
                                   json=new | {"id": "gift-wrap", "when": {"intents": ["other"]}})
    assert created.status == 201
    order = (await _get(companion, "/api/v1/rules", auth))["evaluation_order"]
    assert order.index("gift-wrap") < order.index("other")


async def test_moving_a_rule_up_past_another_band_makes_it_evaluated_first(companion, auth):
    ids = (await _get(companion, "/api/v1/rules", auth))["evaluation_order"]
    at = ids.index("other")
    moved = [*ids[: at - 1], "other", ids[at - 1], *ids[at + 1:]]
    ok = await companion.post("/api/v1/rules/reorder", headers=auth,
                              json={"ids": moved, "moved": "other"})
    assert ok.status == 200
    body = await _get(companion, "/api/v1/rules", auth)
    assert body["evaluation_order"] == moved
    assert [r["id"] for r in body["rules"]] == moved
