"""`yiwaiwai train`: check the corpus and train the shipped NLU models (or only check)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.commands import _shop_train

NAME = "train"
HELP = (
    "train the intent/language/mood models from the corpus (--check: only check the corpus; "
    "--shop: a shop model from your corrections; --rollback)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options: corpus folder, output model path, check-only, force."""
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="corpus folder of <lang>.jsonl files (default: the shipped corpus)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="intent model path; siblings .word.ftz/.aux.bin/.json go next to it "
        "(default: companion/nlu/model/intent.ftz)",
    )
    parser.add_argument("--check", action="store_true", help="only run the corpus checker")
    parser.add_argument("--force", action="store_true", help="train even if the checker complains")
    parser.add_argument(
        "--min-per-cell",
        type=int,
        default=None,
        help="minimum examples per intent x language (default 30)",
    )
    _shop_train.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Exit 0 on success, 1 when the corpus check fails."""
    if _shop_train.wanted(args):
        return _shop_train.run(args)
    from companion.commands.corpus import print_report
    from companion.nlu import corpus, train

    corpus_dir = args.corpus or corpus.DEFAULT_CORPUS_DIR
    minimum = args.min_per_cell if args.min_per_cell is not None else corpus.MIN_PER_CELL
    if args.check:
        return print_report(corpus.check(corpus_dir, minimum))
    try:
        train.train_all(
            corpus_dir, args.out or train.DEFAULT_MODEL_PATH, minimum=minimum, force=args.force
        )
    except train.CorpusError as exc:
        print(f"corpus check failed:\n{exc}", file=sys.stderr)
        return 1
    return 0
