"""`yiwaiwai sandbox`: run the sandbox shop alone on 127.0.0.1 until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse

NAME = "sandbox"
HELP = "run the local Shopee Open Platform sandbox shop (for demos, tests and benchmarks)"
DEFAULT_PORT = 8732


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (0 = any free)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated shop data")
    parser.add_argument("--buyers-per-minute", type=float, default=0.0,
                        help="simulated buyer messages per minute (0 = off)")
    parser.add_argument("--token-ttl", type=int, default=14400,
                        help="access token lifetime in seconds")


async def _serve(args: argparse.Namespace) -> None:
    import asyncio
    import signal

    from aiohttp import web

    from companion.sandbox import create_sandbox_app

    app = create_sandbox_app(args.seed, token_ttl=args.token_ttl,
                             buyers_per_minute=args.buyers_per_minute)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    port = runner.addresses[0][1]
    url = f"http://127.0.0.1:{port}"
    print(f"yiwaiwai sandbox shop listening on {url} (seed {args.seed})", flush=True)
    print(f"demo credentials (partner_id, key, shop ids): GET {url}/sandbox/v1/credentials",
          flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def run(args: argparse.Namespace) -> int:
    import asyncio

    asyncio.run(_serve(args))
    return 0
