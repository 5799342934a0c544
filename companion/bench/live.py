"""Real processes for end-to-end runs: a sandbox shop and a companion pointed at it as a live shop.

The companion is configured exactly as a real seller's would be (partner key
in `secrets/partner.json`, tokens in `tokens/`, the shop in `config.json`),
except that `api_host` is the local sandbox. Used by `yiwaiwai bench` and by
the crash test (kill -9 mid-send, restart).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from companion.securefile import ensure_private_dir, write_private_json
from companion.shopee.models import TokenGrant
from companion.shopee.tokens import ShopTokens, TokenStore

BENCH_RULES = [
    {"id": "order-status", "name": "order status", "priority": 500,
     "when": {"intents": ["order_status"], "has_order": True}, "action": "auto_reply",
     "templates": {"en": "Order {{order_sn}} status: {{order_status}}."}},
    {"id": "tracking", "name": "tracking", "priority": 500,
     "when": {"intents": ["tracking_number"], "has_order": True}, "action": "auto_reply",
     "templates": {"en": "Order {{order_sn}} tracking: {{tracking_number}}."}},
    {"id": "shipping-fee", "name": "shipping fee", "priority": 500,
     "when": {"intents": ["shipping_fee"], "has_order": True}, "action": "auto_reply",
     "templates": {"en": "Order {{order_sn}} shipping fee: {{shipping_fee}}."}},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _python(profile: Path | None = None) -> list[str]:
    """`python -m companion`, or under cProfile writing to `profile` (bench --profile)."""
    if profile is None:
        return [sys.executable, "-m", "companion"]
    return [sys.executable, "-m", "companion.bench.profiled", str(profile)]


@dataclass
class Proc:
    """A child process we started (and only ever stop by its own pid)."""

    popen: subprocess.Popen[str]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def kill9(self) -> None:
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()


def _spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> Proc:
    with log.open("a") as out:  # the child keeps its own copy of the descriptor
        popen = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, text=True, env=env)
    return Proc(popen, log)


def start_sandbox(workdir: Path, seed: int = 7, timeout: float = 20.0,
                  profile: Path | None = None) -> tuple[Proc, str]:
    """`yiwaiwai sandbox --port 0`; the URL is on its first output line."""
    proc = _spawn([*_python(profile), "sandbox", "--port", "0", "--seed", str(seed)],
                  workdir / "sandbox.log")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = proc.log.read_text() if proc.log.exists() else ""
        url = next((w for w in text.split() if w.startswith("http://127.0.0.1:")), "")
        if url:
            return proc, url.rstrip("/")
        if proc.popen.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill9()
    raise RuntimeError(f"sandbox did not start: {proc.log.read_text()[-500:]!r}")


@dataclass
class ShopSetup:
    url: str
    partner_id: int
    partner_key: str
    shop_id: str
    region: str
    extra: dict[str, Any] = field(default_factory=dict)


def prepare_data_dir(data_dir: Path, url: str, pipeline: dict[str, Any],
                     rules: list[dict[str, Any]] | None = None, auto: bool = True) -> ShopSetup:
    """Configure `data_dir` as a live companion for the sandbox's first shop."""
    from companion.rules.models import Rule
    from companion.rules.repository import RuleRepository

    ensure_private_dir(data_dir)
    with httpx.Client(base_url=url, trust_env=False, timeout=10) as http:
        creds = http.get("/sandbox/v1/credentials").raise_for_status().json()
        shop = creds["shops"][0]
        pair = http.post("/sandbox/v1/tokens", json={"shop_id": shop["shop_id"]}).json()
    shop_id = str(shop["shop_id"])
    (data_dir / "config.json").write_text(json.dumps({
        "partner_id": creds["partner_id"], "api_host": url,
        "shops": [{"shop_id": shop_id, "region": shop["region"], "environment": "sandbox"}],
    }), encoding="utf-8")
    write_private_json(data_dir / "secrets" / "partner.json",
                       {"partner_id": creds["partner_id"], "partner_key": creds["partner_key"]})
    grant = TokenGrant(access_token=pair["access_token"], refresh_token=pair["refresh_token"],
                       expire_in=int(pair["expire_in"]))
    TokenStore(data_dir).save(ShopTokens.from_grant(shop_id, grant, time.time()))
    (data_dir / "pipeline.json").write_text(json.dumps(pipeline), encoding="utf-8")
    write_private_json(data_dir / "state" / "mode.json", {shop_id: auto})
    repo = RuleRepository.open(data_dir)
    try:
        repo.install([Rule.model_validate(r) for r in (rules or BENCH_RULES)], "bench rules")
    finally:
        repo.close()
    return ShopSetup(url, int(creds["partner_id"]), str(creds["partner_key"]), shop_id,
                     str(shop["region"]))


def start_companion(data_dir: Path, port: int, timeout: float = 30.0,
                    profile: Path | None = None) -> Proc:
    """`yiwaiwai run --no-tray` and wait for /api/v1/health."""
    env = {**os.environ, "YIWAIWAI_LOG_LEVEL": "WARNING"}
    proc = _spawn([*_python(profile), "run", "--no-tray", "--port", str(port), "--data-dir",
                   str(data_dir)], data_dir.parent / f"companion-{port}.log", env)
    popen, log = proc.popen, proc.log
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"companion exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1,
                         trust_env=False).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill9()
    raise RuntimeError("companion did not answer /api/v1/health in time")


def proc_stats(pid: int) -> dict[str, float]:
    """CPU seconds (user+system) and peak RSS (MB) of a live process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = (int(fields[11]) + int(fields[12])) / ticks
        status = Path(f"/proc/{pid}/status").read_text()
        peak_kb = next(int(line.split()[1]) for line in status.splitlines()
                       if line.startswith("VmHWM:"))
        return {"cpu_s": cpu, "peak_rss_mb": peak_kb / 1024}
    except (OSError, StopIteration, IndexError, ValueError):
        return {"cpu_s": 0.0, "peak_rss_mb": 0.0}
