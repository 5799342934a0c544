"""Host allowlist, error classification and the tolerant, id-exact models."""

from datetime import UTC, datetime

import pytest

from companion.shopee import errors
from companion.shopee.hosts import HostError, base_url, check_base_url
from companion.shopee.models import (
    ChatMessage,
    ConversationPage,
    ModelList,
    NewVoucher,
    Order,
    ReturnPage,
    SentMessage,
)


def test_every_market_but_china_uses_the_global_live_host():
    assert base_url("sg") == "https://partner.shopeemobile.com"
    assert base_url("TW", "live") == "https://partner.shopeemobile.com"
    assert base_url("CN") == "https://openplatform.shopee.cn"


def test_test_environment_uses_the_documented_sandbox_hosts():
    assert base_url("MY", "test") == "https://openplatform.sandbox.test-stable.shopee.sg"
    assert base_url("CN", "test") == "https://openplatform.sandbox.test-stable.shopee.cn"


def test_unknown_region_or_environment_is_refused():
    with pytest.raises(HostError):
        base_url("XX")
    with pytest.raises(HostError):
        base_url("SG", "staging")


def test_only_the_local_sandbox_is_accepted_as_a_custom_base_url():
    assert check_base_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    for url in (
        "http://evil.example:80",
        "https://127.0.0.1:443",
        "http://localhost:8080",
        "http://127.0.0.1",
        "http://127.0.0.1:8080/api",
        "http://user@127.0.0.1:8080",
        "https://partner.shopeemobile.com.evil.example",
    ):
        with pytest.raises(HostError):
            check_base_url(url)


@pytest.mark.parametrize(
    ("code", "message", "cls"),
    [
        ("invalid_acceess_token", "Invalid access_token.", errors.InvalidTokenError),
        ("error_auth", "Invalid access_token.", errors.InvalidTokenError),
        ("error_auth", "No permission to current api.", errors.PermissionDeniedError),
        ("refresh_token_expired", "", errors.ReauthorizeError),
        ("error_sign", "Wrong sign.", errors.SignError),
        ("error_param", "Timestamp is expired.", errors.ParamError),
        ("error_rate_limit", "", errors.RateLimitError),
        ("error_server", "", errors.ServerError),
        ("error_system_busy", "", errors.ServerError),
        ("user_is_forbidden", "", errors.SendRestrictedError),
        ("reach_5_message_limit", "", errors.SendRestrictedError),
        ("first_chat_without_order_info", "", errors.SendRestrictedError),
        ("message_too_long", "", errors.SendRestrictedError),
        ("error_not_found", "", errors.NotFoundError),
        ("something_new", "", errors.ShopeeAPIError),
    ],
)
def test_envelope_errors_map_to_the_specific_class(code, message, cls):
    exc = errors.classify(code, message, "req-1", path="/api/v2/order/get_order_list")
    assert type(exc) is cls
    assert exc.error == code and exc.request_id == "req-1"


def test_duplicate_text_is_a_send_restriction_only_on_send_paths():
    on_send = errors.classify("error_business", "", path="/api/v2/sellerchat/send_message")
    elsewhere = errors.classify("error_business", "", path="/api/v2/order/set_note")
    assert isinstance(on_send, errors.SendRestrictedError)
    assert on_send.reason == "error_business"
    assert not isinstance(elsewhere, errors.SendRestrictedError)


def test_daily_limit_resumes_at_the_next_midnight_in_utc_plus_8():
    # 2024-01-01 15:59:59 UTC is 23:59:59 in UTC+8 -> resumes at 16:00:00 UTC.
    now = datetime(2024, 1, 1, 15, 59, 59, tzinfo=UTC).timestamp()
    exc = errors.classify("error_limit", "", now=now)
    assert isinstance(exc, errors.DailyLimitError)
    assert exc.resume_at == datetime(2024, 1, 1, 16, 0, 0, tzinfo=UTC)
    after = datetime(2024, 1, 1, 16, 0, 0, tzinfo=UTC).timestamp()
    assert errors.next_quota_reset(after) == datetime(2024, 1, 2, 16, 0, 0, tzinfo=UTC)


def test_error_messages_never_show_query_strings_or_tokens():
    exc = errors.classify(
        "error_auth",
        "bad call https://x/api?access_token=abcdef123456&sign=ffff",
        path="/api/v2/shop/get_shop_info?access_token=abcdef123456&sign=ffff",
    )
    assert "abcdef123456" not in str(exc)
    assert "ffff" not in str(exc)
    assert "/api/v2/shop/get_shop_info" in str(exc)


def test_big_ids_stay_exact_strings():
    big = 2**63 - 5
    message = ChatMessage.model_validate(
        {"message_id": big, "conversation_id": big - 1, "content": {"text": "hi"}, "x": 1}
    )
    assert message.message_id == str(big)
    assert message.conversation_id == str(big - 1)
    assert message.text == "hi"


def test_ids_refuse_floats():
    with pytest.raises(ValueError):
        SentMessage.model_validate({"conversation_id": 1.5e18})


def test_conversation_cursor_keeps_the_nanosecond_value():
    page = ConversationPage.model_validate(
        {
            "conversations": [
                {
                    "conversation_id": "1",
                    "to_id": 7,
                    "latest_message_from_id": 7,
                    "last_message_timestamp": 1700000000123456789,
                }
            ],
            "page_result": {
                "more": True,
                "next_cursor": {"next_message_time_nano": 1700000000123456789},
            },
        }
    )
    assert page.next_cursor_nano == "1700000000123456789"
    conversation = page.conversations[0]
    assert conversation.last_message_time == 1700000000
    assert conversation.buyer_spoke_last


def test_order_detail_tolerates_placeholders_and_unknown_fields():
    order = Order.model_validate(
        {
            "order_sn": "2401015ABC",
            "order_status": "SHIPPED",
            "buyer_user_id": 123,
            "estimated_shipping_fee": "-",
            "new_2027_field": {"x": 1},
            "item_list": [{"item_id": 9, "model_id": 0, "model_quantity_purchased": 2}],
        }
    )
    assert order.buyer_user_id == "123"
    assert order.estimated_shipping_fee is None
    assert order.item_list[0].item_id == "9"


def test_model_list_names_options_of_a_variant():
    models = ModelList.model_validate(
        {
            "tier_variation": [
                {"name": "Colour", "option_list": [{"option": "Red"}, {"option": "Blue"}]},
                {"name": "Size", "option_list": [{"option": "M"}, {"option": "XL"}]},
            ],
            "model": [
                {
                    "model_id": 5,
                    "tier_index": [1, 0],
                    "stock_info_v2": {"summary_info": {"total_available_stock": 3}},
                }
            ],
        }
    )
    assert models.option_names(models.model[0]) == ["Blue", "M"]
    assert models.model[0].available_stock == 3


def test_returns_are_read_from_the_reserved_word_key():
    page = ReturnPage.model_validate({"more": False, "return": [{"return_sn": 1, "order_sn": "A"}]})
    assert page.returns[0].return_sn == "1"


def test_voucher_codes_are_checked_before_a_call_is_spent():
    with pytest.raises(ValueError):
        NewVoucher(
            voucher_name="x",
            voucher_code="TOOLONG",
            start_time=1,
            end_time=2,
            usage_quantity=1,
            min_basket_price=0,
        )
    voucher = NewVoucher(
        voucher_name="Thanks",
        voucher_code="TY5",
        start_time=1,
        end_time=2,
        usage_quantity=1,
        min_basket_price=10,
        discount_amount=2,
        item_id_list=["18446744073709551"],
    )
    assert voucher.body()["item_id_list"] == [18446744073709551]
    assert "percentage" not in voucher.body()
