"""The rule schema: one pydantic model for the store, the REST API and the packs in `rules/`.

A rule is `when` (conditions, all must hold) + `action` + per-language
templates. Everything a seller can type is checked here, at save time:
unknown fields, regexes RE2 refuses, unknown placeholders, replies over
Shopee's 600-character limit (security.md 3.6, shopee doc 7.4).

Evaluation order (documented contract, used by `engine.evaluate`): enabled
rules sorted by `priority` descending (higher first), ties kept in list
order; `tag` / `set_order_note` rules add their effect and evaluation goes on;
the first `auto_reply` / `suggest` / `escalate` rule whose conditions all hold
wins and ends evaluation. Why: specific rules (escalations, cancellations by
status) sit above generic ones, and the seller can see and change the order.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from companion.nlu.taxonomy import INTENTS
from companion.rules.matching import regex_problem
from companion.rules.templates import template_problem

PACK_FORMAT = "yiwaiwai.rules/1"
MAX_RULES = 500
MAX_REGEX_CHARS = 512
MAX_TERM_CHARS = 80
MAX_TERMS = 200

ORDER_STATUSES = (
    "UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
    "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED", "INVOICE_PENDING", "PENDING",
)
ACTIONS = ("auto_reply", "suggest", "escalate", "set_order_note", "tag")
TERMINAL_ACTIONS = frozenset({"auto_reply", "suggest", "escalate"})
ENTITY_NAMES = ("order_sn", "item_id", "size", "height", "weight", "foot_length", "quantity")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
VOICES = ("professional", "warm", "lively")

Action = Literal["auto_reply", "suggest", "escalate", "set_order_note", "tag"]
Language = Literal["zh-Hans", "zh-Hant", "en", "id", "vi", "th", "ms", "tl", "pt", "es"]
Intent = Literal[
    "stock", "product_spec", "size_advice", "promotion", "recommendation", "order_status",
    "shipping_fee", "tracking_number", "address_change", "return_refund", "item_problem",
    "product_usage", "warranty", "cancel_order", "greeting", "human_agent", "other",
]
OrderStatus = Literal[
    "UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
    "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED", "INVOICE_PENDING", "PENDING",
]
EntityName = Literal["order_sn", "item_id", "size", "height", "weight", "foot_length", "quantity"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Placeholder = Literal[
    "buyer_name", "order_sn", "order_status", "tracking_number", "carrier",
    "last_tracking_event", "last_tracking_time", "eta", "ship_by_date", "item_name",
    "variant_name", "variant_stock", "in_stock_variants", "shipping_fee", "shop_name",
    "voucher_code", "item_attribute", "attribute_name", "recommended_size", "size_reason",
    "nearest_size", "size_question", "recommendations", "recommendation_links", "which_item",
]
# What the shop's own listing lets a reply say (companion.listing.facts): `answer` (every
# asked fact is in the listing), `ask` (which item / the buyer's measurements), `suggest`
# (the listing lacks it: a person answers) or `none` (not a listing question, or no data).
ListingStatus = Literal["answer", "ask", "suggest", "none"]
LISTING_STATUSES = ("answer", "ask", "suggest", "none")

Term = Annotated[str, Field(min_length=1, max_length=MAX_TERM_CHARS)]
Tag = Annotated[str, Field(pattern=r"^[\w.-]{1,40}$")]
Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


def _group(value: Any) -> Any:
    """A bare string in `keywords_all` is a group of one term."""
    return [value] if isinstance(value, str) else value


def _template_ok(text: str) -> str:
    if problem := template_problem(text):
        raise ValueError(problem)
    return text


TemplateText = Annotated[str, AfterValidator(_template_ok)]
TermGroup = Annotated[list[Term], BeforeValidator(_group), Field(min_length=1, max_length=40)]

class StrictModel(BaseModel):
    """Refuse unknown fields: a typo must be an error, not a silently ignored condition."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class BusinessHours(StrictModel):
    """Days and a daily window in the shop's time zone; `inside=false` means outside it."""

    days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS), min_length=1, max_length=7)
    start: Clock = "09:00"
    end: Clock = "18:00"
    inside: bool = True

    @model_validator(mode="after")
    def _window_not_empty(self) -> BusinessHours:
        if self.start == self.end:
            raise ValueError("start and end must differ")
        return self


class Conditions(StrictModel):
    """All given conditions must hold; an empty `Conditions` matches every message."""

    intents: list[Intent] = Field(default_factory=list, max_length=len(INTENTS))
    keywords_all: list[TermGroup] = Field(default_factory=list, max_length=20)
    keywords_any: list[Term] = Field(default_factory=list, max_length=MAX_TERMS)
    keywords_none: list[Term] = Field(default_factory=list, max_length=MAX_TERMS)
    regex: str | None = Field(default=None, min_length=1, max_length=MAX_REGEX_CHARS)
    order_status_in: list[OrderStatus] = Field(default_factory=list)
    order_status_not_in: list[OrderStatus] = Field(default_factory=list)
    has_order: bool | None = None
    stock_at_most: int | None = Field(default=None, ge=0, le=10_000_000)
    languages: list[Language] = Field(default_factory=list)
    business_hours: BusinessHours | None = None
    min_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    entities: list[EntityName] = Field(default_factory=list)
    repeat_buyer: bool | None = None
    tags_all: list[Tag] = Field(default_factory=list, max_length=20)
    tags_none: list[Tag] = Field(default_factory=list, max_length=20)
    negative: bool | None = None
    wants_human: bool | None = None
    understood: bool | None = None
    data_present: list[Placeholder] = Field(default_factory=list)
    listing_status: list[ListingStatus] = Field(default_factory=list, max_length=4)

    @field_validator("regex")
    @classmethod
    def _re2_compiles(cls, value: str | None) -> str | None:
        if value is not None and (problem := regex_problem(value)):
            raise ValueError(problem)
        return value


class Rule(StrictModel):
    """One seller rule; see the module docstring for how rules are ordered."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=500)
    enabled: bool = True
    shadow: bool = False
    priority: int = Field(default=100, ge=0, le=1000)
    when: Conditions = Field(default_factory=Conditions)
    action: Action
    templates: dict[Language, TemplateText] = Field(default_factory=dict)
    order_note: TemplateText | None = None
    add_tags: list[Tag] = Field(default_factory=list, max_length=10)
    on_missing_data: Literal["suggest", "escalate"] = "suggest"
    allow_urls: bool = False

    @model_validator(mode="after")
    def _action_has_what_it_needs(self) -> Rule:
        if self.action in ("auto_reply", "suggest") and not self.templates:
            raise ValueError(f"action {self.action} needs at least one template")
        if self.action == "tag" and not self.add_tags:
            raise ValueError("action tag needs add_tags")
        if self.action == "set_order_note" and not self.order_note:
            raise ValueError("action set_order_note needs order_note")
        return self

    @property
    def terminal(self) -> bool:
        """Whether a match ends evaluation (reply or escalation) rather than adding an effect."""
        return self.action in TERMINAL_ACTIONS


class RulePack(StrictModel):
    """A file in `rules/` and the body of import / export: rules plus what they are for."""

    format: Literal["yiwaiwai.rules/1"] = PACK_FORMAT
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=1000)
    languages: list[Language] = Field(default_factory=list)
    voice: Literal["professional", "warm", "lively"] | None = None
    rules: list[Rule] = Field(default_factory=list, max_length=MAX_RULES)

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, value: list[Rule]) -> list[Rule]:
        seen: set[str] = set()
        for rule in value:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id}")
            seen.add(rule.id)
        return value


def evaluation_order(rules: list[Rule]) -> list[Rule]:
    """Rules as the engine reads them: priority high to low, list order within a priority."""
    return sorted(rules, key=lambda rule: -rule.priority)
