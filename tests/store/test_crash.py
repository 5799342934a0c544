"""kill -9 in the middle of many writes: reopen finds a consistent store, nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from companion.store import NewDecision, NewOutboxEntry, Store

# One "message handled" unit of work, as the pipeline does it: store the message,
# then decision + outbox intent + processed mark + event in one transaction, then
# claim and (after a fake API call) mark sent. It prints a number after each unit.
EVENTS_PER_UNIT = 40
KILL_DELAYS = (0.0, 0.0031, 0.0057, 0.0089, 0.0123, 0.0171, 0.0043, 0.0211)
WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from companion.store import NewDecision, NewMessage, NewOutboxEntry, Store

    EVENTS_PER_UNIT = int(sys.argv[2])
    store = Store.open(Path(sys.argv[1]))
    i = store.messages.count()
    while True:
        mid = f"m{i}"
        key = f"reply:s1:{mid}"
        store.messages.add(NewMessage("s1", f"c{i % 7}", mid, "buyer", 1000.0 + i, text="hi"))
        with store.transaction():
            store.decisions.record(NewDecision("s1", f"c{i % 7}", mid, "auto_reply",
                                               intent="order_status", reply_text="x" * 200))
            store.outbox.enqueue(NewOutboxEntry(key, "s1", f"c{i % 7}", "b1", "x" * 200))
            for n in range(EVENTS_PER_UNIT):  # widen the window a kill can land in
                store.events.append("reply.suggested", {"message_id": mid, "n": n})
            store.messages.mark_processed("s1", mid)
        if store.outbox.claim(key) is not None:
            store.outbox.mark_sent(key, f"sent-{i}")
        print(i, flush=True)
        i += 1
""")


def _finish(store: Store, mid: str, conv: str) -> None:
    with store.transaction():
        store.decisions.record(NewDecision("s1", conv, mid, "auto_reply"))
        store.outbox.enqueue(NewOutboxEntry(f"reply:s1:{mid}", "s1", conv, "b1", "x"))
        for n in range(EVENTS_PER_UNIT):
            store.events.append("reply.suggested", {"message_id": mid, "n": n})
        store.messages.mark_processed("s1", mid)


def _run_and_kill(path: Path, after: int, delay: float) -> int:
    """Start the writer, SIGKILL it `delay` s after it reported `after` more units.

    Returns the last unit it reported: everything up to it must be on disk.
    """
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    argv = [sys.executable, "-c", WRITER, str(path), str(EVENTS_PER_UNIT)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    last = -1
    for _ in range(after):
        last = int(proc.stdout.readline())
    time.sleep(delay)  # let the kill land anywhere in a later unit, not just after a print
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    return last


def _check_consistent(store: Store, acknowledged: int) -> None:
    conn = store.db.conn
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    messages = store.messages.count()
    # Every unit reported before the kill is on disk (durable before returning).
    assert messages >= acknowledged + 1
    # All-or-nothing: decision, outbox row, event and the processed mark go together.
    decisions = conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    outbox = conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    processed = conn.execute(
        "SELECT COUNT(*) FROM messages WHERE state = 'processed'").fetchone()[0]
    assert decisions == outbox == processed
    assert events == EVENTS_PER_UNIT * decisions
    assert messages - processed in (0, 1)  # at most the one stored just before the kill
    orphans = conn.execute(
        "SELECT COUNT(*) FROM decisions d LEFT JOIN messages m"
        " ON m.shop_id = d.shop_id AND m.message_id = d.message_id WHERE m.seq IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    # No send is left "in flight"; at most the one cut off mid-call awaits a person.
    counts = store.outbox.counts()
    assert counts["sending"] == 0
    assert counts["pending"] + counts["unknown"] <= 1
    assert counts["sent"] >= acknowledged + 1


def test_kill_9_mid_writes_leaves_a_consistent_store(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    Store.open(store_path).close()
    for after, delay in zip((150, 37, 90, 11, 60, 25, 5, 40), KILL_DELAYS, strict=True):
        acknowledged = _run_and_kill(store_path, after, delay)
        with Store.open(store_path) as reopened:
            _check_consistent(reopened, acknowledged)
            # The restart hands back exactly the unfinished message, if any.
            pending = reopened.messages.pending()
            assert len(pending) <= 1
            for message in pending:
                assert reopened.decisions.for_message("s1", message.message_id) is None
            # Finish it as the pipeline would, so the next round starts clean.
            for message in pending:
                _finish(reopened, message.message_id, message.conversation_id)
            for entry in reopened.outbox.by_state("pending"):
                reopened.outbox.claim(entry.key)
                reopened.outbox.mark_sent(entry.key)
            for entry in reopened.outbox.by_state("unknown"):
                reopened.outbox.resolve(entry.key, landed=True, by="test")
