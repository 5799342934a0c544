"""Typed application keys: all app state lives under these, nothing module-global."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from companion.modes import ModeState
from companion.nlu.holder import ModelHolder
from companion.pipeline.events import EventBus
from companion.settings import Settings
from companion.store import Store
from companion.web.pins import PairingState
from companion.web.security import Gatekeeper
from companion.web.sessions import SessionStore

if TYPE_CHECKING:
    pass

settings_key = web.AppKey("settings", Settings)
gate_key = web.AppKey("gate", Gatekeeper)
mode_key = web.AppKey("mode", ModeState)
connection_key = web.AppKey("connection", "ShopConnection")
model_key = web.AppKey("model", ModelHolder)
pairing_key = web.AppKey("pairing", PairingState)
hub_key = web.AppKey("hub", "Hub")
sessions_key = web.AppKey("sessions", SessionStore)
train_jobs_key = web.AppKey("train_jobs", "TrainJobs")
rules_key = web.AppKey("rules", "RuleRepository")
listing_key = web.AppKey("listing", "ListingService")
store_key = web.AppKey("store", Store)
bus_key = web.AppKey("bus", EventBus)
