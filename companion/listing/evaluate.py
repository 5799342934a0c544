"""`yiwaiwai eval --listing`: how often listing answers are right, abstain, or are wrong.

Runs `eval_set.jsonl` against the demo sandbox shop (seed 7, started in-process
and reached through the real client), with each case's labelled intent and
language, so it measures the listing layer alone. Verdicts: `right` (answered
with the expected item and fact, or declined/asked exactly when the case says
it should), `abstained` (asked or suggested where an answer was expected:
safe, a human answers) and `wrong` (answered with a wrong item or fact, or
answered where the listing has no answer). Wrong is the number that must stay
near zero.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.listing.facts import ListingFacts, listing_facts
from companion.listing.knowledge import ShopKnowledge
from companion.listing.recommend import item_url
from companion.listing.resolve import ListingContext
from companion.nlu.taxonomy import pillar_of
from companion.nlu.types import Understanding

EVAL_SET = Path(__file__).with_name("eval_set.jsonl")
VERDICTS = ("right", "abstained", "wrong")


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled listing question; SKUs name items independently of the seed's ids."""

    id: str
    language: str
    shop: str
    intent: str
    text: str
    context_sku: str | None
    order_skus: tuple[str, ...]
    expect: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    verdict: str
    why: str
    facts: ListingFacts


def load_cases(path: Path = EVAL_SET) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        cases.append(Case(raw["id"], raw["lang"], raw["shop"], raw["intent"], raw["text"],
                          raw.get("context_sku"), tuple(raw.get("order_skus", ())),
                          raw["expect"]))
    return cases


def _sku_id(shop: ShopKnowledge, sku: str | None) -> str | None:
    if sku is None:
        return None
    item = shop.by_sku(sku)
    if item is None:
        raise ValueError(f"eval set names unknown SKU {sku}")
    return item.item_id


def _text(shop: ShopKnowledge, text: str) -> str:
    """Expand `{link:SKU}` into the item's real product link for this seed."""
    while "{link:" in text:
        start = text.index("{link:")
        end = text.index("}", start)
        item_id = _sku_id(shop, text[start + 6:end]) or ""
        text = text[:start] + item_url(shop.region, shop.shop_id, item_id) + text[end + 1:]
    return text


def _answer_problem(case: Case, shop: ShopKnowledge, facts: ListingFacts) -> str | None:
    """Why an answer is wrong, or None when it gives the expected item and fact."""
    expect = case.expect
    if expect.get("status", "answer") != "answer":
        return f"answered although the case expects {expect.get('status')}"
    if "item" in expect and facts.item_id != _sku_id(shop, expect["item"]):
        return f"item {facts.item_id} instead of {expect['item']}"
    if "attribute" in expect and facts.values.get("attribute_name") != expect["attribute"]:
        return f"attribute {facts.values.get('attribute_name')} instead of {expect['attribute']}"
    if "size" in expect and facts.values.get("recommended_size") != expect["size"]:
        return f"size {facts.values.get('recommended_size')} instead of {expect['size']}"
    if "nearest" in expect and facts.values.get("nearest_size") != expect["nearest"]:
        return f"nearest {facts.values.get('nearest_size')} instead of {expect['nearest']}"
    for item_id in facts.item_card_ids:
        item = shop.item(item_id)
        if item is None or not item.in_stock:
            return f"recommended {item_id}, which cannot be bought now"
    return None


def judge(case: Case, shop: ShopKnowledge) -> Outcome:
    understanding = Understanding(case.intent, pillar_of(case.intent), 1.0, case.language,
                                  False, False, True)
    context = ListingContext(shop.shop_id, _sku_id(shop, case.context_sku),
                             tuple(i for s in case.order_skus if (i := _sku_id(shop, s))))
    facts = listing_facts(shop, understanding, _text(shop, case.text), context)
    expected = case.expect.get("status", "answer")
    if facts.status == "answer":
        problem = _answer_problem(case, shop, facts)
        return Outcome(case, "wrong" if problem else "right", problem or "", facts)
    if facts.status == expected or (expected == "suggest" and facts.status == "ask"):
        return Outcome(case, "right", f"correctly {facts.status} ({facts.note})", facts)
    return Outcome(case, "abstained", f"{facts.status} ({facts.note})", facts)


def score(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Totals, rates and per-language / per-intent tables as plain JSON."""
    def table(key: str) -> dict[str, dict[str, int]]:
        rows: dict[str, Counter[str]] = defaultdict(Counter)
        for o in outcomes:
            rows[getattr(o.case, key)][o.verdict] += 1
        return {k: {v: rows[k][v] for v in VERDICTS} for k in sorted(rows)}

    totals = Counter(o.verdict for o in outcomes)
    n = max(len(outcomes), 1)
    return {
        "cases": len(outcomes),
        **{v: totals[v] for v in VERDICTS},
        **{f"{v}_rate": totals[v] / n for v in VERDICTS},
        "by_language": table("language"),
        "by_intent": table("intent"),
        "wrong_cases": [{"id": o.case.id, "why": o.why} for o in outcomes if o.verdict == "wrong"],
        "abstained_cases": [{"id": o.case.id, "why": o.why} for o in outcomes
                            if o.verdict == "abstained"],
    }


def render(report: Mapping[str, Any]) -> str:
    lines = [f"listing eval: {report['cases']} cases   right {report['right']}   "
             f"abstained {report['abstained']}   wrong {report['wrong']}",
             f"{'':10}{'right':>8}{'abst.':>8}{'wrong':>8}"]
    for title in ("by_language", "by_intent"):
        lines.append(title.replace("_", " ") + ":")
        for key, row in report[title].items():
            lines.append(f"  {key:<10}{row['right']:>6}{row['abstained']:>8}{row['wrong']:>8}")
    for case in report["wrong_cases"]:
        lines.append(f"WRONG {case['id']}: {case['why']}")
    for case in report["abstained_cases"]:
        lines.append(f"abstained {case['id']}: {case['why']}")
    return "\n".join(lines)


async def sandbox_knowledge(data_dir: Path) -> dict[str, ShopKnowledge]:
    """Both demo shops' knowledge, fetched through the real client from the seed-7 sandbox."""
    from companion.connection import open_connection
    from companion.listing.knowledge import KnowledgeStore
    from companion.settings import resolve

    settings = resolve({"data_dir": data_dir, "demo": True, "tray": False,
                        "buyers_per_minute": 0}, env={})
    store = KnowledgeStore(data_dir)
    async with open_connection(settings) as connection:
        return {shop.region: await store.refresh(connection.client, shop.shop_id,
                                                 region=shop.region)
                for shop in connection.shops}


def evaluate(shops: Mapping[str, ShopKnowledge], cases: Sequence[Case]) -> dict[str, Any]:
    return score([judge(case, shops[case.shop]) for case in cases])


async def run_eval(path: Path = EVAL_SET) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        shops = await sandbox_knowledge(Path(folder))
    return evaluate(shops, load_cases(path))


def main(eval_set: Path | None = None) -> int:
    """Print the tables, then one JSON summary line; exit 1 when any answer is wrong."""
    import asyncio

    report = asyncio.run(run_eval(eval_set or EVAL_SET))
    print(render(report))
    summary = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in report.items()
               if k not in {"abstained_cases"}}
    print(json.dumps(summary, ensure_ascii=False, separators=(",", ":")))
    return 1 if report["wrong"] else 0
