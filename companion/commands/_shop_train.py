"""`yiwaiwai train --shop` and `--rollback`: the shop model from the seller's corrections.

Kept apart from `train.py` (the shipped-model trainer) so the two evolve
separately; `train.py` only adds the flags and hands over.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The shop-model flags of `yiwaiwai train`."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--shop",
        action="store_true",
        help="build a shop model from the base corpus + your corrections; "
        "activated only if it does not regress",
    )
    group.add_argument(
        "--rollback", action="store_true", help="go back to the previous model (shop or shipped)"
    )
    parser.add_argument(
        "--data-dir",
        help="data folder for --shop/--rollback (env YIWAIWAI_HOME, default ~/.yiwaiwai)",
    )


def wanted(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "shop", False) or getattr(args, "rollback", False))


def run(args: argparse.Namespace) -> int:
    """0 when activated or rolled back; 1 when refused, nothing to learn or to roll back."""
    from companion.nlu import corpus, shop_model
    from companion.settings import SettingsError, resolve

    try:
        data_dir = resolve({"data_dir": args.data_dir}).data_dir
    except SettingsError as exc:
        print(f"yiwaiwai: {exc}", file=sys.stderr)
        return 1
    if args.rollback:
        try:
            name = shop_model.rollback(data_dir)
        except shop_model.NothingToRollBackError as exc:
            print(f"nothing to roll back: {exc}", file=sys.stderr)
            return 1
        print(f"active model: {name} (a running companion switches within seconds)")
        return 0

    def progress(fraction: float, message: str) -> None:
        print(f"[shop {fraction:4.0%}] {message}", file=sys.stderr, flush=True)

    try:
        result = shop_model.train_shop(data_dir, progress, args.corpus or corpus.DEFAULT_CORPUS_DIR)
    except shop_model.NothingToLearnError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(json.dumps(result.as_dict(), indent=1, ensure_ascii=False))
    return 0 if result.activated else 1
