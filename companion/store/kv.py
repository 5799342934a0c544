"""Small named JSON values that must survive restarts: polling cursors, watermarks."""

from __future__ import annotations

import json
import time
from typing import Any

from companion.store.db import Database


class KeyValues:
    """The `kv` table; keys are namespaced by the caller, e.g. `cursor:<shop_id>`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, default: Any = None) -> Any:
        with self._db.locked() as conn:
            row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any) -> None:
        """Store a JSON value (big ids as strings, never floats)."""
        with self._db.tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO kv (key, value, updated_at) VALUES (?,?,?)",
                (key, json.dumps(value, ensure_ascii=False), time.time()),
            )

    def delete(self, key: str) -> bool:
        with self._db.tx() as conn:
            return conn.execute("DELETE FROM kv WHERE key = ?", (key,)).rowcount == 1
