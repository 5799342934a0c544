"""Frozen settings, resolved once: command line > environment > config file > defaults.

The result is passed down explicitly; nothing reads the environment later.
The config file is `<data_dir>/config.json`; it holds no secrets (those live in
0600 files written by `companion.securefile`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8731
DEFAULT_HOME = Path.home() / ".yiwaiwai"


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names it."""


@dataclass(frozen=True, slots=True)
class ShopConfig:
    """One authorised shop: which region and API environment it lives in."""

    shop_id: str
    region: str
    environment: str = "live"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the companion needs to know at start-up, immutable."""

    port: int = DEFAULT_PORT
    data_dir: Path = DEFAULT_HOME
    demo: bool = False
    tray: bool = True
    buyers_per_minute: float = 0.0
    log_level: str = "INFO"
    partner_id: int | None = None
    api_host: str | None = None
    shops: tuple[ShopConfig, ...] = field(default_factory=tuple)
    extension_ids: tuple[str, ...] = field(default_factory=tuple)
    sandbox_port: int = 0

    @property
    def demo_mode(self) -> bool:
        """Demo mode runs the embedded sandbox shop: forced, or when no shop is configured."""
        return self.demo or self.partner_id is None or not self.shops

    @property
    def config_path(self) -> Path:
        return self.data_dir / "config.json"


_ENV = {
    "port": "YIWAIWAI_PORT",
    "data_dir": "YIWAIWAI_HOME",
    "log_level": "YIWAIWAI_LOG_LEVEL",
}


def _coerce(name: str, value: Any) -> Any:
    try:
        if name in ("port", "sandbox_port"):
            port = int(value)
            if not 0 <= port <= 65535:
                raise ValueError(port)
            return port
        if name == "data_dir":
            return Path(value).expanduser()
        if name == "buyers_per_minute":
            rate = float(value)
            if rate < 0:
                raise ValueError(rate)
            return rate
        if name == "partner_id":
            return None if value in (None, "") else int(value)
        if name == "shops":
            return tuple(
                ShopConfig(
                    str(s["shop_id"]), str(s["region"]).upper(), s.get("environment", "live")
                )
                for s in value
            )
        if name == "extension_ids":
            return tuple(str(v) for v in value)
        if name in ("demo", "tray"):
            return bool(value)
        return value
    except (TypeError, ValueError, KeyError) as exc:
        raise SettingsError(f"setting {name!r} has an unusable value: {value!r}") from exc


def load_config_file(path: Path) -> dict[str, Any]:
    """Read the JSON config file; a missing file is an empty config."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise SettingsError(f"{path} must hold a JSON object")
    return raw


def resolve(cli: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Merge the sources once; `None` in `cli` means "not given on the command line"."""
    cli = {k: v for k, v in (cli or {}).items() if v is not None}
    env = os.environ if env is None else env
    known = {f.name for f in fields(Settings)}
    from_env = {name: env[var] for name, var in _ENV.items() if env.get(var)}
    data_dir = _coerce("data_dir", cli.get("data_dir", from_env.get("data_dir", DEFAULT_HOME)))
    from_file = load_config_file(data_dir / "config.json")
    unknown = set(from_file) - known
    if unknown:
        raise SettingsError(f"unknown setting(s) in config file: {', '.join(sorted(unknown))}")
    merged: dict[str, Any] = {**from_file, **from_env, **cli, "data_dir": data_dir}
    return Settings(**{k: _coerce(k, v) for k, v in merged.items() if k in known})
