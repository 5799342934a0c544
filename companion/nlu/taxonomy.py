"""The intent taxonomy and language codes: the contract in shared/docs/intents.md.

Plain constants, so rules, the API and analytics can import them without fastText.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

PILLARS: Final = ("pre_sale", "logistics", "after_sale", "general")

INTENTS: Final[dict[str, str]] = {
    "stock": "pre_sale",
    "product_spec": "pre_sale",
    "size_advice": "pre_sale",
    "promotion": "pre_sale",
    "recommendation": "pre_sale",
    "order_status": "logistics",
    "shipping_fee": "logistics",
    "tracking_number": "logistics",
    "address_change": "logistics",
    "return_refund": "after_sale",
    "item_problem": "after_sale",
    "product_usage": "after_sale",
    "warranty": "after_sale",
    "cancel_order": "after_sale",
    "greeting": "general",
    "human_agent": "general",
    "other": "general",
}

LANGUAGES: Final = ("zh-Hans", "zh-Hant", "en", "id", "vi", "th", "ms", "tl", "pt", "es")

LATIN_LANGUAGES: Final = ("en", "id", "vi", "ms", "tl", "pt", "es")

FALLBACK_INTENT: Final = "other"


def pillar_of(intent: str) -> str:
    """The pillar an intent belongs to; unknown intents count as `general`."""
    return INTENTS.get(intent, "general")


def frozen_intents() -> MappingProxyType[str, str]:
    """A read-only view of the taxonomy for callers that must not mutate it."""
    return MappingProxyType(INTENTS)
