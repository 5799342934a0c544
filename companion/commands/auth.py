"""`yiwaiwai auth`: authorize a Shopee shop and keep its tokens (shopee doc 3.1-3.2).

Reads the partner key from a prompt or stdin (never argv, which other local
users can read), stores it 0600, opens Shopee's signed consent page, catches
the redirect on a one-shot listener at http://127.0.0.1:<port>/callback/<nonce>,
exchanges the code at once (single use, 10 minutes) and records the shop in
<data_dir>/config.json. The unguessable nonce in the redirect path stops other
pages from feeding us a code of their choosing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from companion.shopee.client import ShopeeClient
    from companion.shopee.tokens import ShopTokens

NAME = "auth"
HELP = "authorize a Shopee shop: open the consent page, catch the redirect, store tokens (0600)"
DEFAULT_LISTEN_PORT = 8733
DEFAULT_TIMEOUT_S = 600.0

Opener = Callable[[str], Any]


class AuthCommandError(Exception):
    """A problem the user can fix; the message is printed as is."""


@dataclass(frozen=True, slots=True)
class AuthOptions:
    partner_id: int
    region: str
    data_dir: Path
    environment: str = "live"
    host: str | None = None
    port: int = DEFAULT_LISTEN_PORT
    timeout: float = DEFAULT_TIMEOUT_S


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--partner-id", type=int, required=True, help="app partner_id")
    parser.add_argument("--region", required=True, help="shop region, e.g. SG, MY, TW")
    parser.add_argument("--test-env", action="store_true", help="use Shopee's test environment")
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_LISTEN_PORT, help="local redirect port (0 = any)"
    )
    parser.add_argument("--host", default=None, help="local sandbox URL (http://127.0.0.1:PORT)")
    parser.add_argument("--no-browser", action="store_true", help="only print the link")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds to wait")


def run(args: argparse.Namespace) -> int:
    import asyncio
    import webbrowser

    from companion.settings import resolve
    from companion.shopee.errors import ShopeeError

    try:
        options = AuthOptions(
            partner_id=args.partner_id,
            region=args.region.strip().upper(),
            data_dir=resolve({"data_dir": args.data_dir}).data_dir,
            environment="test" if args.test_env else "live",
            host=args.host,
            port=args.port,
            timeout=args.timeout,
        )
        key = obtain_partner_key(options, sys.stdin)
        opener = None if args.no_browser else webbrowser.open
        asyncio.run(authorize(options, key, opener=opener))
    except (AuthCommandError, ValueError) as exc:
        print(f"yiwaiwai auth: {exc}", file=sys.stderr)
        return 2
    except (ShopeeError, TimeoutError, OSError) as exc:
        print(f"yiwaiwai auth: failed: {exc or type(exc).__name__}", file=sys.stderr)
        return 1
    return 0


def obtain_partner_key(options: AuthOptions, stream: TextIO) -> str:
    """Prompt (tty) or read one line (pipe); an empty answer reuses the stored key."""
    import getpass

    if stream.isatty():
        key = getpass.getpass("Shopee partner key (input hidden): ")
    else:
        key = stream.readline()
    key = key.strip()
    if not key:
        key = _stored_key(options) or ""
    if not key:
        raise AuthCommandError("no partner key given (type it at the prompt or pipe it on stdin)")
    return key


def _secret_path(data_dir: Path) -> Path:
    from companion.shopee.config import partner_secret_path

    return partner_secret_path(data_dir)


def _stored_key(options: AuthOptions) -> str | None:
    from companion.securefile import read_private_json

    try:
        stored = read_private_json(_secret_path(options.data_dir))
    except FileNotFoundError:
        return None
    if isinstance(stored, dict) and stored.get("partner_id") == options.partner_id:
        return str(stored.get("partner_key") or "") or None
    return None


def resolve_base_url(options: AuthOptions) -> str:
    """Documented host for region+environment; --host only for the local sandbox."""
    from companion.shopee.hosts import base_url, is_local_sandbox

    if options.host is not None:
        host = options.host.rstrip("/")
        if not is_local_sandbox(host):
            raise AuthCommandError("--host is only for the local sandbox (http://127.0.0.1:PORT)")
        return host
    return base_url(options.region, options.environment)


async def authorize(
    options: AuthOptions,
    partner_key: str,
    *,
    opener: Opener | None = None,
    out: TextIO | None = None,
) -> list[ShopTokens]:
    """The whole flow; returns the stored token sets (one per authorized shop)."""
    from companion.shopee.auth import exchange_code, parse_redirect

    out = out or sys.stdout
    base = resolve_base_url(options)
    _store_partner_key(options, partner_key)
    query = await _await_redirect(options, base, partner_key, opener, out)
    async with _client(options, base, partner_key) as client:
        stored = await exchange_code(client, parse_redirect(query))
        names = {t.shop_id: await _shop_name(client, t.shop_id) for t in stored}
    _record_shops(options, [t.shop_id for t in stored])
    for tokens in stored:
        label = f" ({names[tokens.shop_id]})" if names[tokens.shop_id] else ""
        print(f"Authorized shop {tokens.shop_id}{label}; tokens saved.", file=out)
    return stored


def _client(options: AuthOptions, base: str, partner_key: str) -> ShopeeClient:
    from companion.shopee.client import ShopeeClient
    from companion.shopee.tokens import TokenStore

    return ShopeeClient(
        partner_id=options.partner_id,
        partner_key=partner_key,
        base_url=base,
        token_store=TokenStore(options.data_dir),
    )


async def _shop_name(client: ShopeeClient, shop_id: str) -> str:
    """Best effort: a failing shop-info call must not undo a successful authorization."""
    from companion.shopee.errors import ShopeeError

    try:
        return str((await client.get_shop_info(shop_id)).shop_name)
    except ShopeeError:
        return ""


def _store_partner_key(options: AuthOptions, partner_key: str) -> None:
    from companion.securefile import ensure_private_dir, write_private_json

    ensure_private_dir(options.data_dir)
    write_private_json(
        _secret_path(options.data_dir),
        {"partner_id": options.partner_id, "partner_key": partner_key},
    )


async def _await_redirect(
    options: AuthOptions, base: str, partner_key: str, opener: Opener | None, out: TextIO
) -> Mapping[str, str]:
    """Serve one callback on 127.0.0.1, show the consent link, wait for the redirect query."""
    import asyncio
    import secrets
    import time

    from aiohttp import web

    from companion.shopee.auth import authorization_url

    nonce = secrets.token_urlsafe(16)
    received: asyncio.Future[dict[str, str]] = asyncio.get_running_loop().create_future()

    async def callback(request: web.Request) -> web.Response:
        if request.match_info["nonce"] != nonce:
            raise web.HTTPNotFound()
        query = dict(request.query)
        if not query.get("code"):
            return web.Response(status=400, text="No authorization code in this link.")
        if not received.done():
            received.set_result(query)
        return web.Response(text="Shop authorized. You can close this tab and return to yiwaiwai.")

    app = web.Application()
    app.router.add_get("/callback/{nonce}", callback)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", options.port)
        await site.start()
        port = runner.addresses[0][1]
        redirect = f"http://127.0.0.1:{port}/callback/{nonce}"
        url = authorization_url(base, options.partner_id, partner_key, redirect, int(time.time()))
        print("Open this link to authorize your shop (valid 5 minutes):", file=out)
        print(url, file=out, flush=True)
        if opener is not None:
            opener(url)
        return await asyncio.wait_for(received, timeout=options.timeout)
    finally:
        await runner.cleanup()


def _record_shops(options: AuthOptions, shop_ids: list[str]) -> None:
    """Add the shops to config.json (no secrets there), keeping other settings."""
    from companion.securefile import write_private_json
    from companion.settings import load_config_file

    path = options.data_dir / "config.json"
    config = load_config_file(path)
    environment = "sandbox" if options.host else options.environment
    shops = [s for s in config.get("shops", []) if str(s.get("shop_id")) not in shop_ids]
    shops += [
        {"shop_id": shop_id, "region": options.region, "environment": environment}
        for shop_id in shop_ids
    ]
    config["partner_id"] = options.partner_id
    config["shops"] = shops
    if options.host:
        config["api_host"] = options.host.rstrip("/")
    else:
        config.pop("api_host", None)
    write_private_json(path, config)
