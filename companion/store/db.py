"""The one SQLite writer connection, its pragmas, and the transaction discipline.

Why these settings (figures in platform-notes.md 4 and `yiwaiwai bench --store`):
- WAL: readers (dashboard, KPI queries on their own connections) never block
  the writer, and a commit is one append to the WAL file.
- `synchronous=NORMAL` by default: a commit survives a crash of *our process*
  (kill -9) as soon as it returns, because the WAL pages are in the OS; only a
  power loss can drop the last commits. Commits that guard against duplicate
  sends or acknowledge a message to its source ask for `durable=True`, which
  makes that commit (and, the WAL being append-only, every earlier one) reach
  the disk before returning, like `synchronous=FULL`, without paying an fsync
  on every other write.
- One connection, one `RLock`: transactions are short (tens of microseconds),
  so callers on the asyncio loop call them directly; a worker thread (retention,
  benchmark) takes the same lock. Measured: a direct `add()` costs ~40 µs,
  the same call hopped onto one worker thread ~70 µs. Heavy reads use
  `Database.reader()`, a separate read-only connection that can run in
  `asyncio.to_thread`.
- Group commit for the asyncio side (`Database.sync()`): a caller commits
  with `synchronous=NORMAL` (tens of microseconds, on the loop) and then
  awaits `sync()`, which fsyncs the WAL file in a worker thread. One fsync
  covers every commit made before it started, so a burst of sends or polls
  shares one disk flush, and the event loop never stalls on the disk. Same
  guarantee as a FULL commit: the WAL is append-only and checksummed, so the
  synced frames are exactly the committed transactions (checkpointed frames
  are already synced into the database file by the checkpoint itself).
- Checkpoints run on a background thread with its own connection (PASSIVE,
  every second) instead of inside whichever commit crosses 1000 WAL pages:
  measured, that cut the p99 of one `add()` from ~4 ms to ~0.13 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from companion.securefile import ensure_private_dir
from companion.store.schema import migrate

BUSY_TIMEOUT_MS = 5000
CHECKPOINT_INTERVAL_S = 1.0
WAL_SIZE_LIMIT = 64 * 1024 * 1024  # the WAL file is truncated back to this after a reset


class StoreError(RuntimeError):
    """The store was used wrongly (closed, or a state change that is not allowed)."""


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _datasync(fd: int) -> None:
    """fdatasync where it exists (what SQLite uses on Linux), else fsync (macOS)."""
    getattr(os, "fdatasync", os.fsync)(fd)


class GroupSync:
    """Make every commit made so far durable; concurrent callers share one fsync.

    Tickets count the callers: a sync started after ticket N was taken covers
    it. A waiter whose commit came after the running sync began waits for the
    next one. A failed fsync raises in every waiter it covered (nothing may
    act as if the data were safe).
    """

    def __init__(self, wal: Path, database: Path) -> None:
        self._wal = wal
        self._database = database
        self._asked = 0
        self._done = 0
        self._running: asyncio.Future[None] | None = None
        self.syncs = 0

    async def wait(self) -> None:
        self._asked += 1
        ticket = self._asked
        while self._done < ticket:
            if self._running is None:
                self._running = asyncio.ensure_future(self._sync(self._asked))
            await asyncio.shield(self._running)

    async def _sync(self, upto: int) -> None:
        try:
            await asyncio.to_thread(self._fsync)
            self._done = max(self._done, upto)
            self.syncs += 1
        finally:
            self._running = None

    def _fsync(self) -> None:
        """Sync the WAL, where commits land. Not the database file: the checkpointer syncs
        what it copies there itself, and flushing its unsynced pages here would make every
        waiter pay for the checkpoint. Without a WAL (none yet), the database file."""
        for path in (self._wal, self._database):
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                _datasync(fd)
            finally:
                os.close(fd)
            return


class Database:
    """Owns the writer connection; `tx()` is the only way to write."""

    def __init__(self, path: Path, *, background_checkpoint: bool = True) -> None:
        self.path = path
        ensure_private_dir(path.parent)
        new = not path.exists()
        self._conn = _connect(path, readonly=False)
        if new:
            path.chmod(0o600)  # chat text is personal data: owner only
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        self._lock = threading.RLock()
        self._depth = 0
        self._durable_pending = False
        self._closed = False
        with self.tx():
            migrate(self._conn)
        self._group = GroupSync(Path(f"{path}-wal"), path)
        self._stop = threading.Event()
        self._checkpointer: threading.Thread | None = None
        if background_checkpoint:
            self._conn.execute("PRAGMA wal_autocheckpoint=0")
            self._checkpointer = threading.Thread(
                target=self._checkpoint_loop, name=f"checkpoint {path.name}", daemon=True)
            self._checkpointer.start()

    def _checkpoint_loop(self) -> None:
        """Fold the WAL into the database off the writers' path; never blocks a writer."""
        conn = _connect(self.path, readonly=False)
        try:
            while not self._stop.wait(CHECKPOINT_INTERVAL_S):
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    @property
    def conn(self) -> sqlite3.Connection:
        """The writer connection, for use inside `tx()` only."""
        if self._closed:
            raise StoreError("the store is closed")
        return self._conn

    @contextlib.contextmanager
    def tx(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested calls join the outermost one (all or nothing).

        `durable=True` anywhere inside makes the outermost commit reach the disk
        before `tx()` returns.
        """
        with self._lock:
            conn = self.conn
            outer = self._depth == 0
            if outer:
                if durable:
                    conn.execute("PRAGMA synchronous=FULL")
                conn.execute("BEGIN IMMEDIATE")
                self._durable_pending = False
                started_durable = durable
            elif durable:
                self._durable_pending = True
            self._depth += 1
            try:
                yield conn
            except BaseException:
                self._depth -= 1
                if outer:
                    conn.execute("ROLLBACK")
                    if durable:
                        conn.execute("PRAGMA synchronous=NORMAL")
                raise
            self._depth -= 1
            if outer:
                conn.execute("COMMIT")
                if started_durable:
                    conn.execute("PRAGMA synchronous=NORMAL")
                elif self._durable_pending:
                    self._sync_barrier()

    def _sync_barrier(self) -> None:
        """Make every earlier commit durable: one FULL commit fsyncs the append-only WAL."""
        conn = self._conn
        conn.execute("PRAGMA synchronous=FULL")
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE meta SET value = value WHERE key = 'schema'")
            conn.execute("COMMIT")
        finally:
            conn.execute("PRAGMA synchronous=NORMAL")

    async def sync(self) -> None:
        """Group commit: every transaction committed before this call is on disk when it returns."""
        if self._closed:
            raise StoreError("the store is closed")
        await self._group.wait()

    @property
    def syncs(self) -> int:
        """How many group fsyncs ran (tests and the benchmark read it)."""
        return self._group.syncs

    @contextlib.contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """The writer connection for a short read (sees this store's own latest writes)."""
        with self._lock:
            yield self.conn

    @contextlib.contextmanager
    def reader(self) -> Iterator[sqlite3.Connection]:
        """A separate read-only connection (any thread) for long queries such as KPIs."""
        conn = _connect(self.path, readonly=True)
        try:
            yield conn
        finally:
            conn.close()

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file (after pruning, or at shutdown)."""
        with self._lock:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._stop.set()
        if self._checkpointer is not None:
            self._checkpointer.join()
        with self._lock:
            if self._closed:
                return
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()
            self._closed = True
