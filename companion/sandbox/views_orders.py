"""Order, tracking and return records in Shopee's JSON shapes."""

from __future__ import annotations

from typing import Any

from companion.sandbox.state import Order, ReturnRequest, SandboxState

PACKAGE_STATUS = {
    "UNPAID": "LOGISTICS_NOT_START", "READY_TO_SHIP": "LOGISTICS_READY",
    "INVOICE_PENDING": "LOGISTICS_PENDING_ARRANGE", "PROCESSED": "LOGISTICS_REQUEST_CREATED",
    "RETRY_SHIP": "LOGISTICS_PICKUP_RETRY", "SHIPPED": "LOGISTICS_PICKUP_DONE",
    "TO_CONFIRM_RECEIVE": "LOGISTICS_DELIVERY_DONE", "COMPLETED": "LOGISTICS_DELIVERY_DONE",
    "TO_RETURN": "LOGISTICS_DELIVERY_DONE", "IN_CANCEL": "LOGISTICS_READY",
    "CANCELLED": "LOGISTICS_INVALID",
}


def package_status(order: Order) -> str:
    if order.status == "CANCELLED" and order.tracking_number:
        return "LOGISTICS_REQUEST_CANCELED"
    return PACKAGE_STATUS[order.status]


def item_lines(state: SandboxState, order: Order) -> list[dict[str, Any]]:
    lines = []
    for line in order.lines:
        item = state.items[line.item_id]
        model = next((m for m in item.models if m.model_id == line.model_id), None)
        lines.append({
            "item_id": item.item_id, "item_name": item.name, "item_sku": item.sku,
            "model_id": line.model_id, "model_name": model.name if model else "",
            "model_sku": model.sku if model else "", "model_quantity_purchased": line.quantity,
            "model_original_price": line.original_price, "model_discounted_price": line.price,
            "weight": item.weight_kg,
            "image_info": {"image_url": f"https://cf.shopee.sg/file/sandbox-{item.key}"},
        })
    return lines


def total_amount(order: Order) -> float:
    return round(sum(line.price * line.quantity for line in order.lines) + order.shipping_fee, 2)


def optional_fields(state: SandboxState, order: Order) -> dict[str, Any]:
    """Every `response_optional_fields` value we can answer, keyed by its name."""
    buyer = state.buyers[order.buyer_id]
    return {
        "buyer_user_id": buyer.user_id, "buyer_username": buyer.username,
        "estimated_shipping_fee": order.shipping_fee, "actual_shipping_fee": order.shipping_fee,
        "recipient_address": order.recipient, "note": order.note,
        "note_update_time": order.note_update_time, "item_list": item_lines(state, order),
        "pay_time": order.pay_time, "buyer_cancel_reason": order.buyer_cancel_reason,
        "cancel_by": order.cancel_by, "cancel_reason": order.cancel_reason,
        "package_list": [{"package_number": order.package_number,
                          "logistics_status": package_status(order),
                          "shipping_carrier": order.carrier,
                          "item_list": [{"item_id": x.item_id, "model_id": x.model_id}
                                        for x in order.lines]}],
        "shipping_carrier": order.carrier, "payment_method": order.payment_method,
        "total_amount": total_amount(order), "split_up": False, "goods_to_declare": False,
        "dropshipper": "", "dropshipper_phone": "", "fulfillment_flag": "fulfilled_by_local_seller",
        "pickup_done_time": next((e.update_time for e in order.tracking
                                  if e.logistics_status == "PICKED_UP"), 0),
    }


def order_detail(state: SandboxState, order: Order, wanted: list[str]) -> dict[str, Any]:
    shop = state.shops[order.shop_id]
    detail: dict[str, Any] = {
        "order_sn": order.order_sn, "region": shop.region, "currency": shop.currency,
        "cod": order.payment_method in {"Cash on Delivery", "貨到付款"},
        "order_status": order.status, "message_to_seller": order.message_to_seller,
        "create_time": order.create_time, "update_time": order.update_time,
        "days_to_ship": order.days_to_ship,
        "ship_by_date": (order.pay_time or order.create_time) + order.days_to_ship * 86400,
        "booking_sn": "",
    }
    available = optional_fields(state, order)
    detail.update((name, available[name]) for name in wanted if name in available)
    if "edt" in wanted:
        detail.update(delivery_estimate(order, detail["ship_by_date"]))
    return detail


EDT_STATUSES = frozenset({"READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED"})


def delivery_estimate(order: Order, ship_by: int) -> dict[str, int]:
    """The `edt` optional field: a 3-6 day window after the ship-by date, only while en route."""
    if order.status not in EDT_STATUSES:
        return {"edt_from": 0, "edt_to": 0}
    return {"edt_from": ship_by + 3 * 86400, "edt_to": ship_by + 6 * 86400}


def tracking_info(order: Order) -> dict[str, Any]:
    """Events newest first, like Shopee's get_tracking_info."""
    return {
        "order_sn": order.order_sn, "package_number": order.package_number,
        "logistics_status": package_status(order),
        "tracking_info": [{"update_time": e.update_time, "description": e.description,
                           "logistics_status": e.logistics_status}
                          for e in reversed(order.tracking)],
    }


def return_record(state: SandboxState, ret: ReturnRequest) -> dict[str, Any]:
    order = state.orders[ret.order_sn]
    buyer = state.buyers[ret.buyer_id]
    return {
        "return_sn": ret.return_sn, "order_sn": ret.order_sn, "status": ret.status,
        "reason": ret.reason, "text_reason": ret.text_reason, "refund_amount": ret.refund_amount,
        "amount_before_discount": ret.refund_amount, "currency": state.shops[ret.shop_id].currency,
        "create_time": ret.create_time, "update_time": ret.update_time, "due_date": ret.due_date,
        "return_ship_due_date": ret.due_date + 5 * 86400, "return_seller_due_date": ret.due_date,
        "tracking_number": ret.tracking_number, "needs_logistics": True, "image": [],
        "user": {"username": buyer.username, "email": "", "portrait": ""},
        "item": [{"item_id": x["item_id"], "model_id": x["model_id"], "name": x["item_name"],
                  "amount": x["model_quantity_purchased"],
                  "item_price": x["model_discounted_price"],
                  "item_sku": x["item_sku"], "variation_sku": x["model_sku"], "images": []}
                 for x in item_lines(state, order)],
        "negotiation_status": "PENDING_RESPOND" if ret.is_open else "TERMINATED",
        "seller_proof_status": "NOT_NEEDED", "seller_compensation_status": "NOT_REQUIRED",
        "return_refund_type": "RRBOC", "return_solution": 0, "return_refund_request_type": 0,
        "validation_type": "seller_validation",
    }
