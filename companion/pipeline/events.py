"""Domain events of the pipeline and the in-process bus the WebSocket hub subscribes to.

Every event is first appended to the store's events log (which gives it a
persistent, strictly increasing `seq`, so a reconnecting client can resume),
then handed to the subscribers of the `EventBus`. Event names are the
contract of design.md / style.md section 3: past tense, `noun.verb`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

MESSAGE_RECEIVED = "message.received"
CHAT_CLASSIFIED = "chat.classified"
REPLY_SUGGESTED = "reply.suggested"
REPLY_SENT = "reply.sent"
ESCALATION_RAISED = "escalation.raised"
ESCALATION_RESOLVED = "escalation.resolved"
MODE_CHANGED = "mode.changed"
EVENT_TYPES = (
    MESSAGE_RECEIVED,
    CHAT_CLASSIFIED,
    REPLY_SUGGESTED,
    REPLY_SENT,
    ESCALATION_RAISED,
    ESCALATION_RESOLVED,
    MODE_CHANGED,
)
DEFAULT_QUEUE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Event:
    """One published event: `seq` from the events log (0 when none is kept), `at` Unix seconds."""

    type: str
    data: dict[str, Any]
    seq: int = 0
    at: float = field(default_factory=time.time)


class EventLog(Protocol):
    """What the bus needs from the store: a persistent append that returns the new seq."""

    def append(self, type: str, data: dict[str, Any]) -> int: ...


Listener = Callable[[Event], None]


class EventBus:
    """Fan-out of events to in-process subscribers; a slow subscriber never blocks the pipeline."""

    def __init__(self, log_: EventLog | None = None) -> None:
        self._log = log_
        self._listeners: list[Listener] = []

    def publish(self, type: str, data: dict[str, Any]) -> Event:
        """Persist (when a log is attached), then deliver synchronously to every listener."""
        seq = self._log.append(type, data) if self._log is not None else 0
        event = Event(type, data, seq)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken subscriber must not stop message processing
                log.exception("event listener failed on %s", type)
        return event

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Register `listener`; returns the function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def queue(
        self, maxsize: int = DEFAULT_QUEUE_SIZE
    ) -> tuple[asyncio.Queue[Event], Callable[[], None]]:
        """A bounded queue fed by the bus (oldest dropped when full) and its unsubscribe."""
        q: asyncio.Queue[Event] = asyncio.Queue(maxsize)

        def put(event: Event) -> None:
            if q.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    q.get_nowait()
            q.put_nowait(event)

        return q, self.subscribe(put)
