"""Auto mode per shop: on means eligible replies go out by themselves.

Kept on disk so a restart keeps the seller's choice; off by default, because
a seller must opt in to anything sent without their click. A pause (the tray's
"pause for 30 minutes") is a kill switch over every shop: while it lasts
`is_auto` is False whatever the switches say; it ends by itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from companion.securefile import read_private_json, write_private_json

ModeListener = Callable[[dict[str, bool]], None]
PAUSED_KEY = "paused_until"


class UnknownShopError(KeyError):
    """The shop id is not one of the companion's shops."""


class ModeState:
    """Thread-safe auto-mode switches, one per shop, persisted atomically."""

    def __init__(
        self, path: Path, shop_ids: Iterable[str], clock: Callable[[], float] = time.time
    ) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._listeners: list[ModeListener] = []
        self._clock = clock
        saved = read_private_json(path) if path.exists() else {}
        self._auto = {str(s): bool(saved.get(str(s), False)) for s in shop_ids}
        paused = saved.get(PAUSED_KEY)
        self._paused_until = float(paused) if isinstance(paused, int | float) else None

    def snapshot(self) -> dict[str, bool]:
        with self._lock:
            return dict(self._auto)

    def is_auto(self, shop_id: str) -> bool:
        """Whether replies for the shop may go out by themselves now (False while paused)."""
        with self._lock:
            return self._auto.get(str(shop_id), False) and not self._paused_locked()

    @property
    def paused_until(self) -> float | None:
        """Unix time the pause ends, or None when automation is not paused."""
        with self._lock:
            return self._paused_until if self._paused_locked() else None

    def pause(self, seconds: float) -> float:
        """Stop all automatic sending for `seconds`; returns when it ends."""
        with self._lock:
            self._paused_until = self._clock() + seconds
            until = self._paused_until
            state = self._save_locked()
        self._notify(state)
        return until

    def resume(self) -> None:
        """End a pause early."""
        with self._lock:
            self._paused_until = None
            state = self._save_locked()
        self._notify(state)

    def _paused_locked(self) -> bool:
        return self._paused_until is not None and self._clock() < self._paused_until

    def _save_locked(self) -> dict[str, bool]:
        state = dict(self._auto)
        extra = {PAUSED_KEY: self._paused_until} if self._paused_locked() else {}
        write_private_json(self._path, {**state, **extra})
        return state

    def _notify(self, state: dict[str, bool]) -> None:
        for listener in list(self._listeners):
            listener(state)

    def set_auto(self, auto: bool, shop_id: str | None = None) -> dict[str, bool]:
        """Switch one shop, or every shop when `shop_id` is None; returns the new state."""
        with self._lock:
            if shop_id is not None and str(shop_id) not in self._auto:
                raise UnknownShopError(shop_id)
            for sid in self._auto if shop_id is None else [str(shop_id)]:
                self._auto[sid] = auto
            state = self._save_locked()
        self._notify(state)
        return state

    def subscribe(self, listener: ModeListener) -> None:
        """Call `listener` with the new state after every change, pause and resume included."""
        self._listeners.append(listener)
