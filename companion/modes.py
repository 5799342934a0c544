"""Auto mode per shop: on means eligible replies go out by themselves.

Kept on disk so a restart keeps the seller's choice; off by default, because
a seller must opt in to anything sent without their click.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from companion.securefile import read_private_json, write_private_json

ModeListener = Callable[[dict[str, bool]], None]


class UnknownShopError(KeyError):
    """The shop id is not one of the companion's shops."""


class ModeState:
    """Thread-safe auto-mode switches, one per shop, persisted atomically."""

    def __init__(self, path: Path, shop_ids: Iterable[str]) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._listeners: list[ModeListener] = []
        saved = read_private_json(path) if path.exists() else {}
        self._auto = {str(s): bool(saved.get(str(s), False)) for s in shop_ids}

    def snapshot(self) -> dict[str, bool]:
        with self._lock:
            return dict(self._auto)

    def is_auto(self, shop_id: str) -> bool:
        with self._lock:
            return self._auto.get(str(shop_id), False)

    def set_auto(self, auto: bool, shop_id: str | None = None) -> dict[str, bool]:
        """Switch one shop, or every shop when `shop_id` is None; returns the new state."""
        with self._lock:
            if shop_id is not None and str(shop_id) not in self._auto:
                raise UnknownShopError(shop_id)
            for sid in self._auto if shop_id is None else [str(shop_id)]:
                self._auto[sid] = auto
            state = dict(self._auto)
            write_private_json(self._path, state)
        for listener in list(self._listeners):
            listener(state)
        return state

    def subscribe(self, listener: ModeListener) -> None:
        """Call `listener` with the new state after every change (tray, WebSocket)."""
        self._listeners.append(listener)
