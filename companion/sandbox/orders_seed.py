"""Seeded orders in every status, with carriers, tracking numbers, histories and returns."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta

from companion.sandbox.state import (
    Buyer,
    Item,
    Order,
    OrderLine,
    ReturnRequest,
    Shop,
    TrackingEvent,
)

DAY = 86400
# status: (weight, min days ago, max days ago)
STATUS_PLAN: dict[str, tuple[int, int, int]] = {
    "UNPAID": (6, 0, 2), "READY_TO_SHIP": (10, 0, 3), "PROCESSED": (8, 1, 4),
    "RETRY_SHIP": (2, 2, 5), "SHIPPED": (12, 2, 8), "TO_CONFIRM_RECEIVE": (8, 4, 12),
    "COMPLETED": (36, 7, 75), "IN_CANCEL": (3, 0, 4), "CANCELLED": (8, 0, 60),
    "TO_RETURN": (5, 6, 20), "INVOICE_PENDING": (2, 0, 3),
}
MIN_PER_STATUS = 5
CARRIERS = {
    "MY": ("SPX Express", "J&T Express", "Ninja Van", "Pos Laju"),
    "TW": ("蝦皮店到店", "7-ELEVEN", "全家", "黑貓宅急便"),
}
PAYMENTS = {
    "MY": ("Online Banking", "ShopeePay", "Cash on Delivery", "Credit/Debit Card", "SPayLater"),
    "TW": ("信用卡", "貨到付款", "ShopeePay", "銀行轉帳"),
}
ADDRESSES = {
    "MY": ("Petaling Jaya, Selangor", "Shah Alam, Selangor", "Johor Bahru, Johor",
           "Georgetown, Penang",
           "Kuching, Sarawak", "Ipoh, Perak", "Kota Kinabalu, Sabah", "Cheras, Kuala Lumpur"),
    "TW": ("台北市信義區", "新北市板橋區", "台中市西屯區", "高雄市左營區", "台南市東區",
           "桃園市中壢區"),
}
NOTES_TO_SELLER = {
    "MY": ("Please pack nicely, it's a gift", "Tolong bungkus elok2 ya", "pls send asap thanks",
           "麻烦包装好一点，谢谢", "Don't put price tag inside"),
    "TW": ("請幫我包裝好，送禮用 謝謝", "麻煩盡快出貨", "不要放發票在箱子裡", "請用紙箱包裝"),
}
# (event status, English, Traditional Chinese); {c} = carrier, {h} = hub
STEPS = (
    ("ORDER_CREATED", "Seller is preparing to ship your parcel", "賣家正在準備出貨"),
    ("PICKED_UP", "Parcel has been picked up by {c}", "包裹已由{c}取件"),
    ("DELIVERY_PENDING", "Parcel has arrived at {h} sorting centre", "包裹已抵達{h}轉運中心"),
    ("DELIVERY_PENDING", "Parcel is out for delivery", "包裹配送中"),
    ("DELIVERED", "Parcel has been delivered", "包裹已送達"),
)
STEPS_BY_STATUS = {
    "PROCESSED": 1, "RETRY_SHIP": 1, "SHIPPED": 3, "TO_CONFIRM_RECEIVE": 5, "COMPLETED": 5,
    "TO_RETURN": 5,
}
HUBS = {"MY": ("Shah Alam", "Sungai Buloh", "Johor Bahru"), "TW": ("桃園", "台中", "高雄")}
RETURN_REASONS = (
    ("ITEM_DAMAGED", "Item arrived damaged", "收到時商品有破損"),
    ("WRONG_ITEM", "Received wrong colour/size", "收到的顏色或尺寸不對"),
    ("DIFF_DESC", "Not as described in the listing", "與商品描述不符"),
    ("ITEM_MISSING", "One item missing from the parcel", "包裹內少了一件商品"),
    ("FUNCTIONAL_DMG", "Does not work / cannot charge", "無法使用／無法充電"),
)


def order_sn(created: int, rng: random.Random) -> str:
    """yymmdd (UTC+8 order date) + 8 uppercase alphanumerics, e.g. 231124QW8E7R2K."""
    day = datetime.fromtimestamp(created, UTC) + timedelta(hours=8)
    tail = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(8))
    return day.strftime("%y%m%d") + tail


def tracking_number(carrier: str, rng: random.Random) -> str:
    digits = "".join(rng.choice(string.digits) for _ in range(12))
    prefix = {"SPX Express": "SPXMY0", "J&T Express": "6300", "Ninja Van": "NVMYSP",
              "Pos Laju": "ER", "蝦皮店到店": "TW", "7-ELEVEN": "F", "全家": "FM"}.get(carrier, "")
    return f"{prefix}{digits}" + ("MY" if carrier == "Pos Laju" else "")


def tracking_history(order: Order, region: str, rng: random.Random) -> list[TrackingEvent]:
    """Events oldest first, in the shop's language, consistent with the order status."""
    count = STEPS_BY_STATUS.get(order.status, 0)
    lang = 2 if region == "TW" else 1
    hub = rng.choice(HUBS[region])
    at = (order.pay_time or order.create_time) + rng.randint(2, 20) * 3600
    events = []
    for step in STEPS[:count]:
        text = step[lang].format(c=order.carrier, h=hub)
        events.append(TrackingEvent(at, text, step[0]))
        at += rng.randint(6, 30) * 3600
    if order.status == "RETRY_SHIP":
        retry = ("Pickup attempt failed, courier will retry", "取件失敗，物流將重新取件")[lang - 1]
        events.append(TrackingEvent(at, retry, "PICKUP_RETRY"))
    return events


def _statuses(count: int, rng: random.Random) -> list[str]:
    """At least MIN_PER_STATUS of every status, the rest by weight, shuffled."""
    plan = [s for s in STATUS_PLAN for _ in range(MIN_PER_STATUS)]
    names, weights = list(STATUS_PLAN), [w for w, _, _ in STATUS_PLAN.values()]
    plan += rng.choices(names, weights, k=count - len(plan))
    rng.shuffle(plan)
    return plan


def _lines(items: list[Item], rng: random.Random) -> list[OrderLine]:
    lines = []
    for item in rng.sample(items, rng.choice((1, 1, 1, 2, 2, 3))):
        model = rng.choice(item.models) if item.models else None
        price = model.price if model else item.price
        original = model.original_price if model else item.original_price
        lines.append(OrderLine(item.item_id, model.model_id if model else 0,
                               rng.choice((1, 1, 1, 2)), price, original))
    return lines


def _timeline(status: str, now: int, rng: random.Random) -> tuple[int, int, int | None]:
    _, low, high = STATUS_PLAN[status]
    created = now - rng.randint(low * DAY, high * DAY + DAY - 1)
    created = min(created, now - 600)
    paid = None if status == "UNPAID" else created + rng.randint(60, 3 * 3600)
    updated = min(now - 60, (paid or created) + rng.randint(1, 4) * DAY)
    return created, max(updated, paid or created), paid


def build_order(shop: Shop, buyer: Buyer, status: str, items: list[Item], now: int,
                rng: random.Random) -> Order:
    created, updated, paid = _timeline(status, now, rng)
    carrier = rng.choice(CARRIERS[shop.region])
    payment = rng.choice(PAYMENTS[shop.region])
    has_tracking = status in STEPS_BY_STATUS or (status == "CANCELLED" and rng.random() < 0.2)
    order = Order(
        order_sn=order_sn(created, rng), shop_id=shop.shop_id, buyer_id=buyer.user_id,
        status=status,
        lines=_lines(items, rng), create_time=created, update_time=updated, pay_time=paid,
        days_to_ship=2 if shop.region == "MY" else 1,
        shipping_fee=4.9 if shop.currency == "MYR" else 60.0, carrier=carrier,
        package_number=f"OFG{rng.randrange(10**14, 10**15)}",
        tracking_number=tracking_number(carrier, rng) if has_tracking else "",
        tracking=[], recipient={"name": buyer.username[:1].upper() + "****",
                                "phone": "******" + str(rng.randint(10, 99)),
                                "full_address": f"****, {rng.choice(ADDRESSES[shop.region])}"},
        payment_method=payment,
    )
    if rng.random() < 0.12:
        order.message_to_seller = rng.choice(NOTES_TO_SELLER[shop.region])
    order.tracking = tracking_history(order, shop.region, rng)
    _cancel_details(order, rng)
    return order


def _cancel_details(order: Order, rng: random.Random) -> None:
    if order.status == "IN_CANCEL":
        order.status_before_cancel = rng.choice(("READY_TO_SHIP", "PROCESSED"))
        order.buyer_cancel_reason = rng.choice(("Change of mind", "Need to change delivery address",
                                                "Seller is not responsive"))
    elif order.status == "CANCELLED":
        order.cancel_by = rng.choice(("buyer", "buyer", "system", "seller"))
        order.cancel_reason = {"buyer": "BUYER_REQUEST", "system": "UNPAID",
                               "seller": "OUT_OF_STOCK"}[order.cancel_by]


def build_orders(shop: Shop, buyers: list[Buyer], items: list[Item], count: int, now: int,
                 rng: random.Random) -> list[Order]:
    """`count` orders over ~75 days; about a quarter of the buyers never ordered."""
    purchasers = buyers[: int(len(buyers) * 0.72)]
    weights = [rng.choice((1, 1, 2, 3, 6)) for _ in purchasers]
    orders = []
    for status in _statuses(count, rng):
        buyer = rng.choices(purchasers, weights)[0]
        orders.append(build_order(shop, buyer, status, items, now, rng))
    return orders


def build_return(order: Order, status: str, region: str, rng: random.Random) -> ReturnRequest:
    code, en, zh = rng.choice(RETURN_REASONS)
    amount = round(sum(line.price * line.quantity for line in order.lines), 2)
    created = order.update_time - rng.randint(1, 3) * 3600
    return ReturnRequest(
        return_sn=f"{order.order_sn[:6]}{rng.randrange(10**9, 10**10)}", order_sn=order.order_sn,
        shop_id=order.shop_id, buyer_id=order.buyer_id, status=status, reason=code,
        text_reason=zh if region == "TW" else en, refund_amount=amount, create_time=created,
        update_time=order.update_time, due_date=created + 3 * DAY,
    )


def build_returns(orders: list[Order], region: str, rng: random.Random) -> list[ReturnRequest]:
    """Open returns for TO_RETURN orders, closed ones for a few completed orders."""
    returns = []
    for order in orders:
        if order.status == "TO_RETURN":
            status = rng.choice(("REQUESTED", "REQUESTED", "PROCESSING", "ACCEPTED", "JUDGING"))
            returns.append(build_return(order, status, region, rng))
        elif order.status == "COMPLETED" and rng.random() < 0.04:
            returns.append(build_return(order, rng.choice(("CLOSED", "CANCELLED")), region, rng))
    return returns
