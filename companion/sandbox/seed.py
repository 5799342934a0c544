"""Build the sandbox world from a seed: partner, two shops, items, buyers, orders, chats.

Same seed and same clock give the same world. Times are relative to the clock at
build time so windows like "ordered in the last 30 days" hold whenever it runs.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from companion.sandbox.buyer_voice import compose
from companion.sandbox.buyers import build_buyers
from companion.sandbox.catalog import build_catalog
from companion.sandbox.chat import append, conversation_for
from companion.sandbox.message_bank import MessageBank
from companion.sandbox.orders_seed import build_orders, build_returns
from companion.sandbox.state import AuthBook, Buyer, SandboxState, Shop, Voucher

BUYERS_PER_SHOP = 90
ORDERS_PER_SHOP = 320
CHATTY_SHARE = 0.4
NS = 1_000_000_000
SHOP_REPLIES = {
    "en": ("Hi! Thanks for your message, let me check for you 😊",
           "Noted, we will update you soon.",
           "Thank you for your patience!"),
    "ms": ("Hai! Terima kasih, kami semak dulu ya 😊", "Baik, nanti kami update.", "Terima kasih!"),
    "zh-Hans": ("您好，稍等我帮您查一下😊", "好的，有消息马上通知您", "谢谢您的耐心等候"),
    "zh-Hant": ("您好～我幫您確認一下喔😊", "好的，有進度會馬上通知您", "謝謝您耐心等候🙏"),
}


def _shops(rng: random.Random, now: int) -> list[Shop]:
    my = Shop(rng.randrange(200_000_000, 299_999_999), rng.randrange(300_000_000, 399_999_999),
              "MY", "CeriaMart Lifestyle", "MYR", "en", now - 20 * 86400, True)
    tw = Shop(rng.randrange(600_000_000, 699_999_999), rng.randrange(700_000_000, 799_999_999),
              "TW", "小日子生活選物", "TWD", "zh-Hant", now - 35 * 86400, False)
    return [my, tw]


def _seed_exchange(state: SandboxState, bank: MessageBank, buyer: Buyer, at_s: int,
                   rng: random.Random) -> int:
    """One buyer message and (usually) a manual shop reply; returns the time after it."""
    conv = conversation_for(state, buyer.shop_id, buyer.user_id)
    line = compose(state, bank, buyer, rng)
    source = {"order_sn": line.order_sn} if line.order_sn else {}
    ns = at_s * NS + rng.randrange(NS)
    append(state, conv, True, "text", {"text": line.text}, ns, source_content=source)
    roll = rng.random()
    if roll < 0.15:
        return at_s + 3600
    delay = rng.randint(60, 7200) if roll < 0.85 else rng.randint(13 * 3600, 30 * 3600)
    if at_s + delay >= state.now():
        return at_s + 3600
    reply = rng.choice(SHOP_REPLIES[buyer.language])
    append(state, conv, False, "text", {"text": reply}, (at_s + delay) * NS + rng.randrange(NS),
           source="new_webchat", sent_via="seller_centre")
    return at_s + delay + 600


def _seed_conversations(state: SandboxState, bank: MessageBank, rng: random.Random) -> None:
    now = state.now()
    for buyer in list(state.buyers.values()):
        if rng.random() >= CHATTY_SHARE:
            continue
        at = now - rng.randint(3600, 40 * 86400)
        for _ in range(rng.choice((1, 1, 2, 3))):
            if at >= now - 60:
                break
            at = _seed_exchange(state, bank, buyer, at, rng) + rng.randint(0, 2 * 86400)
        conv = state.conversation_with(buyer.shop_id, buyer.user_id)
        if conv and conv.messages:
            conv.messages.sort(key=lambda m: m.created_ns)
            fresh = conv.messages[-1].from_buyer and now - conv.last_ns // NS < 2 * 86400
            conv.last_read_ns = 0 if fresh else conv.last_ns
    state.last_ns = max((c.last_ns for c in state.conversations.values()), default=0)


def _seed_vouchers(state: SandboxState, shop: Shop, rng: random.Random) -> None:
    now = state.now()
    plans = (("Welcome 5 off", "HELLO", -10, 20), ("Payday sale", "PAYDY", 3, 10),
             ("Raya special", "RAYA", -60, -30))
    for n, (name, code, start_days, end_days) in enumerate(plans):
        voucher_id = shop.shop_id * 10 + n + 1
        state.vouchers[voucher_id] = Voucher(voucher_id, shop.shop_id, {
            "voucher_name": name, "voucher_code": code, "voucher_type": 1, "reward_type": 1,
            "discount_amount": 5.0 if shop.currency == "MYR" else 50.0,
            "min_basket_price": 50.0 if shop.currency == "MYR" else 500.0,
            "usage_quantity": 200, "start_time": now + start_days * 86400,
            "end_time": now + end_days * 86400, "display_channel_list": [1], "item_id_list": [],
        }, current_usage=rng.randint(0, 120) if start_days < 0 else 0)


def _seed_shop(state: SandboxState, shop: Shop, rng: random.Random, taken: set[int]) -> None:
    now = state.now()
    state.shops[shop.shop_id] = shop
    items = build_catalog(shop, now, rng)
    state.items.update((i.item_id, i) for i in items)
    buyers = build_buyers(shop, BUYERS_PER_SHOP, rng, taken)
    state.buyers.update((b.user_id, b) for b in buyers)
    orders = build_orders(shop, buyers, items, ORDERS_PER_SHOP, now, rng)
    state.orders.update((o.order_sn, o) for o in orders)
    state.returns.update((r.return_sn, r) for r in build_returns(orders, shop.region, rng))
    _seed_vouchers(state, shop, rng)


def build_state(seed: int, clock: Callable[[], float], token_ttl: int) -> SandboxState:
    """The deterministic sandbox world for `seed`."""
    rng = random.Random(seed)
    partner_id = rng.randrange(1_000_000, 2_999_999)
    partner_key = "shpk" + "".join(rng.choice("0123456789abcdef") for _ in range(60))
    state = SandboxState(partner_id, partner_key, clock, random.Random(seed + 1),
                         AuthBook(token_ttl))
    taken: set[int] = set()
    for shop in _shops(rng, state.now()):
        _seed_shop(state, shop, rng, taken)
    _seed_conversations(state, MessageBank.load(), rng)
    return state
