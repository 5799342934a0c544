"""A message naming an order whose data is unavailable (lookup faulted, another buyer's order)
gets a "we are checking" suggestion for a person with the lookup's note, never a request for
the number it already carries, even in auto mode."""

from __future__ import annotations

from typing import Any

import pytest

from companion.rules.packs import default_rules
from tests.pipeline.conftest import Rig

ASKS_FOR_NUMBER = "Could you share your order number?"


@pytest.fixture
def rules() -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in default_rules(["en"])]


def _checking(decision: Any, *notes: str) -> None:
    assert decision.action == "suggest", decision.reasons
    assert decision.rule_id == "order.unavailable"
    assert decision.reply_text and ASKS_FOR_NUMBER not in decision.reply_text
    assert "checking this order" in decision.reply_text
    assert any(note in n for n in decision.data_used["notes"] for note in notes), \
        decision.data_used


async def test_a_faulted_order_lookup_gets_a_checking_suggestion_not_a_request_for_the_number(
        rig: Rig) -> None:
    await rig.set_auto(True)
    order = await rig.order("SHIPPED")
    fault = {"path": "order/get_order_detail", "kind": "http_500", "count": 20}
    assert (await rig.sandbox.post("/sandbox/v1/faults", json=fault)).status_code == 200
    try:
        injected = await rig.inject(f"where is my order {order['order_sn']}?",
                                    buyer_id=order["buyer_id"])
        decision = await rig.processed(injected)
    finally:
        await rig.sandbox.delete("/sandbox/v1/faults")
    assert decision.intent == "order_status"
    # The client retries the 500s with backoff; on a loaded machine the facts deadline may
    # end the lookup first. Either way the reason the data is missing is recorded.
    _checking(decision, f"order {order['order_sn']}", "live data unavailable")
    assert await rig.shop_replies_after(injected) == []


async def test_another_buyers_order_number_gets_a_checking_suggestion(rig: Rig) -> None:
    await rig.set_auto(True)
    mine, theirs = await rig.order("READY_TO_SHIP"), await rig.order("SHIPPED")
    assert mine["buyer_id"] != theirs["buyer_id"]
    injected = await rig.inject(f"where is my order {theirs['order_sn']}?",
                                buyer_id=mine["buyer_id"])
    decision = await rig.processed(injected)
    _checking(decision, "belongs to another buyer")
    assert await rig.shop_replies_after(injected) == []

