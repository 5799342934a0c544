"""`yiwaiwai rules`: validate packs, export / import the rule set, dry-run a message offline.

Works on the data folder directly (no server, no Shopee): `test` builds the
facts from the command line (`--order-sn`, `--status`, `--region`), so a
seller can check what a rule would answer before the companion runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

NAME = "rules"
HELP = "rule packs and rules: validate PACK..., export, import PACK, test \"text\""
STATUSES = (
    "UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
    "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED", "INVOICE_PENDING", "PENDING",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    validate = sub.add_parser("validate", help="check pack files against the rule schema")
    validate.add_argument("packs", nargs="+", type=Path, metavar="PACK")
    export = sub.add_parser("export", help="write the rule set as a pack (stdout or --output)")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    imp = sub.add_parser("import", help="import a pack file, or the shipped defaults")
    imp.add_argument("pack", nargs="?", type=Path, metavar="PACK")
    imp.add_argument("--defaults", action="store_true", help="import the shipped default packs")
    imp.add_argument("--languages", nargs="*", default=None, help="with --defaults (default: en)")
    imp.add_argument("--voice", choices=("professional", "warm", "lively"),
                     default="professional", help="with --defaults")
    imp.add_argument("--mode", choices=("merge", "replace"), default="merge")
    test = sub.add_parser("test", help="dry-run one message against the rules, offline")
    test.add_argument("text")
    test.add_argument("--order-sn", help="pretend the message is about this order")
    test.add_argument("--status", choices=STATUSES, help="that order's status")
    test.add_argument("--region", default="MY", help="shop market (languages, time zone)")
    test.add_argument("--shop-name", default=None)
    for command in (export, imp, test):
        command.add_argument("--data-dir", help="data folder (env YIWAIWAI_HOME)")


def _repository(args: argparse.Namespace) -> Any:
    from companion.rules.repository import RuleRepository
    from companion.settings import resolve

    return RuleRepository.open(resolve({"data_dir": args.data_dir}).data_dir)


def _validate(args: argparse.Namespace) -> int:
    from companion.rules.packs import PackError, load_pack

    failed = 0
    for path in args.packs:
        try:
            pack = load_pack(path)
        except PackError as exc:
            failed += 1
            print(f"INVALID {exc}", file=sys.stderr)
            continue
        print(f"ok {path}: {len(pack.rules)} rules, languages {', '.join(pack.languages) or '-'}")
    return 1 if failed else 0


def _export(args: argparse.Namespace) -> int:
    from companion.rules.models import RulePack

    repo = _repository(args)
    try:
        rules = repo.list()
    finally:
        repo.close()
    languages = sorted({lang for r in rules for lang in r.templates})
    pack = RulePack(name="yiwaiwai export", languages=languages, rules=rules)  # type: ignore[arg-type]
    text = json.dumps(pack.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(rules)} rules to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _import(args: argparse.Namespace) -> int:
    from companion.rules.models import RulePack
    from companion.rules.packs import PackError, default_rules, load_pack

    if (args.pack is None) == (not args.defaults):
        print("give a PACK file or --defaults", file=sys.stderr)
        return 2
    try:
        if args.defaults:
            rules = default_rules(args.languages or ["en"], args.voice)
            pack = RulePack(name=f"defaults {args.voice}", rules=rules)
        else:
            pack = load_pack(args.pack)
    except PackError as exc:
        print(f"INVALID {exc}", file=sys.stderr)
        return 1
    repo = _repository(args)
    try:
        result = repo.import_pack(pack, args.mode)
    finally:
        repo.close()
    print(f"imported {pack.name}: {len(result.created)} new, {len(result.updated)} updated, "
          f"{len(result.removed)} removed (change {result.change_id})")
    return 0


def _test(args: argparse.Namespace) -> int:
    from companion.nlu import Understander
    from companion.rules.engine import RuleSet, evaluate
    from companion.rules.facts import Facts, OrderFacts, ShopFacts
    from companion.rules.packs import default_rules

    shop = ShopFacts.for_region(None, args.region, args.shop_name)
    repo = _repository(args)
    try:
        saved = repo.initialised()
        ruleset = repo.ruleset() if saved else RuleSet.build(default_rules(shop.languages))
    finally:
        repo.close()
    understanding = Understander.load().understand(args.text)
    order_sn = args.order_sn or (understanding.entities.order_sns[0]
                                 if understanding.entities.order_sns else None)
    order = OrderFacts(order_sn=order_sn or "-", status=args.status) \
        if order_sn or args.status else None
    decision = evaluate(ruleset, understanding, args.text, Facts(order=order, shop=shop))
    out = {"intent": understanding.intent, "language": understanding.language,
           "rules": "saved" if saved else "defaults", **decision.model_dump(mode="json")}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def run(args: argparse.Namespace) -> int:
    handlers = {"validate": _validate, "export": _export, "import": _import, "test": _test}
    return handlers[args.rules_command](args)
