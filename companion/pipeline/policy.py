"""Which intents may be answered automatically (issue 5 item 3).

Factual live-data answers (order status, tracking number, stock, shipping fee)
are auto-eligible from the start. Every other intent starts in shadow mode:
its replies are only suggested, and it graduates once `graduation_threshold`
suggestions were accepted unchanged. The seller can override either way per
intent. State (overrides and acceptance counts) is kept in one 0600 JSON file
so a restart keeps what the seller taught it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from companion.nlu import INTENTS
from companion.securefile import read_private_json, write_private_json

FACTUAL_INTENTS = frozenset({"order_status", "tracking_number", "stock", "shipping_fee"})
GRADUATION_THRESHOLD = 5
Override = Literal["auto", "suggest"]
Outcome = Literal["accepted", "edited", "dismissed"]


@dataclass(frozen=True, slots=True)
class IntentStatus:
    """What the dashboard shows per intent: eligibility, why, and the acceptance tally."""

    intent: str
    auto_eligible: bool
    why: str
    override: str | None
    accepted: int
    edited: int
    dismissed: int
    threshold: int

    def public(self) -> dict[str, object]:
        return {
            "intent": self.intent,
            "auto_eligible": self.auto_eligible,
            "why": self.why,
            "override": self.override,
            "accepted_unchanged": self.accepted,
            "edited": self.edited,
            "dismissed": self.dismissed,
            "graduation_threshold": self.threshold,
        }


class AutomationPolicy:
    """Per-intent automation switches and acceptance counts, persisted atomically."""

    def __init__(self, path: Path, graduation_threshold: int = GRADUATION_THRESHOLD) -> None:
        self._path = path
        self.threshold = graduation_threshold
        self._lock = threading.Lock()
        saved = read_private_json(path) if path.exists() else {}
        self._overrides: dict[str, str] = dict(saved.get("overrides", {}))
        self._counts: dict[str, dict[str, int]] = {
            k: dict(v) for k, v in saved.get("counts", {}).items()
        }

    def _save(self) -> None:
        write_private_json(self._path, {"overrides": self._overrides, "counts": self._counts})

    def status(self, intent: str) -> IntentStatus:
        with self._lock:
            override = self._overrides.get(intent)
            counts = self._counts.get(intent, {})
        accepted = counts.get("accepted", 0)
        if override == "auto":
            eligible, why = True, "seller_override_auto"
        elif override == "suggest":
            eligible, why = False, "seller_override_suggest"
        elif intent in FACTUAL_INTENTS:
            eligible, why = True, "factual_live_data"
        elif accepted >= self.threshold:
            eligible, why = True, "graduated"
        else:
            eligible, why = False, "shadow_mode"
        return IntentStatus(
            intent, eligible, why, override, accepted, counts.get("edited", 0),
            counts.get("dismissed", 0), self.threshold,
        )

    def all_statuses(self) -> list[IntentStatus]:
        return [self.status(intent) for intent in INTENTS]

    def set_override(self, intent: str, override: Override | None) -> IntentStatus:
        """`auto` / `suggest` pins the intent; None returns it to the default policy."""
        if intent not in INTENTS:
            raise KeyError(intent)
        with self._lock:
            if override is None:
                self._overrides.pop(intent, None)
            else:
                self._overrides[intent] = override
            self._save()
        return self.status(intent)

    def record_outcome(self, intent: str, outcome: Outcome) -> None:
        """A person accepted (unchanged), edited or dismissed a suggestion for `intent`."""
        with self._lock:
            counts = self._counts.setdefault(intent, {})
            counts[outcome] = counts.get(outcome, 0) + 1
            self._save()
