"""REST for rules under `/api/v1/rules`: CRUD, enable/disable, reorder, packs, history, undo,
dry run (`POST /api/v1/rules/test`) and backtest (`POST /api/v1/rules/backtest`).

Thin handlers: parse with the strict models, call the repository / engine,
serialise. Errors: 404 `rule_not_found`, 409 `conflict`, 422 `invalid_input`
naming the field (pydantic loc), plus the gate's 400/413/415.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, model_validator

from companion.pipeline.enrich import gather_facts, with_listing
from companion.rules.backtest import HistoryRecord, backtest
from companion.rules.engine import RuleSet, evaluate
from companion.rules.facts import Facts, ShopFacts
from companion.rules.locale import region_info
from companion.rules.models import MAX_RULES, Language, Rule, RulePack, Tag
from companion.rules.packs import PackError, default_rules
from companion.rules.repository import (
    NEW_RULE_PRIORITY,
    ConflictError,
    RuleNotFoundError,
    RuleRepository,
)
from companion.web import keys
from companion.web.errors import APIError
from companion.web.jsonio import read_json, read_model, validate

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
MAX_HISTORY = 5000
Voice = Literal["professional", "warm", "lively"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReorderBody(Strict):
    """The new evaluation order; `moved` names the rule the seller moved (it takes the
    priority of the band it lands in, see `RuleRepository.reorder`)."""

    ids: list[str] = Field(max_length=MAX_RULES)
    moved: str | None = None


class DefaultsChoice(Strict):
    """Install the shipped packs: languages (empty = the shops' languages) in one voice."""

    languages: list[Language] = Field(default_factory=list)
    voice: Voice = "professional"


class ImportBody(Strict):
    pack: RulePack | None = None
    defaults: DefaultsChoice | None = None
    mode: Literal["merge", "replace"] = "merge"

    @model_validator(mode="after")
    def _one_source(self) -> ImportBody:
        if (self.pack is None) == (self.defaults is None):
            raise ValueError("give exactly one of pack / defaults")
        return self


class UndoBody(Strict):
    change_id: int | None = Field(default=None, ge=1)


class DryRunBody(Strict):
    text: str = Field(min_length=1, max_length=4000)
    shop_id: str | None = Field(default=None, pattern=r"^\d{1,20}$")
    buyer_id: str | None = Field(default=None, pattern=r"^\d{1,20}$")
    order_sn: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{6,40}$")
    item_id: str | None = Field(default=None, pattern=r"^\d{1,20}$")
    model_id: str | None = Field(default=None, pattern=r"^\d{1,20}$")
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    rules: list[Rule] | None = Field(default=None, max_length=MAX_RULES)


class BacktestBody(Strict):
    messages: list[HistoryRecord] | None = Field(default=None, max_length=MAX_HISTORY)
    rules: list[Rule] | None = Field(default=None, max_length=MAX_RULES)
    shop_id: str | None = Field(default=None, pattern=r"^\d{1,20}$")
    limit: int = Field(default=1000, ge=1, le=MAX_HISTORY)
    samples: int = Field(default=3, ge=1, le=10)


# --- helpers -------------------------------------------------------------------------------------


def _repo(request: web.Request) -> RuleRepository:
    return request.app[keys.rules_key]


def _rule_json(rule: Rule) -> dict[str, Any]:
    return rule.model_dump(mode="json")


def _draft_or_saved(request: web.Request, draft: list[Rule] | None) -> RuleSet:
    if draft is not None:
        ids = [r.id for r in draft]
        if len(ids) != len(set(ids)):
            raise APIError(422, "invalid_input", "rules: duplicate rule ids")
        return RuleSet.build(draft)
    return _repo(request).ruleset()


def _shop(request: web.Request, shop_id: str | None) -> Any:
    connection = request.app[keys.connection_key]
    if shop_id is None:
        return connection.shops[0] if connection.shops else None
    shop = connection.shop(shop_id)
    if shop is None:
        raise APIError(422, "unknown_shop", f"no shop {shop_id}")
    return shop


def shop_languages(shops: Any) -> list[str]:
    """Languages of every shop's market, defaults first (MY: en, ms, zh-Hans)."""
    languages: list[str] = []
    for shop in shops:
        languages += [lang for lang in region_info(shop.region).languages if lang not in languages]
    return languages or ["en"]


def _map_errors(exc: Exception) -> APIError:
    if isinstance(exc, RuleNotFoundError):
        return APIError(404, "rule_not_found", f"no {exc.args[0]}" if exc.args else "no such rule")
    if isinstance(exc, PackError):
        return APIError(422, "invalid_pack", str(exc)[:500])
    return APIError(409, "conflict", str(exc))


class _Errors:
    """`with _errors():` turns repository errors into the JSON envelope."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if isinstance(exc, RuleNotFoundError | ConflictError | PackError):
            raise _map_errors(exc) from exc


# --- collection ----------------------------------------------------------------------------------


@routes.get("/api/v1/rules")
async def list_rules(request: web.Request) -> web.Response:
    """Rules in evaluation order (the list order is the evaluation order); `evaluation_order`
    repeats their ids for clients that read it."""
    repo = _repo(request)
    return web.json_response({
        "rules": [_rule_json(r) for r in repo.list()],
        "evaluation_order": [r.id for r in repo.ruleset().rules],
    })


@routes.post("/api/v1/rules")
async def create_rule(request: web.Request) -> web.Response:
    """New rules start in shadow mode unless the body sets `shadow` (security.md A6), and at
    `NEW_RULE_PRIORITY` unless it sets `priority` (so the catch-all cannot shadow them)."""
    body = await read_json(request)
    if isinstance(body, dict):
        body = {"shadow": True, "priority": NEW_RULE_PRIORITY, **body}
    rule = validate(Rule, body)
    with _Errors():
        _repo(request).create(rule)
    return web.json_response(_rule_json(rule), status=201)


@routes.get("/api/v1/rules/export")
async def export_rules(request: web.Request) -> web.Response:
    """The whole rule set as a pack (rules hold no secrets or buyer data)."""
    rules = _repo(request).list()
    languages = sorted({lang for r in rules for lang in r.templates})
    pack = RulePack(name="yiwaiwai export", languages=languages, rules=rules)  # type: ignore[arg-type]
    return web.json_response(pack.model_dump(mode="json"))


@routes.post("/api/v1/rules/import")
async def import_rules(request: web.Request) -> web.Response:
    body = await read_model(request, ImportBody)
    repo = _repo(request)
    with _Errors():
        if body.defaults is not None:
            shops = request.app[keys.connection_key].shops
            languages = body.defaults.languages or shop_languages(shops)
            rules = default_rules(languages, body.defaults.voice)
            name = f"defaults {body.defaults.voice} ({', '.join(languages)})"
            pack = RulePack(name=name, rules=rules)
        else:
            assert body.pack is not None
            pack = body.pack
        result = repo.import_pack(pack, body.mode)
    return web.json_response({"created": result.created, "updated": result.updated,
                              "removed": result.removed, "change_id": result.change_id})


@routes.post("/api/v1/rules/reorder")
async def reorder_rules(request: web.Request) -> web.Response:
    body = await read_model(request, ReorderBody)
    with _Errors():
        rules = _repo(request).reorder(body.ids, body.moved)
    return web.json_response({"rules": [_rule_json(r) for r in rules]})


@routes.get("/api/v1/rules/history")
async def rules_history(request: web.Request) -> web.Response:
    try:
        limit = max(1, min(int(request.query.get("limit", "50")), 500))
    except ValueError as exc:
        raise APIError(422, "invalid_input", "limit must be a number") from exc
    return web.json_response({"history": _repo(request).history(limit)})


@routes.post("/api/v1/rules/undo")
async def undo_change(request: web.Request) -> web.Response:
    body = await read_model(request, UndoBody)
    with _Errors():
        entry = _repo(request).undo(body.change_id)
    return web.json_response(entry)


@routes.post("/api/v1/rules/test")
async def dry_run(request: web.Request) -> web.Response:
    """Understand the text, gather live facts, evaluate: what would happen, and why."""
    body = await read_model(request, DryRunBody)
    ruleset = _draft_or_saved(request, body.rules)
    understanding = request.app[keys.model_key].understand(body.text)
    shop = _shop(request, body.shop_id)
    order_sn = body.order_sn or (understanding.entities.order_sns[0]
                                 if understanding.entities.order_sns else None)
    if shop is None:
        facts = Facts(tags=frozenset(body.tags))
    else:
        facts = await gather_facts(
            request.app[keys.connection_key].client, shop, buyer_id=body.buyer_id,
            order_sn=order_sn, item_id=body.item_id, model_id=body.model_id,
            sizes=understanding.entities.sizes, tags=body.tags)
        facts = await with_listing(  # a dry run records no listing gaps
            facts, request.app.get(keys.listing_key), understanding, body.text,
            item_id=body.item_id, order_sn=order_sn, record_gaps=False)
    decision = evaluate(ruleset, understanding, body.text, facts)
    return web.json_response({
        "intent": understanding.intent, "pillar": understanding.pillar,
        "confidence": round(understanding.confidence, 4), "language": understanding.language,
        "negative": understanding.negative, "wants_human": understanding.wants_human,
        "understood": understanding.understood, "entities": understanding.entities.as_dict(),
        **decision.model_dump(mode="json", exclude={"language"}),
        "reply_language": decision.language,
        "facts": facts.model_dump(mode="json"),
    })


@routes.post("/api/v1/rules/backtest")
async def run_backtest(request: web.Request) -> web.Response:
    """Backtest the saved or draft rules over `messages`, else over the stored chat history."""
    body = await read_model(request, BacktestBody)
    ruleset = _draft_or_saved(request, body.rules)
    shop = _shop(request, body.shop_id)
    shop_facts = ShopFacts.for_region(shop.shop_id, shop.region, shop.name) if shop \
        else ShopFacts()
    if body.messages is not None:
        history: list[HistoryRecord] = body.messages
        source = "request"
    else:
        history = list(stored_history(request.app, body.shop_id, body.limit))
        source = "store"
    model = request.app[keys.model_key]
    result = await asyncio.get_running_loop().run_in_executor(
        None, lambda: backtest(ruleset, history, shop=shop_facts, understand=model.understand,
                               samples=body.samples))
    return web.json_response({"source": source, **result})


def _chat_store(app: web.Application) -> Any:
    """The chat store the app keeps open (the backtest's stored history)."""
    return app[keys.store_key]


def stored_history(app: web.Application, shop_id: str | None,
                   limit: int) -> Iterator[HistoryRecord]:
    """Buyer messages with their recorded understanding, from the chat store when it is there."""
    store = _chat_store(app)
    if store is None:
        return
    for decision in store.decisions.recent(shop_id, limit):
        message = store.messages.get(decision.shop_id, decision.message_id)
        if message is None or not message.text:
            continue
        data = decision.data_used or {}
        try:
            yield HistoryRecord(
                text=message.text[:4000], language=decision.language, intent=decision.intent,
                confidence=decision.confidence, negative=decision.negative,
                wants_human=decision.wants_human, understood=decision.understood,
                order_status=data.get("order_status"), order_sn=message.order_sn,
                at=message.created_at)
        except ValueError:
            log.debug("skipped a stored message that does not fit the backtest record")


# --- one rule (registered after the fixed paths above so they win) -------------------------------


@routes.get("/api/v1/rules/{rule_id}")
async def get_rule(request: web.Request) -> web.Response:
    with _Errors():
        rule = _repo(request).get(request.match_info["rule_id"])
    return web.json_response(_rule_json(rule))


@routes.put("/api/v1/rules/{rule_id}")
async def update_rule(request: web.Request) -> web.Response:
    """Replace a rule; the body's `id` may be left out (the path names the rule)."""
    rule_id = request.match_info["rule_id"]
    body = await read_json(request)
    if isinstance(body, dict):
        body = {"id": rule_id, **body}
    rule = validate(Rule, body)
    if rule.id != rule_id:
        raise APIError(422, "invalid_input", "id: must match the rule in the path",
                       [{"field": "id", "problem": "must match the rule in the path"}])
    with _Errors():
        _repo(request).update(rule_id, rule)
    return web.json_response(_rule_json(rule))


@routes.delete("/api/v1/rules/{rule_id}")
async def delete_rule(request: web.Request) -> web.Response:
    with _Errors():
        rule = _repo(request).delete(request.match_info["rule_id"])
    return web.json_response({"deleted": _rule_json(rule)})


async def _set_enabled(request: web.Request, enabled: bool) -> web.Response:
    with _Errors():
        rule = _repo(request).set_enabled(request.match_info["rule_id"], enabled)
    return web.json_response(_rule_json(rule))


@routes.post("/api/v1/rules/{rule_id}/enable")
async def enable_rule(request: web.Request) -> web.Response:
    return await _set_enabled(request, True)


@routes.post("/api/v1/rules/{rule_id}/disable")
async def disable_rule(request: web.Request) -> web.Response:
    return await _set_enabled(request, False)


# --- lifecycle -----------------------------------------------------------------------------------


async def rules_ctx(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx entry: open the repository; on first start install the professional defaults
    for the shops' languages. Needs the shop connection (for the markets), so it goes after it."""
    repository = RuleRepository.open(app[keys.settings_key].data_dir)
    try:
        if not repository.initialised():
            languages = shop_languages(app[keys.connection_key].shops)
            name = f"defaults professional ({', '.join(languages)})"
            repository.install(default_rules(languages), name)
            log.info("installed default rules for %s", ", ".join(languages))
        app[keys.rules_key] = repository
        yield
    finally:
        repository.close()
