"""The chat store: messages, decisions, outbox, conversations, escalations, events, KPIs.

SQLite (stdlib, WAL) for the chat log; rules stay in TinyDB (see
`companion.store.db` and `yiwaiwai bench --store` for why). Lower layer: it
imports nothing from the pipeline or the web layer.

Public surface (stable): `Store` and its repositories, the record types in
`companion.store.models`, and the KPI functions in `companion.store.kpi`.
"""

from companion.store.db import StoreError
from companion.store.models import (
    AddResult,
    ConversationState,
    Correction,
    Decision,
    Escalation,
    EventRecord,
    KpiMessage,
    NewDecision,
    NewMessage,
    NewOutboxEntry,
    OutboxEntry,
    StoredMessage,
)
from companion.store.report import KpiReport, kpi_report
from companion.store.store import DEFAULT_FILENAME, Store

__all__ = [
    "DEFAULT_FILENAME",
    "AddResult",
    "ConversationState",
    "Correction",
    "Decision",
    "Escalation",
    "EventRecord",
    "KpiMessage",
    "KpiReport",
    "NewDecision",
    "NewMessage",
    "NewOutboxEntry",
    "OutboxEntry",
    "Store",
    "StoreError",
    "StoredMessage",
    "kpi_report",
]
