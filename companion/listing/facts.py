"""`listing_facts`: the pipeline's one call to turn a pre-sale question into listing facts.

Returns the template values ({{item_attribute}}, {{recommended_size}}, ...) the
listing supports for this message and a status saying what the reply may do:
`answer` (every asked fact came from the listing), `ask` (we need the buyer's
measurements or which item they mean; the question is in {{size_question}} or
{{which_item}}), `suggest` (the listing lacks something: a human should answer;
the gap is recorded) or `none` (not a listing question). Nothing here invents a
value: a placeholder is present only when the listing holds its value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from companion.listing.attributes import attribute_value, detect_attributes
from companion.listing.gaps import GapLog
from companion.listing.knowledge import ItemKnowledge, ShopKnowledge
from companion.listing.phrases import language_or_default, phrase
from companion.listing.recommend import links_line, names_line, recommend, short_name
from companion.listing.resolve import ListingContext, Resolution, resolve_item
from companion.listing.sizing import Measurements, SizeAdvice, advise
from companion.listing.text import first_position, fold
from companion.nlu.types import Understanding

LISTING_INTENTS = ("product_spec", "size_advice", "recommendation")
# Placeholders this module can fill (the rules engine's allow-list must hold them).
PLACEHOLDERS = (
    "item_name", "item_attribute", "attribute_name", "recommended_size", "size_reason",
    "nearest_size", "size_question", "recommendations", "recommendation_links", "which_item",
)
_ALTERNATIVE_CUES = (
    "similar", "other", "another", "alternative", "like this", "lain", "yang lain", "serupa",
    "khác", "tương tự", "อื่น", "แบบอื่น", "iba", "katulad", "outro", "outra", "parecido",
    "semelhante", "otro", "otra", "similar", "其他", "别的", "別的", "类似", "類似", "同款",
)


@dataclass(frozen=True, slots=True)
class ListingFacts:
    """What the listing lets us say about one message; see the module docstring."""

    kind: str
    status: str
    values: Mapping[str, str] = field(default_factory=dict)
    item_id: str | None = None
    item_source: str = "none"
    attributes: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    item_card_ids: tuple[str, ...] = ()
    size: SizeAdvice | None = None
    knowledge_age_s: float = 0.0
    note: str = ""

    def public(self) -> dict[str, object]:
        """JSON-friendly form for the dashboard and dry runs."""
        return {"kind": self.kind, "status": self.status, "values": dict(self.values),
                "item_id": self.item_id, "item_source": self.item_source,
                "attributes": list(self.attributes), "gaps": list(self.gaps),
                "candidates": list(self.candidates), "item_card_ids": list(self.item_card_ids),
                "knowledge_age_s": round(self.knowledge_age_s, 1), "note": self.note}


def _which_item(language: str, candidates: Sequence[ItemKnowledge]) -> str:
    names = " / ".join(short_name(c.name) for c in candidates)
    return phrase(language, "which").format(names=names)


def _unresolved(kind: str, language: str, found: Resolution, age: float) -> ListingFacts:
    if found.candidates:
        return ListingFacts(kind, "ask", {"which_item": _which_item(language, found.candidates)},
                            item_source=found.source,
                            candidates=tuple(c.item_id for c in found.candidates),
                            knowledge_age_s=age, note="item_ambiguous")
    return ListingFacts(kind, "suggest", item_source="none", knowledge_age_s=age,
                        note="item_unknown")


def _product_spec(item: ItemKnowledge, text: str, base: dict[str, str],
                  **common: object) -> ListingFacts:
    asked = detect_attributes(text)
    if not asked:
        return ListingFacts("product_spec", "suggest", base, note="attribute_unknown", **common)
    found = {a: v for a in asked if (v := attribute_value(item, a)) is not None}
    gaps = tuple(a for a in asked if a not in found)
    values = dict(base)
    if found:
        if len(found) == 1:
            (name, value), = found.items()
            values["item_attribute"] = value.value
            values["attribute_name"] = name
        else:
            values["item_attribute"] = "; ".join(f"{a}: {v.value}" for a, v in found.items())
            values["attribute_name"] = ", ".join(found)
    status = "answer" if not gaps else "suggest"
    return ListingFacts("product_spec", status, values, attributes=asked, gaps=gaps,
                        note="listing_lacks_fact" if gaps else "", **common)


def _size_advice(item: ItemKnowledge, text: str, language: str, given: Measurements,
                 base: dict[str, str], **common: object) -> ListingFacts:
    advice = advise(item, text, language, given)
    values = dict(base)
    if advice.status == "no_chart":
        return ListingFacts("size_advice", "suggest", values, gaps=("size_chart",), size=advice,
                            note="no_size_chart", **common)
    if advice.status == "ask":
        values["size_question"] = advice.question
        return ListingFacts("size_advice", "ask", values, size=advice,
                            note="measurements_missing", **common)
    if advice.status == "out_of_chart" or advice.size is None:
        return ListingFacts("size_advice", "suggest", values, size=advice, note="out_of_chart",
                            **common)
    values["recommended_size"] = advice.size
    values["size_reason"] = advice.reason
    if advice.nearest_in_stock:
        values["nearest_size"] = advice.nearest_in_stock
    note = "recommended_size_sold_out" if advice.sold_out else ""
    return ListingFacts("size_advice", "answer", values, size=advice, note=note, **common)


def _recommendation(shop: ShopKnowledge, item: ItemKnowledge | None, text: str,
                    pinned: Sequence[str], base: dict[str, str], **common: object) -> ListingFacts:
    wants_alternative = item is not None and (
        not item.in_stock or first_position(fold(text), _ALTERNATIVE_CUES) >= 0)
    picks = recommend(shop, pinned=pinned, like=item) if wants_alternative else []
    if not picks:
        picks = recommend(shop, pinned=pinned)
    values = dict(base)
    if not picks:
        return ListingFacts("recommendation", "suggest", values, note="nothing_in_stock",
                            **common)
    values["recommendations"] = names_line(picks)
    values["recommendation_links"] = links_line(picks)
    return ListingFacts("recommendation", "answer", values,
                        item_card_ids=tuple(p.item_id for p in picks),
                        note="alternatives" if wants_alternative else "best_sellers", **common)


def listing_facts(knowledge: ShopKnowledge, understanding: Understanding, text: str,
                  context: ListingContext, *, gaps: GapLog | None = None,
                  pinned: Sequence[str] = (), now: float | None = None) -> ListingFacts:
    """Facts for one buyer message; records listing gaps in `gaps` when given."""
    kind = understanding.intent if understanding.intent in LISTING_INTENTS else "none"
    language = language_or_default(understanding.language)
    age = knowledge.age(now)
    found = resolve_item(knowledge, text, context)
    item = found.item
    base = {"item_name": item.name} if item is not None else {}
    common: dict[str, object] = {"item_id": item.item_id if item else None,
                                 "item_source": found.source, "knowledge_age_s": age}
    if kind == "recommendation":
        return _recommendation(knowledge, item, text, pinned, base, **common)
    if kind == "none":
        return ListingFacts("none", "none", base, **common)  # type: ignore[arg-type]
    if item is None:
        return _unresolved(kind, language, found, age)
    if kind == "product_spec":
        facts = _product_spec(item, text, base, **common)
    else:
        entities = understanding.entities
        given = Measurements(entities.height_cm, entities.weight_kg, entities.foot_length_cm)
        facts = _size_advice(item, text, language, given, base, **common)
    if gaps is not None and facts.gaps:
        gaps.record(knowledge.shop_id, item.item_id, facts.gaps, language, now)
    return facts
