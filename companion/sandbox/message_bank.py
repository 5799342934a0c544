"""The buyer simulator's own phrasebook: templates per intent and language.

Languages: en, ms, zh-Hans, zh-Hant.

Written for the sandbox, apart from the NLU corpus, so the simulator does not
feed the model its own training sentences. Placeholders: {order_sn}, {item},
{colour}, {size}, {height}, {weight}.
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass
from importlib import resources
from typing import Any

# How often each intent shows up in simulated traffic (order questions dominate real chat).
INTENT_WEIGHTS: dict[str, int] = {
    "order_status": 18, "stock": 12, "product_spec": 8, "size_advice": 7, "promotion": 6,
    "tracking_number": 6, "shipping_fee": 4, "return_refund": 5, "item_problem": 5,
    "cancel_order": 4, "address_change": 3, "product_usage": 3, "warranty": 2,
    "recommendation": 3, "greeting": 8, "human_agent": 2, "other": 2,
}
LANGUAGES = ("en", "ms", "zh-Hans", "zh-Hant")


@dataclass(frozen=True, slots=True)
class MessageBank:
    """Templates by intent then language."""

    templates: dict[str, dict[str, list[str]]]

    @classmethod
    def load(cls) -> MessageBank:
        text = resources.files("companion.sandbox").joinpath("message_bank.json").read_text("utf-8")
        return cls(json.loads(text))

    def intents(self) -> list[str]:
        return list(self.templates)

    def phrasings(self, intent: str, language: str) -> list[str]:
        return self.templates.get(intent, {}).get(language, [])

    def pick(self, rng: random.Random, language: str, needs_order: bool) -> tuple[str, str]:
        """(intent, template) in `language`; skips {order_sn} templates without an order."""
        intents = list(INTENT_WEIGHTS)
        weights = list(INTENT_WEIGHTS.values())
        while True:
            intent = rng.choices(intents, weights)[0]
            options = [t for t in self.phrasings(intent, language)
                       if needs_order or "{order_sn}" not in t]
            if options:
                return intent, rng.choice(options)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def render(template: str, values: dict[str, Any]) -> str:
    """Fill the template; unknown placeholders are left out rather than crashing the simulator."""
    return template.format_map({name: values.get(name, "") for name in placeholders(template)})
