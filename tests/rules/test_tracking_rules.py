"""A tracking question gets an answer that fits the order's status, for every status the demo
sandbox seeds (dry run on the real app): no order ever falls through to the catch-all."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from aiohttp.test_utils import TestClient

from companion.rules.engine import evaluate
from tests.rules.conftest import facts

WITH_NUMBER = ("tracking.with-event", "tracking.number")
EXPECTED: dict[str, tuple[str, ...]] = {
    "UNPAID": ("tracking.not-shipped",), "READY_TO_SHIP": ("tracking.not-shipped",),
    "INVOICE_PENDING": ("tracking.not-shipped",), "PENDING": ("tracking.not-shipped",),
    "PROCESSED": ("tracking.awaiting-pickup",), "RETRY_SHIP": ("tracking.awaiting-pickup",),
    "SHIPPED": ("tracking.shipped-check",), "TO_CONFIRM_RECEIVE": ("tracking.shipped-check",),
    "COMPLETED": ("tracking.shipped-check",),
    "IN_CANCEL": ("tracking.in-cancel",), "CANCELLED": ("tracking.cancelled",),
    "TO_RETURN": ("tracking.to-return",),
}
# Where the order is past the point a number would say anything useful, the number is not quoted.
STATUS_FIRST = frozenset({"IN_CANCEL", "CANCELLED", "TO_RETURN"})
QUESTIONS = ["no tracking order {sn} apa", "what is the tracking number for order {sn}?",
             "我的订单 {sn} 运单号是多少？"]


async def _orders(companion: TestClient) -> list[dict[str, Any]]:
    health = await (await companion.get("/api/v1/health")).json()
    shop_id = health["shops"][0]["shop_id"]
    async with httpx.AsyncClient(base_url=health["sandbox_url"], trust_env=False) as http:
        return (await http.get("/sandbox/v1/orders", params={"shop_id": shop_id})).json()["orders"]


@pytest.mark.parametrize("question", QUESTIONS)
async def test_a_tracking_question_gets_a_status_appropriate_answer_for_every_status(
    companion: TestClient, auth: dict[str, str], question: str
) -> None:
    # One order per status, and per "has a tracking number or not" (cancelled ones can have one).
    picked = {(o["status"], bool(o.get("tracking_number"))): o for o in await _orders(companion)}
    assert len({status for status, _ in picked}) == 11
    for (status, _), order in sorted(picked.items()):
        text = question.format(sn=order["order_sn"])
        response = await companion.post("/api/v1/rules/test", headers=auth, json={
            "text": text, "buyer_id": str(order["buyer_id"]), "order_sn": order["order_sn"]})
        body = await response.json()
        assert body["intent"] == "tracking_number", (text, body["intent"])
        assert body["data_used"]["order_status"] == status
        number = order.get("tracking_number")
        expected = EXPECTED[status] if status in STATUS_FIRST or not number else WITH_NUMBER
        assert body["rule_id"] in expected, (status, body["rule_id"], body["fallback_reason"])
        assert body["action"] in ("auto_reply", "suggest")
        assert body["reply"] and order["order_sn"] in body["reply"], (status, body)
        if number and status not in STATUS_FIRST:
            assert number in body["reply"]


@pytest.mark.parametrize(("status", "rule_id", "action"), [
    ("PROCESSED", "tracking.awaiting-pickup", "auto_reply"),
    ("RETRY_SHIP", "tracking.awaiting-pickup", "auto_reply"),
    ("SHIPPED", "tracking.shipped-check", "suggest"),
    ("TO_CONFIRM_RECEIVE", "tracking.shipped-check", "suggest"),
    ("COMPLETED", "tracking.shipped-check", "suggest"),
    ("IN_CANCEL", "tracking.in-cancel", "auto_reply"),
])
def test_an_order_without_a_tracking_number_yet_is_answered_for_its_status(
    status, rule_id, action, understander, all_defaults
):
    text = "no tracking order 261121TV6L586A apa"
    understanding = understander.understand(text)
    decision = evaluate(all_defaults, understanding, text, facts(status, order_sn="261121TV6L586A"))
    assert (decision.rule_id, decision.action) == (rule_id, action)
    assert decision.reply and "261121TV6L586A" in decision.reply
    assert decision.language == "ms"
