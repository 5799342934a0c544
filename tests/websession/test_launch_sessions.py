"""Local page sessions (security.md P4): one-time launch token in, bearer session token out."""

from __future__ import annotations

import stat
from pathlib import Path

from aiohttp.test_utils import TestClient

from companion.web.keys import sessions_key
from companion.web.sessions import SessionStore, page_url, write_launch_file


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_launch_token_works_once() -> None:
    store = SessionStore()
    launch = store.issue_launch_token()

    session = store.exchange(launch)

    assert session is not None
    assert store.valid(session)
    assert store.exchange(launch) is None


def test_a_launch_token_expires_after_sixty_seconds() -> None:
    clock = Clock()
    store = SessionStore(clock=clock)
    late, early = store.issue_launch_token(), store.issue_launch_token()
    clock.now += 59
    assert store.exchange(early) is not None
    clock.now += 2
    assert store.exchange(late) is None


def test_a_session_ends_after_twelve_idle_hours_but_use_keeps_it_alive() -> None:
    clock = Clock()
    store = SessionStore(clock=clock)
    busy = store.exchange(store.issue_launch_token())
    idle = store.exchange(store.issue_launch_token())
    assert busy and idle
    for _ in range(3):
        clock.now += 11 * 3600
        assert store.valid(busy)
    assert not store.valid(idle)


def test_the_launch_file_is_private_and_carries_the_token_only_in_the_fragment(
    tmp_path: Path,
) -> None:
    path = write_launch_file(tmp_path / "run", page_url(8731, "TOKEN123", "rules"))

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "http://127.0.0.1:8731/#lt=TOKEN123&amp;view=rules" in path.read_text()


async def test_the_page_trades_its_launch_token_for_a_session_the_gate_accepts(
    companion: TestClient,
) -> None:
    launch = companion.app[sessions_key].issue_launch_token()
    assert (await companion.get("/api/v1/mode")).status == 401

    response = await companion.post("/api/session", json={"lt": launch})

    assert response.status == 201
    session = (await response.json())["token"]
    bearer = {"Authorization": f"Bearer {session}"}
    assert (await companion.get("/api/v1/mode", headers=bearer)).status == 200
    again = await companion.post("/api/session", json={"lt": launch})
    assert again.status == 401
    assert (await again.json())["error"] == "launch_token_invalid"


async def test_a_logged_out_session_is_refused(companion: TestClient) -> None:
    launch = companion.app[sessions_key].issue_launch_token()
    session = (await (await companion.post("/api/session", json={"lt": launch})).json())["token"]
    bearer = {"Authorization": f"Bearer {session}"}

    assert (await companion.delete("/api/session", headers=bearer)).status == 204

    assert (await companion.get("/api/v1/mode", headers=bearer)).status == 401


async def test_guessing_launch_tokens_meets_the_lockout(companion: TestClient) -> None:
    statuses = [
        (await companion.post("/api/session", json={"lt": f"guess-{n:012d}"})).status
        for n in range(12)
    ]

    assert statuses[:10] == [401] * 10
    assert 429 in statuses
    launch = companion.app[sessions_key].issue_launch_token()
    assert (await companion.post("/api/session", json={"lt": launch})).status == 429
