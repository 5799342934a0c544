"""Typed records the store reads and writes; the pipeline and the web layer see only these.

Ids (shop, conversation, message, buyer, order, item) are `str` everywhere:
Shopee ids can exceed 2**53 (shopee-open-platform.md 0.6). Times are Unix
seconds as `float` (message `created_at` comes from Shopee as whole seconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Sender = Literal["buyer", "shop_manual", "shop_auto", "system"]
Source = Literal["poll", "push", "page", "outbox"]
MessageState = Literal["pending", "processed"]
Action = Literal["auto_reply", "suggest", "escalate", "none"]
OutboxState = Literal["pending", "sending", "sent", "failed", "unknown"]
OutboxKind = Literal["auto", "manual"]

SENDERS: tuple[str, ...] = ("buyer", "shop_manual", "shop_auto", "system")
SOURCES: tuple[str, ...] = ("poll", "push", "page", "outbox")
ACTIONS: tuple[str, ...] = ("auto_reply", "suggest", "escalate", "none")
OUTBOX_STATES: tuple[str, ...] = ("pending", "sending", "sent", "failed", "unknown")


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A chat message as a source saw it, before it is stored.

    `verified` is False for page-mode claims (read from the Seller Centre page)
    until the API confirms them; poll and push messages are verified.
    """

    shop_id: str
    conversation_id: str
    message_id: str
    sender: Sender
    created_at: float
    text: str | None = None
    buyer_id: str = ""
    message_type: str = "text"
    item_id: str | None = None
    order_sn: str | None = None
    source: Source = "poll"
    verified: bool = True


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A message on disk; `seq` is the arrival order (the table's rowid)."""

    seq: int
    shop_id: str
    conversation_id: str
    message_id: str
    sender: Sender
    created_at: float
    text: str | None
    buyer_id: str
    message_type: str
    item_id: str | None
    order_sn: str | None
    source: Source
    verified: bool
    state: MessageState
    received_at: float
    processed_at: float | None


@dataclass(frozen=True, slots=True)
class AddResult:
    """What `MessageLog.add` did: stored a new row, or found it already there.

    `verified_now` is True when an unverified page claim was confirmed by
    this call (the pipeline may then act on a claim it had held back).
    """

    message: StoredMessage
    created: bool
    verified_now: bool = False


@dataclass(frozen=True, slots=True)
class NewDecision:
    """What the pipeline understood and decided for one buyer message, with its reasons."""

    shop_id: str
    conversation_id: str
    message_id: str
    action: Action
    intent: str | None = None
    pillar: str | None = None
    confidence: float | None = None
    language: str | None = None
    negative: bool = False
    wants_human: bool = False
    understood: bool = True
    entities: dict[str, Any] = field(default_factory=dict)
    rule_id: str | None = None
    reply_text: str | None = None
    reasons: list[Any] = field(default_factory=list)
    data_used: dict[str, Any] = field(default_factory=dict)
    created_at: float | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """A stored decision; `id` grows with time. Fields mirror `NewDecision`."""

    id: int
    shop_id: str
    conversation_id: str
    message_id: str
    action: Action
    intent: str | None
    pillar: str | None
    confidence: float | None
    language: str | None
    negative: bool
    wants_human: bool
    understood: bool
    entities: dict[str, Any]
    rule_id: str | None
    reply_text: str | None
    reasons: list[Any]
    data_used: dict[str, Any]
    created_at: float


@dataclass(frozen=True, slots=True)
class Correction:
    """The seller said a message's intent was wrong: input for the learning loop."""

    id: int
    shop_id: str
    message_id: str
    old_intent: str | None
    new_intent: str
    by: str
    created_at: float
    text: str | None


@dataclass(frozen=True, slots=True)
class NewOutboxEntry:
    """A send we intend to make; `key` is the idempotency key, e.g. `reply:<shop>:<message_id>`.

    `kind` "auto" goes out through send_autoreply_message, "manual" (a person
    approved it) through send_message (shopee-open-platform.md 0.3).
    """

    key: str
    shop_id: str
    conversation_id: str
    buyer_id: str
    text: str
    kind: OutboxKind = "auto"
    reply_to: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """An outbox row and where it is in pending -> sending -> sent | failed | unknown."""

    key: str
    shop_id: str
    conversation_id: str
    buyer_id: str
    text: str
    kind: OutboxKind
    reply_to: str | None
    payload: dict[str, Any]
    state: OutboxState
    attempts: int
    created_at: float
    updated_at: float
    sent_message_id: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class ConversationState:
    """What the pipeline remembers per conversation between messages.

    `fingerprints` holds recent `(fingerprint, at)` pairs for "same question
    asked three times"; `paused_until` is the human-takeover pause.
    """

    shop_id: str
    conversation_id: str
    buyer_id: str = ""
    language: str | None = None
    held: bool = False
    held_reason: str | None = None
    held_since: float | None = None
    holding_replies_sent: int = 0
    paused_until: float | None = None
    not_understood_streak: int = 0
    fingerprints: tuple[tuple[str, float], ...] = ()
    tags: tuple[str, ...] = ()
    updated_at: float = 0.0


@dataclass(frozen=True, slots=True)
class Escalation:
    """A conversation handed to a person; open while `resolved_at` is None."""

    id: int
    shop_id: str
    conversation_id: str
    message_id: str | None
    reason: str
    detail: str | None
    raised_at: float
    resolved_at: float | None
    resolved_by: str | None
    resolution: str | None


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One persisted WebSocket event; `seq` is strictly increasing and never reused."""

    seq: int
    type: str
    data: dict[str, Any]
    at: float


@dataclass(frozen=True, slots=True)
class KpiMessage:
    """The three facts CRR needs about a message, as rows from `MessageLog.kpi_rows`."""

    conversation_id: str
    sender: Sender
    created_at: float
