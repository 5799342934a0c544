"""Typed views of Shopee v2 payloads (shopee doc sections 3-7, 9, 10, 12).

Tolerant of what the API adds (unknown fields are ignored) and strict about
ids: every id is a `str` at this boundary, because chat and order ids can pass
2**53 and must never round-trip through a float. Integers are accepted and
converted exactly; floats are refused.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator


def _id_to_str(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("an id cannot be a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError("ids must not pass through float (precision loss above 2**53)")
    return value


def _empty_to_none(value: Any) -> Any:
    return None if value in ("", "-") else value


Id = Annotated[str, BeforeValidator(_id_to_str)]
OptId = Annotated[str | None, BeforeValidator(lambda v: _empty_to_none(_id_to_str(v)))]
OptFloat = Annotated[float | None, BeforeValidator(_empty_to_none)]
OptInt = Annotated[int | None, BeforeValidator(_empty_to_none)]


class ShopeeModel(BaseModel):
    """Base: ignore unknown fields, keep instances immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


# --- auth and shop -------------------------------------------------------------------------------


class TokenGrant(ShopeeModel):
    """Top-level payload of auth/token/get and auth/access_token/get."""

    access_token: str
    refresh_token: str
    expire_in: int
    shop_id: OptId = None
    merchant_id: OptId = None
    shop_id_list: list[Id] = Field(default_factory=list)
    merchant_id_list: list[Id] = Field(default_factory=list)


class ShopInfo(ShopeeModel):
    """Top-level payload of shop/get_shop_info."""

    shop_name: str = ""
    region: str = ""
    status: str = ""
    is_cb: bool = False
    is_sip: bool = False
    auth_time: OptInt = None
    expire_time: OptInt = None
    merchant_id: OptId = None


class AuthedShop(ShopeeModel):
    shop_id: Id
    region: str = ""
    auth_time: OptInt = None
    expire_time: OptInt = None


class AuthedShopPage(ShopeeModel):
    """Top-level payload of public/get_shops_by_partner."""

    authed_shop_list: list[AuthedShop] = Field(default_factory=list)
    more: bool = False


# --- orders --------------------------------------------------------------------------------------


class OrderRef(ShopeeModel):
    order_sn: str
    order_status: str | None = None
    booking_sn: str | None = None


class OrderListPage(ShopeeModel):
    """response of order/get_order_list; pass `next_cursor` back while `more`."""

    more: bool = False
    next_cursor: str = ""
    order_list: list[OrderRef] = Field(default_factory=list)


class ImageInfo(ShopeeModel):
    image_url: str = ""


class OrderItem(ShopeeModel):
    item_id: Id
    item_name: str = ""
    item_sku: str = ""
    model_id: Id = "0"
    model_name: str = ""
    model_sku: str = ""
    model_quantity_purchased: int = 0
    model_original_price: OptFloat = None
    model_discounted_price: OptFloat = None
    image_info: ImageInfo | None = None


class Package(ShopeeModel):
    package_number: str = ""
    logistics_status: str = ""
    shipping_carrier: str = ""


class Order(ShopeeModel):
    """One entry of order/get_order_detail (default fields plus the optional ones we request)."""

    order_sn: str
    region: str = ""
    currency: str = ""
    cod: bool = False
    order_status: str = ""
    message_to_seller: str = ""
    create_time: int = 0
    update_time: int = 0
    pay_time: OptInt = None
    days_to_ship: OptInt = None
    ship_by_date: OptInt = None
    booking_sn: str = ""
    buyer_user_id: OptId = None
    buyer_username: str = ""
    estimated_shipping_fee: OptFloat = None
    actual_shipping_fee: OptFloat = None
    total_amount: OptFloat = None
    shipping_carrier: str = ""
    payment_method: str = ""
    note: str = ""
    note_update_time: OptInt = None
    cancel_by: str = ""
    cancel_reason: str = ""
    buyer_cancel_reason: str = ""
    item_list: list[OrderItem] = Field(default_factory=list)
    package_list: list[Package] = Field(default_factory=list)
    # Optional field `edt`: Shopee's estimated delivery window, Unix seconds (0 / absent: none).
    edt_from: OptInt = None
    edt_to: OptInt = None

    @property
    def estimated_delivery(self) -> int | None:
        """The latest day of Shopee's estimated delivery window (what "arrives by" means)."""
        return self.edt_to or self.edt_from or None


class OrderDetailList(ShopeeModel):
    order_list: list[Order] = Field(default_factory=list)


class OrderUpdate(ShopeeModel):
    """Result of set_note / cancel_order / handle_buyer_cancellation."""

    update_time: OptInt = None


# --- logistics -----------------------------------------------------------------------------------


class TrackingNumber(ShopeeModel):
    tracking_number: str = ""
    plp_number: str = ""
    first_mile_tracking_number: str = ""
    last_mile_tracking_number: str = ""
    hint: str = ""
    pickup_code: str = ""


class TrackingEvent(ShopeeModel):
    update_time: int = 0
    description: str = ""
    logistics_status: str = ""


class TrackingInfo(ShopeeModel):
    order_sn: str = ""
    package_number: str = ""
    logistics_status: str = ""
    tracking_info: list[TrackingEvent] = Field(default_factory=list)


# --- products ------------------------------------------------------------------------------------


class PriceInfo(ShopeeModel):
    currency: str = ""
    original_price: OptFloat = None
    current_price: OptFloat = None


class StockSummary(ShopeeModel):
    total_available_stock: int = 0
    total_reserved_stock: int = 0


class LocationStock(ShopeeModel):
    location_id: str = ""
    stock: int = 0


class StockInfo(ShopeeModel):
    """`stock_info_v2`; `available` is what answers "in stock?"."""

    summary_info: StockSummary = Field(default_factory=StockSummary)
    seller_stock: list[LocationStock] = Field(default_factory=list)
    shopee_stock: list[LocationStock] = Field(default_factory=list)

    @property
    def available(self) -> int:
        return self.summary_info.total_available_stock


class ItemImage(ShopeeModel):
    image_url_list: list[str] = Field(default_factory=list)


class ItemSummary(ShopeeModel):
    item_id: Id
    item_status: str = ""
    update_time: int = 0


class ItemListPage(ShopeeModel):
    item: list[ItemSummary] = Field(default_factory=list)
    total_count: int = 0
    has_next_page: bool = False
    next_offset: int = 0


class ItemBaseInfo(ShopeeModel):
    item_id: Id
    category_id: OptId = None
    item_name: str = ""
    description: str = ""
    item_sku: str = ""
    item_status: str = ""
    create_time: int = 0
    update_time: int = 0
    has_model: bool = False
    condition: str = ""
    weight: OptFloat = None
    price_info: list[PriceInfo] = Field(default_factory=list)
    image: ItemImage | None = None
    stock_info_v2: StockInfo | None = None


class ItemBaseInfoList(ShopeeModel):
    item_list: list[ItemBaseInfo] = Field(default_factory=list)


class VariationOption(ShopeeModel):
    option: str = ""


class TierVariation(ShopeeModel):
    name: str = ""
    option_list: list[VariationOption] = Field(default_factory=list)


class ItemModel(ShopeeModel):
    """One variant (model) of an item, with its own price and stock."""

    model_id: Id
    tier_index: list[int] = Field(default_factory=list)
    model_sku: str = ""
    model_status: str = ""
    price_info: list[PriceInfo] = Field(default_factory=list)
    stock_info_v2: StockInfo | None = None

    @property
    def available_stock(self) -> int:
        return self.stock_info_v2.available if self.stock_info_v2 else 0


class ModelList(ShopeeModel):
    tier_variation: list[TierVariation] = Field(default_factory=list)
    model: list[ItemModel] = Field(default_factory=list)

    def option_names(self, model: ItemModel) -> list[str]:
        """Human names of a model's options, e.g. ["Red", "XL"]."""
        names = []
        for tier, index in zip(self.tier_variation, model.tier_index, strict=False):
            if 0 <= index < len(tier.option_list):
                names.append(tier.option_list[index].option)
        return names


# --- seller chat ---------------------------------------------------------------------------------

NS_PER_SECOND = 1_000_000_000


class Conversation(ShopeeModel):
    conversation_id: Id
    to_id: Id
    to_name: str = ""
    to_avatar: str = ""
    shop_id: OptId = None
    unread_count: int = 0
    pinned: bool = False
    last_read_message_id: OptId = None
    latest_message_id: OptId = None
    latest_message_type: str = ""
    latest_message_content: dict[str, Any] = Field(default_factory=dict)
    latest_message_from_id: OptId = None
    last_message_timestamp: int = 0

    @field_validator("latest_message_content", mode="before")
    @classmethod
    def _content_or_empty(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}

    @property
    def last_message_time(self) -> int:
        """`last_message_timestamp` is nanoseconds; this is whole seconds."""
        return self.last_message_timestamp // NS_PER_SECOND

    @property
    def buyer_spoke_last(self) -> bool:
        return self.latest_message_from_id is not None and self.latest_message_from_id == self.to_id


class ConversationCursor(ShopeeModel):
    next_message_time_nano: OptId = None
    conversation_id: OptId = None


class ConversationPageResult(ShopeeModel):
    page_size: int = 0
    more: bool = False
    next_cursor: ConversationCursor = Field(default_factory=ConversationCursor)


class ConversationPage(ShopeeModel):
    """get_conversation_list; pass `next_cursor_nano` back as `next_timestamp_nano`."""

    conversations: list[Conversation] = Field(default_factory=list)
    page_result: ConversationPageResult = Field(default_factory=ConversationPageResult)

    @property
    def next_cursor_nano(self) -> str | None:
        return (
            self.page_result.next_cursor.next_message_time_nano if self.page_result.more else None
        )


class ChatMessage(ShopeeModel):
    message_id: Id
    conversation_id: Id
    message_type: str = ""
    from_id: OptId = None
    to_id: OptId = None
    from_shop_id: OptId = None
    to_shop_id: OptId = None
    content: dict[str, Any] = Field(default_factory=dict)
    created_timestamp: int = 0
    region: str = ""
    status: str = ""
    source: str = ""
    source_content: dict[str, Any] = Field(default_factory=dict)

    @field_validator("content", "source_content", mode="before")
    @classmethod
    def _dict_or_empty(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}

    @property
    def text(self) -> str | None:
        value = self.content.get("text")
        return value if isinstance(value, str) else None

    @property
    def is_automatic(self) -> bool:
        return self.status in ("auto_reply", "offwork_autoreply")


class MessagePageResult(ShopeeModel):
    next_offset: OptId = None
    page_size: int = 0


class MessagePage(ShopeeModel):
    messages: list[ChatMessage] = Field(default_factory=list)
    page_result: MessagePageResult = Field(default_factory=MessagePageResult)


class SentMessage(ShopeeModel):
    """send_message / send_autoreply_message result; `conversation_id` may arrive as a number."""

    message_id: OptId = None
    conversation_id: OptId = None
    to_id: OptId = None
    message_type: str = ""
    content: dict[str, Any] = Field(default_factory=dict)
    created_timestamp: OptInt = None
    region: str = ""

    @field_validator("content", mode="before")
    @classmethod
    def _dict_or_empty(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {}


class ReadConversationResult(ShopeeModel):
    conversation_id: OptId = None
    last_read_message_id: OptId = None
    unread_count: OptInt = None


class UnreadCount(ShopeeModel):
    total_unread_count: int = 0


# --- vouchers, performance, returns --------------------------------------------------------------


class NewVoucher(ShopeeModel):
    """Input of voucher/add_voucher; validated before a call is spent on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    voucher_name: str = Field(min_length=1)
    voucher_code: str = Field(pattern=r"^[0-9A-Za-z]{1,5}$")
    start_time: int
    end_time: int
    voucher_type: Literal[1, 2] = 1
    reward_type: Literal[1, 2, 3] = 1
    usage_quantity: int = Field(ge=1)
    min_basket_price: float = Field(ge=0)
    discount_amount: float | None = None
    percentage: int | None = None
    max_price: float | None = None
    display_channel_list: list[int] = Field(default_factory=list)
    item_id_list: list[Id] = Field(default_factory=list)

    def body(self) -> dict[str, Any]:
        """JSON body with ids as exact integers, as the API expects int64."""
        data = self.model_dump(exclude_none=True)
        data["item_id_list"] = [int(i) for i in self.item_id_list]
        if not data["item_id_list"]:
            del data["item_id_list"]
        return data


class VoucherCreated(ShopeeModel):
    voucher_id: Id


class MetricTarget(ShopeeModel):
    value: OptFloat = None
    comparator: str = ""


class Metric(ShopeeModel):
    metric_id: int
    metric_name: str = ""
    metric_type: OptInt = None
    parent_metric_id: OptInt = None
    current_period: OptFloat = None
    last_period: OptFloat = None
    unit: OptInt = None
    target: MetricTarget | None = None


CHAT_RESPONSE_RATE_METRIC = 11
RESPONSE_TIME_METRIC = 21


class ShopPerformance(ShopeeModel):
    metric_list: list[Metric] = Field(default_factory=list)

    def metric(self, metric_id: int) -> Metric | None:
        return next((m for m in self.metric_list if m.metric_id == metric_id), None)


class ReturnUser(ShopeeModel):
    username: str = ""


class ReturnItem(ShopeeModel):
    item_id: Id
    model_id: Id = "0"
    name: str = ""
    amount: int = 0
    item_price: OptFloat = None


class ReturnRecord(ShopeeModel):
    return_sn: Id
    order_sn: str = ""
    status: str = ""
    reason: str = ""
    text_reason: str = ""
    refund_amount: OptFloat = None
    currency: str = ""
    create_time: int = 0
    update_time: int = 0
    due_date: OptInt = None
    tracking_number: str = ""
    needs_logistics: bool = False
    negotiation_status: str = ""
    user: ReturnUser | None = None
    item: list[ReturnItem] = Field(default_factory=list)


class ReturnPage(ShopeeModel):
    more: bool = False
    returns: list[ReturnRecord] = Field(default_factory=list, alias="return")
