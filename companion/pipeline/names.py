"""Buyer usernames per conversation, as the chat API's conversation list or the page showed them.

The overlay shows names rather than numeric ids and refuses to insert a reply
when the conversation open in Seller Centre belongs to another buyer, so every
`message.received` carries the buyer's name when the companion has seen it.
Names are display data only (never used to decide anything) and live in
memory: the events log keeps them for replay, and the poller sees them again
on the next pass after a restart. Bounded: past `limit` the oldest half goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_NAME = 200


@dataclass(slots=True)
class BuyerNames:
    """(shop id, conversation id) -> the buyer's username."""

    limit: int = 20_000
    _names: dict[tuple[str, str], str] = field(default_factory=dict)

    def note(self, shop_id: str, conversation_id: str, name: str | None) -> None:
        name = (name or "").strip()[:MAX_NAME]
        if not name:
            return
        key = (str(shop_id), str(conversation_id))
        if self._names.get(key) == name:
            return
        if len(self._names) >= self.limit:
            for old in list(self._names)[: self.limit // 2]:
                del self._names[old]
        self._names.pop(key, None)
        self._names[key] = name

    def get(self, shop_id: str, conversation_id: str | None) -> str:
        if not conversation_id:
            return ""
        return self._names.get((str(shop_id), str(conversation_id)), "")
