"""The documented signature vectors (shopee-open-platform.md 2.2 and 8.4), byte for byte."""

import pytest

from companion.shopee.signing import base_string, push_signature, sign, verify_push

KEY = "57615053704d6470644f554a78656d50484143644964436a5568777544524579"
PARTNER = 2001887
TS = 1655714431
SHOP_TOKEN = "59777174636562737266615546704c6d"
SHOP_ID = 14701711
MERCHANT_TOKEN = "09777174636962737266615546704c6d"
MERCHANT_ID = 1000000


def test_shop_signature_matches_the_official_example():
    assert (
        sign(KEY, PARTNER, "/api/v2/shop/get_shop_info", TS, SHOP_TOKEN, SHOP_ID)
        == "b914bea03c13799deb036bb9d10e689f5a6bade160c44af568646f1ef7d796c1"
    )


def test_merchant_signature_matches_the_official_example():
    assert (
        sign(KEY, PARTNER, "/api/v2/global_product/get_category", TS, MERCHANT_TOKEN, MERCHANT_ID)
        == "a50a2229b148e76048e21ad69a9d619885a21bd4aa7738bc524e1207df73a151"
    )


def test_public_signature_matches_the_official_example():
    assert (
        sign(KEY, PARTNER, "/api/v2/public/get_shops_by_partner", TS)
        == "60ab8c4a535009ab33b8a0029ee18a667ef6eaeb16481ed3d573a5059122d4df"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/api/v2/shop/auth_partner",
            "0073b5b6e36428d5f469ae927416d50b34ed92480534178c39c7347be0535402",
        ),
        (
            "/api/v2/auth/token/get",
            "a04e209270a2b5ad27d10a237a3f4ba9715aa3f109de7c4d52973a17ddd932ee",
        ),
        (
            "/api/v2/auth/access_token/get",
            "ec228461f4fda091fec25c8ff7102fe6865f07aa0159c7ff690a241d968b4f5e",
        ),
    ],
)
def test_public_signatures_match_the_extra_vectors(path, expected):
    assert sign(KEY, PARTNER, path, TS) == expected


def test_leading_zeros_are_kept_in_a_64_char_lowercase_sign():
    result = sign(KEY, PARTNER, "/api/v2/shop/auth_partner", TS)
    assert len(result) == 64
    assert result.startswith("00")
    assert result == result.lower()


def test_send_message_signature_matches_the_extra_vector():
    assert (
        sign(KEY, PARTNER, "/api/v2/sellerchat/send_message", TS, SHOP_TOKEN, SHOP_ID)
        == "1b9ab78693ca1b9de05047577cfe4ac5ad279a206c964bd1300694f79221798c"
    )


def test_ids_given_as_strings_sign_the_same_as_integers():
    assert sign(
        KEY, str(PARTNER), "/api/v2/shop/get_shop_info", str(TS), SHOP_TOKEN, str(SHOP_ID)
    ) == (sign(KEY, PARTNER, "/api/v2/shop/get_shop_info", TS, SHOP_TOKEN, SHOP_ID))


def test_base_string_is_plain_concatenation_in_documented_order():
    assert base_string(PARTNER, "/api/v2/shop/get_shop_info", TS, SHOP_TOKEN, SHOP_ID) == (
        "2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711"
    )


@pytest.mark.parametrize("path", ["api/v2/x", "/api/v2/x/", "/api/v2/x?a=1", "https://h/api/v2/x"])
def test_a_path_with_host_query_or_trailing_slash_is_refused(path):
    with pytest.raises(ValueError):
        sign(KEY, PARTNER, path, TS)


def test_a_shop_signature_without_shop_id_is_refused():
    with pytest.raises(ValueError):
        sign(KEY, PARTNER, "/api/v2/shop/get_shop_info", TS, SHOP_TOKEN)


def test_push_signature_matches_the_short_body_vector():
    body = b'{"shop_id":123,"code":1}'
    assert push_signature(KEY, "https://example.com/shopee/push", body) == (
        "5f2ca9f6c64e58aa5af5d28ae9e62a49363df59072cdc501232e444720923f89"
    )


def test_push_signature_matches_the_official_example_body():
    body = (
        b'{"shop_id": 123, "code": 1, "success": 1, "extra": "shop_id 123 is authorized '
        b'successfully", "data": {"more_info": "more info"}, "timestamp": 1470198856}'
    )
    assert push_signature(KEY, "https://example.com/shopee/push", body) == (
        "5d72f98932c644f0911b33571b2e0a37e2b3217600a41c08ba02a847b46e715e"
    )


def test_verify_push_accepts_the_right_signature_and_rejects_tampering():
    url = "https://example.com/shopee/push"
    body = b'{"shop_id":123,"code":1}'
    good = "5f2ca9f6c64e58aa5af5d28ae9e62a49363df59072cdc501232e444720923f89"
    assert verify_push(KEY, url, body, good)
    assert not verify_push(KEY, url, body + b" ", good)
    assert not verify_push(KEY, url + "/", body, good)
    assert not verify_push(KEY, url, body, None)
    assert not verify_push(KEY, url, body, "ünicode")
