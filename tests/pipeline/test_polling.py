"""The poller's stored cursor: it follows the messages it passes, once they are on disk."""

from __future__ import annotations

from companion.pipeline.ingest import cursor_key
from tests.pipeline.conftest import Rig


async def test_the_stored_cursor_reaches_a_polled_message_after_it_is_synced(rig: Rig) -> None:
    order = await rig.order("READY_TO_SHIP")
    injected = await rig.inject("Hi, when will my order arrive?", order_sn=order["order_sn"])
    await rig.processed(injected)
    store, key = rig.pipeline.store, cursor_key(rig.shop_id)
    born = int(injected["created_timestamp_nano"])
    syncs_before = store.db.syncs
    await rig.until(lambda: int(store.kv.get(key) or 0) >= born)
    assert store.db.syncs >= max(1, syncs_before)


async def test_a_second_message_in_the_same_conversation_is_polled_after_the_first(
        rig: Rig) -> None:
    order = await rig.order("READY_TO_SHIP")
    first = await rig.inject("Hi, when will my order arrive?", order_sn=order["order_sn"])
    await rig.processed(first)
    second = await rig.inject("what is the tracking number?", order_sn=order["order_sn"])
    decision = await rig.processed(second)
    assert decision.intent == "tracking_number"
