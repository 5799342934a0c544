"""Group commit: one fsync covers every commit made before it, and a burst shares a few."""

from __future__ import annotations

import asyncio
from pathlib import Path

from companion.store import NewMessage, Store


def _message(i: int) -> NewMessage:
    return NewMessage("s1", f"c{i % 7}", f"m{i}", "buyer", 1000.0 + i, text="hi")


async def test_a_burst_of_commits_shares_a_few_fsyncs(store: Store) -> None:
    async def one(i: int) -> None:
        store.messages.add(_message(i), durable=False)
        await store.sync()

    await asyncio.gather(*(one(i) for i in range(200)))
    assert store.messages.count() == 200
    assert 1 <= store.db.syncs <= 10


async def test_a_commit_made_while_a_sync_runs_waits_for_the_next_one(store: Store) -> None:
    store.messages.add(_message(0), durable=False)
    first = asyncio.ensure_future(store.sync())
    await asyncio.sleep(0)  # the first fsync is under way
    store.messages.add(_message(1), durable=False)
    await store.sync()
    assert first.done() and store.db.syncs == 2


async def test_sync_on_a_closed_store_refuses(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "closed.sqlite3")
    store.close()
    try:
        await store.sync()
    except RuntimeError as exc:
        assert "closed" in str(exc)
    else:
        raise AssertionError("sync on a closed store returned")
