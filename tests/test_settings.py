"""Settings resolve once: command line > environment > config file > defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.settings import DEFAULT_PORT, SettingsError, resolve


def test_defaults_mean_demo_mode(tmp_path: Path) -> None:
    settings = resolve({"data_dir": tmp_path}, env={})
    assert settings.port == DEFAULT_PORT
    assert settings.demo_mode


def test_command_line_beats_environment_beats_file(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"port": 1111, "log_level": "DEBUG"}))
    env = {"YIWAIWAI_HOME": str(tmp_path), "YIWAIWAI_PORT": "2222"}
    assert resolve({}, env=env).port == 2222
    assert resolve({"port": 3333}, env=env).port == 3333
    assert resolve({}, env={"YIWAIWAI_HOME": str(tmp_path)}).port == 1111
    assert resolve({}, env=env).log_level == "DEBUG"


def test_configured_shop_leaves_demo_mode(tmp_path: Path) -> None:
    config = {"partner_id": 2001887, "shops": [{"shop_id": "14701711", "region": "my"}]}
    (tmp_path / "config.json").write_text(json.dumps(config))
    settings = resolve({"data_dir": tmp_path}, env={})
    assert not settings.demo_mode
    assert settings.shops[0].region == "MY"
    assert resolve({"data_dir": tmp_path, "demo": True}, env={}).demo_mode


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = resolve({"data_dir": tmp_path}, env={})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    "config", [{"port": "many"}, {"colour": "red"}, {"port": 70000}, "[1, 2]"]
)
def test_bad_config_is_a_clear_error(tmp_path: Path, config) -> None:
    text = config if isinstance(config, str) else json.dumps(config)
    (tmp_path / "config.json").write_text(text)
    with pytest.raises(SettingsError):
        resolve({"data_dir": tmp_path}, env={})
