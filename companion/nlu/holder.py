"""A swappable reference to the active model: a retrained shop model takes over without restart."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from companion.nlu.types import Understanding
from companion.nlu.understander import Understander


class ModelHolder:
    """Holds the active `Understander`; readers always see a whole model, never half a swap."""

    def __init__(self, understander: Understander) -> None:
        self._current = understander
        self._lock = threading.Lock()

    @property
    def current(self) -> Understander:
        return self._current

    def understand(self, text: str) -> Understanding:
        return self._current.understand(text)

    def swap(self, understander: Understander) -> Understander:
        """Activate `understander`; returns the one it replaced."""
        with self._lock:
            previous, self._current = self._current, understander
        return previous

    def info(self) -> dict[str, Any]:
        """What health and the dashboard show about the active model."""
        model = self._current
        meta = model.meta
        path = Path(model.model_path)
        return {
            "loaded": True,
            "name": path.name,
            "kind": meta.get("kind", "base"),
            "threshold": round(model.threshold, 4),
            "version": meta.get("version"),
            "corpus_digest": meta.get("corpus", {}).get("digest"),
        }
