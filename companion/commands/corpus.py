"""`yiwaiwai corpus`: run the corpus checker and print counts per intent x language."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.nlu.corpus import CorpusReport

NAME = "corpus"
HELP = "check the NLU corpus (duplicates, labels, fields, split leaks, counts)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options: corpus folder and the per-cell minimum."""
    parser.add_argument(
        "--corpus", type=Path, default=None, help="corpus folder (default: shipped)"
    )
    parser.add_argument(
        "--min-per-cell",
        type=int,
        default=None,
        help="minimum examples per intent x language (default 30)",
    )


def print_report(report: CorpusReport) -> int:
    """Print table, notes and problems; exit code 1 when there are problems."""
    from companion.nlu.corpus import count_table

    print(count_table(report.examples))
    print(f"digest: {report.digest}")
    for note in report.notes:
        print(f"note: {note}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    print(
        f"{'OK' if report.ok else 'FAILED'}: {len(report.examples)} lines, "
        f"{len(report.problems)} problems"
    )
    return 0 if report.ok else 1


def run(args: argparse.Namespace) -> int:
    """Exit 0 when the corpus passes every check."""
    from companion.nlu import corpus

    minimum = args.min_per_cell if args.min_per_cell is not None else corpus.MIN_PER_CELL
    return print_report(corpus.check(args.corpus or corpus.DEFAULT_CORPUS_DIR, minimum))
