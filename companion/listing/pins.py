"""The seller's pinned picks per shop: items to recommend first, in the seller's order.

Kept in `<data_dir>/listing/pins.json` (0600) so the dashboard can set them and a
restart keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from companion.securefile import read_private_json, write_private_json

MAX_PINS = 20


class PinStore:
    """Read and replace one shop's pinned item ids."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "listing" / "pins.json"

    def _read(self) -> dict[str, list[str]]:
        try:
            data = read_private_json(self.path)
        except FileNotFoundError:
            return {}
        return {str(k): [str(i) for i in v] for k, v in dict(data).items()}

    def get(self, shop_id: str) -> list[str]:
        return self._read().get(str(shop_id), [])

    def set(self, shop_id: str, item_ids: Sequence[str]) -> list[str]:
        """Replace the shop's pins (duplicates dropped, at most MAX_PINS, digits only)."""
        ids = [str(i) for i in dict.fromkeys(item_ids)]
        if any(not i.isdigit() for i in ids):
            raise ValueError("item ids must be digits")
        data = self._read()
        data[str(shop_id)] = ids[:MAX_PINS]
        write_private_json(self.path, data)
        return data[str(shop_id)]
