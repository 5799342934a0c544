"""Buyer simulator: a background task that writes realistic buyer messages at a steady rate.

Picks real seeded buyers (mostly ones with orders), phrases the message in the
buyer's language from the sandbox message bank, and mentions their real order.
Started and stopped through the app's cleanup context.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator

from aiohttp import web

from companion.sandbox.buyer_voice import compose
from companion.sandbox.chat import receive_buyer_message
from companion.sandbox.keys import BUYERS_PER_MINUTE, STATE
from companion.sandbox.message_bank import MessageBank
from companion.sandbox.state import Buyer, Message, SandboxState

ORDERING_BUYER_SHARE = 0.85


def pick_buyer(state: SandboxState, rng: random.Random) -> Buyer:
    shop = rng.choice(list(state.shops.values()))
    buyers = state.shop_buyers(shop.shop_id)
    ordering = [b for b in buyers if state.buyer_orders(shop.shop_id, b.user_id)]
    pool = ordering if ordering and rng.random() < ORDERING_BUYER_SHARE else buyers
    return rng.choice(pool)


def inject_one(state: SandboxState, bank: MessageBank, rng: random.Random) -> Message:
    """One simulated buyer message, delivered exactly like a real one."""
    buyer = pick_buyer(state, rng)
    line = compose(state, bank, buyer, rng)
    return receive_buyer_message(state, buyer.shop_id, buyer.user_id, line.text,
                                 line.order_sn, line.item_id)


async def run_simulator(state: SandboxState, per_minute: float, rng: random.Random) -> None:
    """Inject forever at `per_minute` on average (jittered, without drift)."""
    bank = MessageBank.load()
    loop = asyncio.get_running_loop()
    interval = 60.0 / per_minute
    next_at = loop.time()
    while True:
        next_at += interval * rng.uniform(0.5, 1.5)
        await asyncio.sleep(max(0.0, next_at - loop.time()))
        inject_one(state, bank, rng)


async def simulator_context(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx entry: run the simulator only when buyers_per_minute > 0."""
    rate = app[BUYERS_PER_MINUTE]
    if rate <= 0:
        yield
        return
    state = app[STATE]
    task = asyncio.create_task(run_simulator(state, rate, random.Random(state.partner_id)))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
