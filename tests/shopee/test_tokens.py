"""Per-shop token files: 0600, atomic, and a failed write never loses the previous pair."""

import os
import stat

import pytest

from companion.shopee.models import TokenGrant
from companion.shopee.tokens import ShopTokens, TokenStore


def _tokens(access: str, refresh: str, shop_id: str = "1001") -> ShopTokens:
    return ShopTokens(
        shop_id=shop_id, access_token=access, refresh_token=refresh, expires_at=5000, issued_at=1000
    )


def test_tokens_are_stored_per_shop_with_owner_only_permissions(tmp_path):
    store = TokenStore(tmp_path)
    store.save(_tokens("a1", "r1"))
    path = tmp_path / "tokens" / "1001.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert store.load("1001") == _tokens("a1", "r1")
    assert store.load("2002") is None
    assert store.shop_ids() == ["1001"]


def test_a_crash_before_the_rename_keeps_the_previous_tokens_readable(tmp_path, monkeypatch):
    store = TokenStore(tmp_path)
    store.save(_tokens("old-access", "old-refresh"))

    def crash(*_args):
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        store.save(_tokens("new-access", "new-refresh"))
    monkeypatch.undo()
    assert store.load("1001") == _tokens("old-access", "old-refresh")
    assert [p.name for p in (tmp_path / "tokens").iterdir()] == ["1001.json"]


def test_a_crash_while_syncing_the_temp_file_keeps_the_previous_tokens(tmp_path, monkeypatch):
    store = TokenStore(tmp_path)
    store.save(_tokens("old-access", "old-refresh"))
    monkeypatch.setattr(os, "fsync", lambda _fd: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        store.save(_tokens("new-access", "new-refresh"))
    monkeypatch.undo()
    assert store.load("1001").refresh_token == "old-refresh"


def test_a_successful_save_replaces_the_refresh_token(tmp_path):
    store = TokenStore(tmp_path)
    store.save(_tokens("a1", "r1"))
    store.save(_tokens("a2", "r2"))
    assert store.load("1001").refresh_token == "r2"


def test_shop_ids_that_could_escape_the_folder_are_refused(tmp_path):
    store = TokenStore(tmp_path)
    for bad in ("../x", "1/2", "", "abc"):
        with pytest.raises(ValueError):
            store.path(bad)


def test_expiry_accepts_seconds_or_an_absolute_epoch():
    relative = ShopTokens.from_grant(
        "1", TokenGrant(access_token="a", refresh_token="r", expire_in=14400), now=1_700_000_000
    )
    absolute = ShopTokens.from_grant(
        "1",
        TokenGrant(access_token="a", refresh_token="r", expire_in=1_700_014_400),
        now=1_700_000_000,
    )
    assert relative.expires_at == absolute.expires_at == 1_700_014_400


def test_refresh_is_due_five_minutes_ahead_or_a_quarter_of_a_short_lifetime():
    four_hours = _tokens("a", "r").model_copy(update={"issued_at": 0, "expires_at": 14400})
    assert not four_hours.needs_refresh(14400 - 301, ahead=300)
    assert four_hours.needs_refresh(14400 - 299, ahead=300)
    one_minute = four_hours.model_copy(update={"expires_at": 60})
    assert not one_minute.needs_refresh(44, ahead=300)
    assert one_minute.needs_refresh(46, ahead=300)
