"""A TinyDB storage whose every write is atomic: temp file, fsync, `os.replace`, mode 0600.

`batch()` groups several TinyDB operations into one write, so a rule change
and its history entry land on disk together or not at all (a failure inside
the batch discards the pending data).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from companion.securefile import read_private, write_private


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, replaced atomically on each (batched) write."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._depth = 0
        self._pending: dict[str, Any] | None = None

    def read(self) -> dict[str, Any] | None:
        if self._pending is not None:
            return self._pending
        if not self.path.exists():
            return None
        data = json.loads(read_private(self.path) or b"{}")
        return data if isinstance(data, dict) else None

    def write(self, data: dict[str, Any]) -> None:
        if self._depth:
            self._pending = data
            return
        self._flush(data)

    def _flush(self, data: dict[str, Any]) -> None:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        write_private(self.path, body.encode("utf-8"))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Buffer writes; write once at the end, or not at all if the block raises."""
        if self._depth == 0:
            current = self.read()
            self._pending = copy.deepcopy(current) if current is not None else None
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._pending = None
            raise
        self._depth -= 1
        if self._depth == 0:
            pending, self._pending = self._pending, None
            if pending is not None:
                self._flush(pending)

    def close(self) -> None:
        self._pending = None
