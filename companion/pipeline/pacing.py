"""Adaptive polling interval: fast while buyers are writing, slow when idle, backing off on limits.

Shopee suggests 15-60 s per shop for idle polling (doc 7.5); while a
conversation is active we poll about once a second so a person (or the bot)
answers in seconds. Rate limits double the wait up to a ceiling; a spent daily
quota waits for its reset.
"""

from __future__ import annotations

from dataclasses import dataclass

FAST_S = 1.0
SLOW_S = 15.0
ACTIVE_FOR_S = 120.0
MAX_BACKOFF_S = 300.0


@dataclass(frozen=True, slots=True)
class PollTiming:
    """Tunables: `fast_s` while active, ramping to `slow_s` after `active_for_s` of silence."""

    fast_s: float = FAST_S
    slow_s: float = SLOW_S
    active_for_s: float = ACTIVE_FOR_S
    max_backoff_s: float = MAX_BACKOFF_S


@dataclass(slots=True)
class Pacer:
    """Decides how long a shop's poller sleeps before the next poll."""

    timing: PollTiming
    last_activity: float = float("-inf")
    backoff_s: float = 0.0

    def saw_activity(self, now: float) -> None:
        self.last_activity = now

    def succeeded(self) -> None:
        self.backoff_s = 0.0

    def failed(self, rate_limited: bool) -> float:
        """Double the wait after each failure in a row (from 2 s when rate limited)."""
        start = 2.0 if rate_limited else max(self.timing.fast_s, 0.5)
        self.backoff_s = min(self.timing.max_backoff_s, max(start, self.backoff_s * 2))
        return self.backoff_s

    def next_delay(self, now: float) -> float:
        if self.backoff_s:
            return self.backoff_s
        idle = now - self.last_activity
        if idle <= self.timing.active_for_s:
            return self.timing.fast_s
        # Ramp linearly from fast to slow over another `active_for_s` of silence.
        share = min(1.0, (idle - self.timing.active_for_s) / max(self.timing.active_for_s, 1e-9))
        return self.timing.fast_s + share * (self.timing.slow_s - self.timing.fast_s)
