"""The signed consent link and the redirect parsing (shopee doc 3.1)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from companion.shopee.auth import authorization_url, parse_redirect
from companion.shopee.hosts import HostError

KEY = "57615053704d6470644f554a78656d50484143644964436a5568777544524579"


def test_authorization_link_carries_the_public_sign_and_redirect():
    url = authorization_url(
        "https://partner.shopeemobile.com", 2001887, KEY, "http://127.0.0.1:8733/cb", 1655714431
    )
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://partner.shopeemobile.com/api/v2/shop/auth_partner"
    )
    assert query == {
        "partner_id": "2001887",
        "timestamp": "1655714431",
        "sign": "0073b5b6e36428d5f469ae927416d50b34ed92480534178c39c7347be0535402",
        "redirect": "http://127.0.0.1:8733/cb",
    }


def test_authorization_link_refuses_hosts_off_the_allowlist():
    with pytest.raises(HostError):
        authorization_url("https://phish.example", 1, KEY, "http://127.0.0.1:1/cb", 1)


def test_a_shop_redirect_is_parsed():
    redirect = parse_redirect({"code": "abc", "shop_id": "1001"})
    assert (redirect.code, redirect.shop_id, redirect.main_account_id) == ("abc", "1001", None)


@pytest.mark.parametrize(
    "query",
    [
        {"shop_id": "1"},
        {"code": "abc"},
        {"code": "abc", "shop_id": "1", "main_account_id": "2"},
        {"code": "abc", "shop_id": "../1"},
    ],
)
def test_unusable_redirects_are_refused(query):
    with pytest.raises(ValueError):
        parse_redirect(query)
