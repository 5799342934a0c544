"""Typed keys for everything the sandbox keeps on its app and requests."""

from __future__ import annotations

from aiohttp import web

from companion.sandbox.faults import FaultBook
from companion.sandbox.signing_check import Caller
from companion.sandbox.state import SandboxState

STATE = web.AppKey("sandbox_state", SandboxState)
FAULTS = web.AppKey("sandbox_faults", FaultBook)
BUYERS_PER_MINUTE = web.AppKey("sandbox_buyers_per_minute", float)
CALLER = web.RequestKey("sandbox_caller", Caller)
