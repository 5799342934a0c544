"""Listing gaps: facts buyers ask about that the listing does not give, counted per item.

Why: "buyers keep asking about material and the listing does not say" is the
cheapest conversion fix a seller can make. Every question the listing could
not answer adds one to (shop, item, fact) with the languages it came in and
when it was last seen. No buyer text is stored (only counts), so the file holds
nothing personal. One 0600 JSON file, written atomically; a lock keeps
concurrent records from losing counts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.securefile import read_private_json, write_private_json

FORMAT = "yiwaiwai.listing-gaps/1"
MAX_ENTRIES = 5000


@dataclass(frozen=True, slots=True)
class Gap:
    """How often buyers asked about one fact of one item that the listing lacks."""

    shop_id: str
    item_id: str
    fact: str
    count: int
    languages: dict[str, int]
    first_seen: float
    last_seen: float

    def public(self) -> dict[str, object]:
        return {"shop_id": self.shop_id, "item_id": self.item_id, "fact": self.fact,
                "count": self.count, "languages": dict(self.languages),
                "first_seen": self.first_seen, "last_seen": self.last_seen}


def _key(shop_id: str, item_id: str, fact: str) -> str:
    return f"{shop_id}/{item_id}/{fact}"


class GapLog:
    """`<data_dir>/listing/gaps.json`: record, then query per item or per shop."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "listing" / "gaps.json"
        self._lock = threading.Lock()

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = read_private_json(self.path)
        except FileNotFoundError:
            return {}
        return dict(data.get("gaps", {})) if data.get("format") == FORMAT else {}

    def record(self, shop_id: str, item_id: str, facts: Iterable[str], language: str,
               now: float | None = None) -> None:
        """Count one unanswered question about each of `facts`."""
        at = time.time() if now is None else now
        with self._lock:
            gaps = self._read()
            for fact in dict.fromkeys(facts):
                entry = gaps.setdefault(_key(shop_id, item_id, fact), {
                    "shop_id": str(shop_id), "item_id": str(item_id), "fact": fact,
                    "count": 0, "languages": {}, "first_seen": at, "last_seen": at})
                entry["count"] += 1
                entry["languages"][language] = entry["languages"].get(language, 0) + 1
                entry["last_seen"] = at
            if len(gaps) > MAX_ENTRIES:  # keep the most recent when a shop churns through items
                newest = sorted(gaps.items(), key=lambda kv: -kv[1]["last_seen"])[:MAX_ENTRIES]
                gaps = dict(newest)
            write_private_json(self.path, {"format": FORMAT, "gaps": gaps})

    def all(self, shop_id: str | None = None) -> list[Gap]:
        """Gaps, most asked first (optionally of one shop)."""
        with self._lock:
            gaps = self._read()
        out = [Gap(g["shop_id"], g["item_id"], g["fact"], g["count"], dict(g["languages"]),
                   g["first_seen"], g["last_seen"]) for g in gaps.values()
               if shop_id is None or g["shop_id"] == str(shop_id)]
        return sorted(out, key=lambda g: (-g.count, -g.last_seen, g.item_id, g.fact))

    def for_item(self, shop_id: str, item_id: str) -> list[Gap]:
        """What buyers ask about this item that its listing does not say."""
        return [g for g in self.all(shop_id) if g.item_id == str(item_id)]
