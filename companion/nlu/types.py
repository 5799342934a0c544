"""Result types of the NLU layer: what `Understander.understand` returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Entities:
    """Things a reply needs that are spelled out in the message (normalised units)."""

    order_sns: tuple[str, ...] = ()
    item_ids: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    height_cm: float | None = None
    weight_kg: float | None = None
    foot_length_cm: float | None = None
    quantities: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form (tuples become lists, empty fields dropped)."""
        out: dict[str, object] = {}
        for name in self.__slots__:
            value = getattr(self, name)
            if value in ((), None):
                continue
            out[name] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True, slots=True)
class Understanding:
    """One message understood: intent (best guess even when not understood) plus flags."""

    intent: str
    pillar: str
    confidence: float
    language: str
    negative: bool
    wants_human: bool
    understood: bool
    entities: Entities = field(default_factory=Entities)
