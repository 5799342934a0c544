"""Where the hub's events come from, and how domain events become wire events.

The pipeline publishes domain events on its EventBus (persisted first in the
store's events log, which gives the `seq`); only the web layer turns them into
protocol frames (style.md section 1). `to_wire` maps one domain event to the
documented wire payload (companion/protocol.md), the same way live and on replay,
so a resumed client sees exactly what a connected one saw.

Without a pipeline (a bare app), the hub still reports auto-mode changes live
(seq 0, not resumable) from `ModeState`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from companion.pipeline.events import Event

CRR_WINDOW_S = 12 * 3600.0  # Shopee counts a chat as answered when the reply comes within 12 h
Listener = Callable[[Any], None]


def _pipeline(app: web.Application) -> Any:
    from companion.web.routes_pipeline import pipeline_key

    return app.get(pipeline_key)


class _LogHistory:
    """Adapts the store's events log to the hub's `EventHistory` protocol."""

    def __init__(self, events: Any) -> None:
        self._events = events

    def last_seq(self) -> int:
        return int(self._events.latest_seq())

    def oldest_seq(self) -> int:
        return int(self._events.oldest_seq())

    def events_after(self, seq: int, limit: int) -> Sequence[Any]:
        return list(self._events.since(seq, limit))


def history(app: web.Application) -> _LogHistory | None:
    """The persisted events log, when the pipeline (and its store) runs."""
    pipeline = _pipeline(app)
    return _LogHistory(pipeline.store.events) if pipeline is not None else None


def subscribe(app: web.Application, listener: Listener) -> Callable[[], None]:
    """Feed `listener` from the bus; without a pipeline, from auto-mode changes only."""
    pipeline = _pipeline(app)
    if pipeline is not None:
        return pipeline.bus.subscribe(listener)  # type: ignore[no-any-return]
    from companion.web.keys import mode_key

    if mode_key not in app:
        return lambda: None
    active = [True]

    def on_mode(state: dict[str, bool]) -> None:
        if active[0]:
            listener(Event("mode.changed", {"auto": any(state.values()), "shops": state}))

    app[mode_key].subscribe(on_mode)

    def unsubscribe() -> None:
        active[0] = False

    return unsubscribe


@dataclass(frozen=True, slots=True)
class WireEvent:
    type: str
    data: dict[str, Any]
    seq: int
    at: float


def _decision(store: Any, data: dict[str, Any]) -> Any:
    if store is None or not data.get("message_id"):
        return None
    return store.decisions.for_message(str(data["shop_id"]), str(data["message_id"]))


def _deadline(store: Any, data: dict[str, Any], at: float) -> float:
    """12 h after the buyer message that started the wait (the CRR clock), else after `at`."""
    message = None
    if store is not None and data.get("message_id"):
        message = store.messages.get(str(data["shop_id"]), str(data["message_id"]))
    return (message.created_at if message is not None else at) + CRR_WINDOW_S


def _suggested(store: Any, data: dict[str, Any]) -> dict[str, Any]:
    decision = _decision(store, data)
    return {
        **data,
        "suggestion_id": str(data.get("message_id", "")),
        "text": data.get("reply") or "",
        "reason": data.get("why", ""),
        "rule_id": decision.rule_id if decision is not None else None,
    }


def to_wire(app: web.Application, event: Any) -> WireEvent:
    """The documented wire payload for one domain event (unknown types pass through)."""
    pipeline = _pipeline(app)
    store = pipeline.store if pipeline is not None else None
    data = dict(event.data)
    if event.type == "message.received" and not data.get("buyer_name") and pipeline is not None:
        names = pipeline.names
        data["buyer_name"] = names.get(data.get("shop_id", ""), data.get("conversation_id"))
    elif event.type == "chat.classified":
        data["mood"] = "negative" if data.get("negative") else "neutral"
    elif event.type == "reply.suggested":
        data = _suggested(store, data)
    elif event.type == "reply.sent":
        data["via"] = "auto" if data.get("automatic") else "approved"
        data["suggestion_id"] = data.get("message_id")
    elif event.type == "escalation.raised":
        data.setdefault("deadline_at", _deadline(store, data, event.at))
    elif event.type.startswith("followup."):
        from companion.web.ws_followups import wire_data

        data = wire_data(app, data)
    return WireEvent(event.type, data, event.seq, event.at)
