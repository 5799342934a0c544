"""`yiwaiwai auth` as a user runs it: key on stdin, link printed, redirect caught, tokens kept."""

from __future__ import annotations

import asyncio
import io
import json
import re
import stat
import sys

import httpx
import pytest

from companion.cli import main
from companion.sandbox.app import create_sandbox_app

LINK = re.compile(r"^(http://127\.0\.0\.1:\d+/api/v2/shop/auth_partner\?\S+)$", re.M)


@pytest.fixture
async def sandbox(aiohttp_server):
    server = await aiohttp_server(create_sandbox_app(seed=5))
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient(base_url=base, trust_env=False) as http:
        yield base, (await http.get("/sandbox/v1/credentials")).json()


def _argv(creds: dict, base: str, data_dir, *extra: str) -> list[str]:
    return [
        "auth",
        "--partner-id", str(creds["partner_id"]),
        "--region", creds["shops"][0]["region"].lower(),
        "--data-dir", str(data_dir),
        "--port", "0",
        "--no-browser",
        "--timeout", "10",
        *extra,
    ]  # fmt: skip


async def _printed_link(capsys) -> str:
    printed = ""
    for _ in range(500):
        printed += capsys.readouterr().out
        match = LINK.search(printed)
        if match:
            return match.group(1)
        await asyncio.sleep(0.01)
    raise AssertionError(f"no authorization link printed: {printed!r}")


async def test_the_auth_command_authorizes_a_sandbox_shop(sandbox, tmp_path, monkeypatch, capsys):
    base, creds = sandbox
    monkeypatch.setattr(sys, "stdin", io.StringIO(creds["partner_key"] + "\n"))
    command = asyncio.create_task(
        asyncio.to_thread(main, _argv(creds, base, tmp_path, "--host", base))
    )
    link = await _printed_link(capsys)
    async with httpx.AsyncClient(trust_env=False, follow_redirects=True) as browser:
        page = await browser.get(link)
    assert page.status_code == 200
    assert await command == 0
    output = capsys.readouterr().out
    assert f"Authorized shop {creds['shop_id']}" in output
    assert creds["partner_key"] not in output
    token_file = tmp_path / "tokens" / f"{creds['shop_id']}.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["shops"][0]["shop_id"] == str(creds["shop_id"])
    assert config["shops"][0]["region"] == creds["shops"][0]["region"]


async def test_a_callback_with_the_wrong_nonce_is_ignored(sandbox, tmp_path, monkeypatch, capsys):
    base, creds = sandbox
    monkeypatch.setattr(sys, "stdin", io.StringIO(creds["partner_key"] + "\n"))
    argv = _argv(creds, base, tmp_path, "--host", base)
    command = asyncio.create_task(asyncio.to_thread(main, argv))
    link = await _printed_link(capsys)
    redirect = httpx.URL(link).params["redirect"]
    forged = redirect.rsplit("/", 1)[0] + "/guessed-nonce?code=evil&shop_id=1"
    async with httpx.AsyncClient(trust_env=False, follow_redirects=True) as browser:
        assert (await browser.get(forged)).status_code == 404
        assert (await browser.get(link)).status_code == 200
    assert await command == 0


def test_a_non_sandbox_custom_host_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("key\n"))
    creds = {"partner_id": 1, "shops": [{"region": "SG"}]}
    argv = _argv(creds, "", tmp_path, "--host", "https://shopee.evil.example")
    assert main(argv) == 2
    assert "only for the local sandbox" in capsys.readouterr().err
    assert not (tmp_path / "secrets").exists()


def test_a_missing_partner_key_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    creds = {"partner_id": 1, "shops": [{"region": "SG"}]}
    assert main(_argv(creds, "", tmp_path)) == 2
    assert "no partner key" in capsys.readouterr().err


async def test_settings_written_by_the_auth_command_build_a_working_client(
    sandbox, tmp_path, monkeypatch, capsys
):
    from companion.settings import resolve
    from companion.shopee.config import build_client

    base, creds = sandbox
    monkeypatch.setattr(sys, "stdin", io.StringIO(creds["partner_key"] + "\n"))
    command = asyncio.create_task(
        asyncio.to_thread(main, _argv(creds, base, tmp_path, "--host", base))
    )
    async with httpx.AsyncClient(trust_env=False, follow_redirects=True) as browser:
        await browser.get(await _printed_link(capsys))
    assert await command == 0
    settings = resolve({"data_dir": tmp_path}, env={})
    (shop,) = settings.shops
    async with build_client(settings, shop) as client:
        info = await client.get_shop_info(shop.shop_id)
    assert info.region == shop.region
