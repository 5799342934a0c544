"""`ShopeeClient`: one typed async method per Shopee v2 call the companion uses.

Built on `ShopeeSession` (signing, retries, quota, token refresh). Methods take
ids as `str` and return the pydantic models of `companion.shopee.models`;
JSON bodies carry int64 ids as exact integers, as the API expects, while chat
conversation and message ids stay strings (shopee doc 7.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from companion.shopee.errors import SendRestrictedError
from companion.shopee.models import (
    AuthedShopPage,
    Conversation,
    ConversationPage,
    ItemBaseInfo,
    ItemBaseInfoList,
    ItemListPage,
    MessagePage,
    ModelList,
    NewVoucher,
    Order,
    OrderDetailList,
    OrderListPage,
    OrderUpdate,
    ReadConversationResult,
    ReturnPage,
    SentMessage,
    ShopInfo,
    ShopPerformance,
    TokenGrant,
    TrackingInfo,
    TrackingNumber,
    UnreadCount,
    VoucherCreated,
)
from companion.shopee.session import PATH_TOKEN_GET, ShopeeSession

MAX_TEXT_CHARS = 600
MAX_ORDERS_PER_DETAIL = 50
MAX_ITEMS_PER_BASE_INFO = 50
ORDER_DETAIL_FIELDS = (
    "buyer_user_id",
    "buyer_username",
    "estimated_shipping_fee",
    "actual_shipping_fee",
    "item_list",
    "pay_time",
    "shipping_carrier",
    "total_amount",
    "note",
    "note_update_time",
    "package_list",
    "cancel_by",
    "cancel_reason",
    "buyer_cancel_reason",
    "payment_method",
    "edt",  # estimated delivery window (edt_from / edt_to); absent in markets without it
)
CancelReason = Literal[
    "OUT_OF_STOCK", "CUSTOMER_REQUEST", "UNDELIVERABLE_AREA", "COD_NOT_SUPPORTED"
]


class ShopeeClient(ShopeeSession):
    """Typed Shopee v2 calls; see `ShopeeSession` for the failure semantics."""

    # --- auth and shop --------------------------------------------------------------------------

    async def request_token(
        self, code: str, *, shop_id: str | None = None, main_account_id: str | None = None
    ) -> TokenGrant:
        """Exchange a redirect `code` (single use, 10 min) for the first token pair."""
        if (shop_id is None) == (main_account_id is None):
            raise ValueError("give exactly one of shop_id / main_account_id")
        body: dict[str, Any] = {"code": code, "partner_id": self.partner_id}
        if shop_id is not None:
            body["shop_id"] = int(shop_id)
        else:
            body["main_account_id"] = int(str(main_account_id))
        payload = await self.post(PATH_TOKEN_GET, None, body, write=False)
        return TokenGrant.model_validate(payload)

    async def get_shop_info(self, shop_id: str) -> ShopInfo:
        return ShopInfo.model_validate(await self.get("/api/v2/shop/get_shop_info", shop_id))

    async def get_shops_by_partner(self, page_no: int = 1, page_size: int = 100) -> AuthedShopPage:
        payload = await self.get(
            "/api/v2/public/get_shops_by_partner", None, page_no=page_no, page_size=page_size
        )
        return AuthedShopPage.model_validate(payload)

    # --- orders ---------------------------------------------------------------------------------

    async def get_order_list(
        self,
        shop_id: str,
        *,
        time_from: int,
        time_to: int,
        time_range_field: Literal["create_time", "update_time"] = "update_time",
        page_size: int = 50,
        cursor: str = "",
        order_status: str | None = None,
    ) -> OrderListPage:
        """One page of orders in a window of at most 15 days."""
        payload = await self.get(
            "/api/v2/order/get_order_list",
            shop_id,
            time_range_field=time_range_field,
            time_from=time_from,
            time_to=time_to,
            page_size=page_size,
            cursor=cursor,
            order_status=order_status,
            response_optional_fields="order_status",
        )
        return OrderListPage.model_validate(payload)

    async def get_order_detail(
        self, shop_id: str, order_sns: Sequence[str], fields: Sequence[str] = ORDER_DETAIL_FIELDS
    ) -> list[Order]:
        if not 1 <= len(order_sns) <= MAX_ORDERS_PER_DETAIL:
            raise ValueError(f"get_order_detail takes 1-{MAX_ORDERS_PER_DETAIL} order_sn")
        payload = await self.get(
            "/api/v2/order/get_order_detail",
            shop_id,
            order_sn_list=",".join(order_sns),
            response_optional_fields=",".join(fields),
        )
        return OrderDetailList.model_validate(payload).order_list

    async def get_order(self, shop_id: str, order_sn: str) -> Order | None:
        """One order's detail, or None when Shopee returns nothing for it."""
        orders = await self.get_order_detail(shop_id, [order_sn])
        return next((o for o in orders if o.order_sn == order_sn), None)

    async def set_note(self, shop_id: str, order_sn: str, note: str) -> OrderUpdate:
        body = {"order_sn": order_sn, "note": note}
        return OrderUpdate.model_validate(await self.post("/api/v2/order/set_note", shop_id, body))

    async def handle_buyer_cancellation(
        self, shop_id: str, order_sn: str, operation: Literal["ACCEPT", "REJECT"]
    ) -> OrderUpdate:
        body = {"order_sn": order_sn, "operation": operation}
        payload = await self.post("/api/v2/order/handle_buyer_cancellation", shop_id, body)
        return OrderUpdate.model_validate(payload)

    async def cancel_order(
        self,
        shop_id: str,
        order_sn: str,
        cancel_reason: CancelReason,
        item_list: Sequence[tuple[str, str]] = (),
    ) -> OrderUpdate:
        """Seller-side cancel; `item_list` (item_id, model_id) pairs are needed for OUT_OF_STOCK."""
        body: dict[str, Any] = {"order_sn": order_sn, "cancel_reason": cancel_reason}
        if item_list:
            body["item_list"] = [{"item_id": int(i), "model_id": int(m)} for i, m in item_list]
        payload = await self.post("/api/v2/order/cancel_order", shop_id, body)
        return OrderUpdate.model_validate(payload)

    # --- logistics ------------------------------------------------------------------------------

    async def get_tracking_number(
        self, shop_id: str, order_sn: str, package_number: str | None = None
    ) -> TrackingNumber:
        payload = await self.get(
            "/api/v2/logistics/get_tracking_number",
            shop_id,
            order_sn=order_sn,
            package_number=package_number or None,
        )
        return TrackingNumber.model_validate(payload)

    async def get_tracking_info(
        self, shop_id: str, order_sn: str, package_number: str | None = None
    ) -> TrackingInfo:
        payload = await self.get(
            "/api/v2/logistics/get_tracking_info",
            shop_id,
            order_sn=order_sn,
            package_number=package_number or None,
        )
        return TrackingInfo.model_validate(payload)

    # --- products -------------------------------------------------------------------------------

    async def get_item_list(
        self,
        shop_id: str,
        *,
        offset: int = 0,
        page_size: int = 100,
        item_status: Sequence[str] = ("NORMAL",),
    ) -> ItemListPage:
        payload = await self.get(
            "/api/v2/product/get_item_list",
            shop_id,
            offset=offset,
            page_size=page_size,
            item_status=list(item_status),
        )
        return ItemListPage.model_validate(payload)

    async def get_item_base_info(self, shop_id: str, item_ids: Sequence[str]) -> list[ItemBaseInfo]:
        if not 1 <= len(item_ids) <= MAX_ITEMS_PER_BASE_INFO:
            raise ValueError(f"get_item_base_info takes 1-{MAX_ITEMS_PER_BASE_INFO} item ids")
        payload = await self.get(
            "/api/v2/product/get_item_base_info", shop_id, item_id_list=",".join(item_ids)
        )
        return ItemBaseInfoList.model_validate(payload).item_list

    async def get_model_list(self, shop_id: str, item_id: str) -> ModelList:
        payload = await self.get("/api/v2/product/get_model_list", shop_id, item_id=item_id)
        return ModelList.model_validate(payload)

    # --- seller chat ----------------------------------------------------------------------------

    async def get_conversation_list(
        self,
        shop_id: str,
        *,
        direction: Literal["older", "latest"] = "older",
        type: Literal["all", "pinned", "unread"] = "all",
        next_timestamp_nano: str | None = None,
        page_size: int = 25,
    ) -> ConversationPage:
        """Newest first with direction=older; pass `page.next_cursor_nano` to continue."""
        payload = await self.get(
            "/api/v2/sellerchat/get_conversation_list",
            shop_id,
            direction=direction,
            type=type,
            next_timestamp_nano=next_timestamp_nano,
            page_size=page_size,
        )
        return ConversationPage.model_validate(payload)

    async def get_one_conversation(self, shop_id: str, conversation_id: str) -> Conversation:
        payload = await self.get(
            "/api/v2/sellerchat/get_one_conversation", shop_id, conversation_id=conversation_id
        )
        return Conversation.model_validate(payload)

    async def get_message(
        self, shop_id: str, conversation_id: str, *, offset: str | None = None, page_size: int = 25
    ) -> MessagePage:
        payload = await self.get(
            "/api/v2/sellerchat/get_message",
            shop_id,
            conversation_id=conversation_id,
            offset=offset,
            page_size=page_size,
        )
        return MessagePage.model_validate(payload)

    async def send_message(
        self,
        shop_id: str,
        to_id: str,
        message_type: str,
        content: dict[str, Any],
        *,
        business_type: int = 0,
        conversation_id: str | None = None,
    ) -> SentMessage:
        """A normal (manual) message. Never retried after an ambiguous failure."""
        if message_type == "text":
            _check_text(str(content.get("text") or ""))
        body: dict[str, Any] = {
            "to_id": int(to_id),
            "message_type": message_type,
            "content": content,
        }
        if business_type:
            body["business_type"] = business_type
        if conversation_id is not None:
            body["conversation_id"] = conversation_id
        payload = await self.post("/api/v2/sellerchat/send_message", shop_id, body)
        return SentMessage.model_validate(payload)

    async def send_text(self, shop_id: str, to_id: str, text: str) -> SentMessage:
        return await self.send_message(shop_id, to_id, "text", {"text": text})

    async def send_autoreply_message(self, shop_id: str, to_id: str, text: str) -> SentMessage:
        """Text flagged as automatic (the compliant way to auto-reply, doc 0.3)."""
        _check_text(text)
        body = {"to_id": int(to_id), "content": {"text": text}}
        payload = await self.post("/api/v2/sellerchat/send_autoreply_message", shop_id, body)
        return SentMessage.model_validate(payload)

    async def read_conversation(
        self, shop_id: str, conversation_id: str, last_read_message_id: str
    ) -> ReadConversationResult:
        body = {"conversation_id": conversation_id, "last_read_message_id": last_read_message_id}
        payload = await self.post("/api/v2/sellerchat/read_conversation", shop_id, body)
        return ReadConversationResult.model_validate(payload)

    async def get_unread_conversation_count(self, shop_id: str) -> int:
        payload = await self.get("/api/v2/sellerchat/get_unread_conversation_count", shop_id)
        return UnreadCount.model_validate(payload).total_unread_count

    # --- vouchers, performance, returns ---------------------------------------------------------

    async def add_voucher(self, shop_id: str, voucher: NewVoucher) -> VoucherCreated:
        payload = await self.post("/api/v2/voucher/add_voucher", shop_id, voucher.body())
        return VoucherCreated.model_validate(payload)

    async def get_shop_performance(self, shop_id: str) -> ShopPerformance:
        payload = await self.get("/api/v2/account_health/get_shop_performance", shop_id)
        return ShopPerformance.model_validate(payload)

    async def get_return_list(
        self,
        shop_id: str,
        *,
        page_no: int = 0,
        page_size: int = 40,
        status: str | None = None,
        create_time_from: int | None = None,
        create_time_to: int | None = None,
        update_time_from: int | None = None,
        update_time_to: int | None = None,
    ) -> ReturnPage:
        payload = await self.get(
            "/api/v2/returns/get_return_list",
            shop_id,
            page_no=page_no,
            page_size=page_size,
            status=status,
            create_time_from=create_time_from,
            create_time_to=create_time_to,
            update_time_from=update_time_from,
            update_time_to=update_time_to,
        )
        return ReturnPage.model_validate(payload)


def _check_text(text: str) -> None:
    """Refuse locally what Shopee would refuse anyway (doc 7.4), without spending a call."""
    if not text.strip():
        raise ValueError("refusing to send an empty message")
    if len(text) > MAX_TEXT_CHARS:
        raise SendRestrictedError(
            "message_too_long",
            f"{len(text)} characters; Shopee allows at most {MAX_TEXT_CHARS}",
            path="/api/v2/sellerchat/send_message",
        )
