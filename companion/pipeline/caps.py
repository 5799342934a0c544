"""Reply caps (security.md A2): a loop with another bot must not run away.

At most `per_conversation` automatic replies per conversation in a sliding
`conversation_window_s`, and at most `global_per_minute` sends in any 60 s.
Beyond that the send is suppressed and the conversation needs a human.
In memory: a restart forgets the windows, which only ever lets through what
the outbox would also allow (one reply per buyer message).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

PER_CONVERSATION = 3
CONVERSATION_WINDOW_S = 600.0
GLOBAL_PER_MINUTE = 60
GLOBAL_WINDOW_S = 60.0

CONVERSATION_CAP = "conversation_cap"
GLOBAL_CAP = "global_cap"


@dataclass(frozen=True, slots=True)
class CapLimits:
    per_conversation: int = PER_CONVERSATION
    conversation_window_s: float = CONVERSATION_WINDOW_S
    global_per_minute: int = GLOBAL_PER_MINUTE


@dataclass(slots=True)
class ReplyCaps:
    """Sliding windows of send times; `check` then `record` around each automatic send."""

    limits: CapLimits = field(default_factory=CapLimits)
    _global: deque[float] = field(default_factory=deque)
    _per_conv: dict[str, deque[float]] = field(default_factory=dict)

    def _trim(self, window: deque[float], now: float, span: float) -> None:
        while window and now - window[0] >= span:
            window.popleft()

    def check(self, conversation_key: str, now: float, *, automatic: bool = True) -> str:
        """'' when a send is allowed now, else which cap it would break."""
        self._trim(self._global, now, GLOBAL_WINDOW_S)
        if len(self._global) >= self.limits.global_per_minute:
            return GLOBAL_CAP
        if automatic:
            conv = self._per_conv.get(conversation_key)
            if conv is not None:
                self._trim(conv, now, self.limits.conversation_window_s)
                if len(conv) >= self.limits.per_conversation:
                    return CONVERSATION_CAP
        return ""

    def record(self, conversation_key: str, now: float, *, automatic: bool = True) -> None:
        self._global.append(now)
        if automatic:
            self._per_conv.setdefault(conversation_key, deque()).append(now)

    def seconds_until_global_slot(self, now: float) -> float:
        """How long until the global window has room again (0 when it has)."""
        self._trim(self._global, now, GLOBAL_WINDOW_S)
        if len(self._global) < self.limits.global_per_minute:
            return 0.0
        return max(0.0, self._global[0] + GLOBAL_WINDOW_S - now)
