"""Per-shop Shopee tokens on disk: <dir>/tokens/<shop_id>.json, 0600, replaced atomically.

Refresh tokens are single use and rotate on every refresh (shopee doc 3.3), so
losing the new one forces the seller to re-authorize. `save` therefore goes
through `companion.securefile.write_private_json`: the new pair is written to a
fresh 0600 temp file, fsynced and renamed over the old file. Until that rename
the previous file is intact; after it the new pair is durable. Nothing else
ever deletes a token file except `forget`.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from companion.securefile import read_private_json, write_private_json
from companion.shopee.models import Id, TokenGrant

_SHOP_ID = re.compile(r"^[0-9]{1,20}$")
EPOCH_THRESHOLD = 1_000_000_000  # an `expire_in` this large is an absolute time (doc 3.2)


class ShopTokens(BaseModel):
    """One shop's current pair and when the access token stops working (Unix seconds)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    shop_id: Id
    access_token: str = Field(min_length=1)
    refresh_token: str = Field(min_length=1)
    expires_at: float
    issued_at: float

    @property
    def lifetime(self) -> float:
        return max(0.0, self.expires_at - self.issued_at)

    def needs_refresh(self, now: float, ahead: float) -> bool:
        """True when less than `ahead` seconds (at most a quarter of the lifetime) remain."""
        margin = min(ahead, self.lifetime / 4)
        return now >= self.expires_at - margin

    @classmethod
    def from_grant(cls, shop_id: str, grant: TokenGrant, now: float) -> ShopTokens:
        expire_in = grant.expire_in
        expires_at = float(expire_in) if expire_in >= EPOCH_THRESHOLD else now + expire_in
        return cls(
            shop_id=shop_id,
            access_token=grant.access_token,
            refresh_token=grant.refresh_token,
            expires_at=expires_at,
            issued_at=now,
        )


def check_shop_id(shop_id: str) -> str:
    """Shop ids are decimal digits; anything else could escape the tokens folder."""
    if not _SHOP_ID.match(shop_id):
        raise ValueError(f"not a shop id: {shop_id!r}")
    return shop_id


class TokenStore:
    """Reads and writes `<root>/tokens/<shop_id>.json` through the secure-file helpers."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / "tokens"

    def path(self, shop_id: str) -> Path:
        return self.folder / f"{check_shop_id(str(shop_id))}.json"

    def load(self, shop_id: str) -> ShopTokens | None:
        """The stored pair, or None when the shop was never authorized."""
        try:
            data = read_private_json(self.path(shop_id))
        except FileNotFoundError:
            return None
        return ShopTokens.model_validate(data)

    def save(self, tokens: ShopTokens) -> None:
        """Durably replace the shop's pair (new file complete before the old one goes)."""
        write_private_json(self.path(tokens.shop_id), tokens.model_dump(mode="json"))

    def shop_ids(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.json") if _SHOP_ID.match(p.stem))

    def forget(self, shop_id: str) -> None:
        self.path(shop_id).unlink(missing_ok=True)
