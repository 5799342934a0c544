"""Typed application keys: all app state lives under these, nothing module-global."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from companion.modes import ModeState
from companion.settings import Settings
from companion.web.security import Gatekeeper

if TYPE_CHECKING:
    pass

settings_key = web.AppKey("settings", Settings)
gate_key = web.AppKey("gate", Gatekeeper)
mode_key = web.AppKey("mode", ModeState)
connection_key = web.AppKey("connection", "ShopConnection")
model_info_key = web.AppKey("model_info", dict)
