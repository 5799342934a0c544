"""Pause for 30 minutes: a kill switch over auto mode that ends by itself and survives a restart."""

from __future__ import annotations

from pathlib import Path

from aiohttp.test_utils import TestClient

from companion.modes import ModeState


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_pause_turns_auto_off_until_it_ends(tmp_path: Path) -> None:
    clock = Clock()
    mode = ModeState(tmp_path / "mode.json", ["1", "2"], clock=clock)
    mode.set_auto(True)
    heard: list[dict[str, bool]] = []
    mode.subscribe(heard.append)

    until = mode.pause(30 * 60)

    assert until == clock.now + 1800
    assert not mode.is_auto("1")
    assert mode.snapshot() == {"1": True, "2": True}
    assert len(heard) == 1
    clock.now += 1801
    assert mode.is_auto("1")
    assert mode.paused_until is None


def test_a_pause_survives_a_restart_and_resume_ends_it(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "mode.json"
    first = ModeState(path, ["1"], clock=clock)
    first.set_auto(True)
    first.pause(600)

    second = ModeState(path, ["1"], clock=clock)

    assert second.paused_until == clock.now + 600
    assert not second.is_auto("1")
    second.resume()
    assert second.is_auto("1")
    assert ModeState(path, ["1"], clock=clock).paused_until is None


async def test_pause_over_rest(companion: TestClient, auth: dict[str, str]) -> None:
    paused = await companion.put("/api/v1/pause", json={"minutes": 30}, headers=auth)
    assert paused.status == 200
    assert (await paused.json())["paused"] is True
    assert (await (await companion.get("/api/v1/pause", headers=auth)).json())["paused"]
    bad = await companion.put("/api/v1/pause", json={"minutes": 0}, headers=auth)
    assert bad.status == 422
    resumed = await companion.delete("/api/v1/pause", headers=auth)
    assert (await resumed.json()) == {"paused": False, "paused_until": None}
