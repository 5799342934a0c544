"""`Store`: the chat store's front door, one object per data folder.

    store = Store.open(settings.data_dir / "chat.sqlite3")
    store.messages.add(...); store.decisions.record(...); store.outbox.claim(...)
    with store.transaction():      # several changes, all or nothing
        ...
    store.close()

Opening a writable store also settles what a crash left behind: outbox rows
stuck in `sending` become `unknown` (see `companion.store.outbox`), listed
in `store.interrupted_sends` so the pipeline can raise them to a person.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from companion.store.conversations import Conversations
from companion.store.db import Database
from companion.store.decisions import DecisionLog
from companion.store.escalations import Escalations
from companion.store.events import EventLog
from companion.store.kv import KeyValues
from companion.store.messages import MessageLog
from companion.store.models import OutboxEntry
from companion.store.outbox import Outbox
from companion.store.retention import KEEP_DAYS, PruneResult, prune

DEFAULT_FILENAME = "chat.sqlite3"


class Store:
    """The repositories over one SQLite file; use `Store.open`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.messages = MessageLog(db)
        self.decisions = DecisionLog(db)
        self.outbox = Outbox(db)
        self.conversations = Conversations(db)
        self.escalations = Escalations(db)
        self.events = EventLog(db)
        self.kv = KeyValues(db)
        self.interrupted_sends: list[OutboxEntry] = []

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating or upgrading) the store file and recover interrupted sends."""
        store = cls(Database(path))
        store.interrupted_sends = store.outbox.recover_interrupted()
        return store

    @property
    def path(self) -> Path:
        return self.db.path

    @contextlib.contextmanager
    def transaction(self, *, durable: bool = False) -> Iterator[None]:
        """Group repository calls into one atomic commit (nested calls join it)."""
        with self.db.tx(durable=durable):
            yield

    async def sync(self) -> None:
        """Group commit: make every transaction committed so far durable (shared fsync).

        Use after a plain `transaction()` on the asyncio side instead of
        `transaction(durable=True)`, which fsyncs on the calling thread.
        """
        await self.db.sync()

    @contextlib.contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection for long queries in a worker thread (KPIs, exports)."""
        with self.db.reader() as conn:
            yield conn

    def prune(self, *, now: float | None = None, keep_days: float = KEEP_DAYS) -> PruneResult:
        """Retention: drop what is older than the CRR window plus a margin, and old events."""
        result = prune(self.db, now=now, keep_days=keep_days)
        self.events.prune(now=now)
        return result

    def close(self) -> None:
        self.db.checkpoint()
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
