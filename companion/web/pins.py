"""Pairing state: the current secret (rotated on revoke) and the pinned extension origin.

Trust on first use (security.md decision 4/5): until an extension completes the
challenge-response once, the candidates are `settings.extension_ids` plus the id of
the extension we ship (fixed by the manifest `key`). The first origin that proves
the secret is pinned in `<data_dir>/state/extension_pin.json`; from then on the
gate accepts the configured ids and the pinned origin only. Revoking the pairing
clears the pin together with rotating the secret.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from companion.pairing import load_or_create_secret, rotate_secret
from companion.securefile import read_private_json, write_private_json

# sha256(manifest "key")[:32] in the a-p alphabet; tests/web/test_ws_conformance.py checks it.
SHIPPED_EXTENSION_ID = "ockdojieipbbfmcfijlbhhffkflpbhmf"


def pin_path(data_dir: Path) -> Path:
    return data_dir / "state" / "extension_pin.json"


def extension_origin(extension_id: str) -> str:
    return f"chrome-extension://{extension_id.lower()}"


class PairingState:
    """The secret and the pinned origin (both persisted); the gate and the hub read them here."""

    def __init__(self, data_dir: Path, configured_ids: Iterable[str] = ()) -> None:
        self._data_dir = data_dir
        self._path = pin_path(data_dir)
        self._lock = threading.Lock()
        self._secret = load_or_create_secret(data_dir)
        self._configured = [extension_origin(i) for i in configured_ids]
        saved = read_private_json(self._path) if self._path.exists() else {}
        self._pinned: str | None = saved.get("origin") if isinstance(saved, dict) else None

    def secret(self) -> str:
        """The current pairing secret (never sent over the WebSocket)."""
        with self._lock:
            return self._secret

    def revoke(self) -> str:
        """Rotate the secret and forget the pin: every pairing must be made again."""
        with self._lock:
            self._secret = rotate_secret(self._data_dir)
            self._pinned = None
            self._path.unlink(missing_ok=True)
            return self._secret

    @property
    def pinned(self) -> str | None:
        with self._lock:
            return self._pinned

    def allowed_origins(self) -> list[str]:
        """What the gate accepts on `/ws` (and on REST, next to the companion's own origin)."""
        with self._lock:
            pinned = self._pinned
        if pinned is None:
            return [*self._configured, extension_origin(SHIPPED_EXTENSION_ID)]
        return [*self._configured, pinned]

    def pin(self, origin: str) -> bool:
        """Pin `origin` if nothing is pinned yet; True when this call pinned it."""
        origin = origin.lower()
        with self._lock:
            if self._pinned is not None:
                return False
            self._pinned = origin
            write_private_json(self._path, {"origin": origin})
            return True
