"""Auto mode over REST: per shop or all shops, persisted, with strict input checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from companion.pairing import load_or_create_secret
from tests.module_app import (
    Fresh,
    demo_settings,
    fresh_companion,
    module_companion,
    module_settings,
    serve,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
settings = module_settings()  # one companion for the module's tests
companion = module_companion()
fresh = fresh_companion()  # a companion of its own, for tests that need a pristine one


async def test_auto_mode_starts_off_for_every_shop(fresh: Fresh) -> None:
    companion, auth = fresh.client, fresh.auth  # the shared one may have been switched
    body = await (await companion.get("/api/v1/mode", headers=auth)).json()
    assert body["auto"] is False
    assert len(body["shops"]) == 2
    assert not any(body["shops"].values())


async def test_put_mode_without_shop_switches_every_shop(
    companion: TestClient, auth: dict[str, str]
) -> None:
    response = await companion.put("/api/v1/mode", json={"auto": True}, headers=auth)
    assert response.status == 200
    body = await response.json()
    assert all(body["shops"].values())
    again = await (await companion.get("/api/v1/mode", headers=auth)).json()
    assert again == body


async def test_put_mode_for_one_shop_leaves_the_other(fresh: Fresh) -> None:
    companion, auth = fresh.client, fresh.auth  # both shops start off
    shops = (await (await companion.get("/api/v1/mode", headers=auth)).json())["shops"]
    first, second = list(shops)
    body = await (
        await companion.put("/api/v1/mode", json={"auto": True, "shop_id": first}, headers=auth)
    ).json()
    assert body["shops"] == {first: True, second: False}


async def test_put_mode_for_an_unknown_shop_is_422(
    companion: TestClient, auth: dict[str, str]
) -> None:
    response = await companion.put(
        "/api/v1/mode", json={"auto": True, "shop_id": "999"}, headers=auth
    )
    assert response.status == 422
    assert (await response.json())["error"] == "unknown_shop"


async def test_bad_bodies_get_clear_4xx_and_change_nothing(fresh: Fresh) -> None:
    companion, auth = fresh.client, fresh.auth  # "nothing changed" means still off
    cases = [
        ({"data": b"{not json", "headers": {"Content-Type": "application/json"}}, 400),
        (
            {
                "data": b'{"auto": true, "auto": false}',
                "headers": {"Content-Type": "application/json"},
            },
            400,
        ),
        ({"data": b'{"auto": NaN}', "headers": {"Content-Type": "application/json"}}, 400),
        ({"data": b'{"auto": true}', "headers": {"Content-Type": "text/plain"}}, 415),
        ({"json": {"auto": True, "colour": "red"}}, 422),
        ({"json": {"auto": "yes please"}}, 422),
        ({"json": {"auto": "yes"}}, 422),  # lax coercion would read these as True
        ({"json": {"auto": "true"}}, 422),
        ({"json": {"auto": 1}}, 422),
        ({"json": {"auto": "on"}}, 422),
        ({"json": {"auto": True, "shop_id": "1\u0000"}}, 422),
        (
            {
                "data": b'{"auto": true, "pad": "' + b"x" * 300_000 + b'"}',
                "headers": {"Content-Type": "application/json"},
            },
            413,
        ),
    ]
    for kwargs, status in cases:
        headers = {**auth, **kwargs.pop("headers", {})}
        response = await companion.put("/api/v1/mode", headers=headers, **kwargs)
        assert response.status == status, (kwargs, await response.text())
    body = await (await companion.get("/api/v1/mode", headers=auth)).json()
    assert body["auto"] is False


async def test_unknown_field_error_names_the_field(
    companion: TestClient, auth: dict[str, str]
) -> None:
    response = await companion.put(
        "/api/v1/mode", json={"auto": True, "colour": "red"}, headers=auth
    )
    body = await response.json()
    assert body["error"] == "invalid_input"
    assert body["details"][0]["field"] == "colour"


async def test_auto_mode_survives_a_restart(tmp_path: Path) -> None:
    settings = demo_settings(tmp_path / "home")
    auth = {"Authorization": f"Bearer {load_or_create_secret(settings.data_dir)}"}
    async with serve(settings) as first:
        await first.put("/api/v1/mode", json={"auto": True}, headers=auth)
    async with serve(settings) as second:
        body = await (await second.get("/api/v1/mode", headers=auth)).json()
    assert body["auto"] is True
