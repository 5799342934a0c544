"""`yiwaiwai eval`: test-split tables for the shipped model and the keyword baseline.

The last line of output is one JSON object (machine-readable summary).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

NAME = "eval"
HELP = "evaluate the NLU model against the keyword baseline on the corpus test split"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options: model path, corpus folder, split."""
    parser.add_argument("--model", type=Path, default=None, help="intent model (default: shipped)")
    parser.add_argument(
        "--corpus", type=Path, default=None, help="corpus folder (default: shipped)"
    )
    parser.add_argument("--split", choices=("train", "dev", "test"), default="test")
    parser.add_argument(
        "--classify-lines",
        type=int,
        default=100_000,
        help="input lines for the end-to-end `classify` throughput run (0: skip it)",
    )
    parser.add_argument(
        "--listing",
        action="store_true",
        help="evaluate listing answers (product facts, size advice, recommendations) instead",
    )


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def run(args: argparse.Namespace) -> int:
    """Print the tables, then the JSON summary line."""
    if getattr(args, "listing", False):
        from companion.listing.evaluate import main as listing_main

        return listing_main()
    from companion.nlu import corpus, evaluate
    from companion.nlu.baseline import KeywordBaseline
    from companion.nlu.understander import ModelMissingError, Understander

    try:
        understander = Understander.load(args.model)
    except ModelMissingError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    report = corpus.load(args.corpus or corpus.DEFAULT_CORPUS_DIR)
    examples = [ex for ex in report.examples if ex.split == args.split]
    if not examples:
        print(f"no examples in the {args.split} split", file=sys.stderr)
        return 1
    model = evaluate.score(examples, evaluate.predict_model(understander, examples))
    base = evaluate.score(examples, evaluate.predict_baseline(KeywordBaseline(), examples))
    texts = [ex.text for ex in examples]
    perf = evaluate.performance(args.model, texts)
    if args.classify_lines > 0:
        perf.update(evaluate.classify_process(args.model, texts, args.classify_lines))
    print(evaluate.render(model, base, perf, args.split))
    summary = {
        "split": args.split,
        "corpus_digest": report.digest,
        "threshold": understander.threshold,
        "model": model,
        "baseline": base,
        "performance": perf,
    }
    print(json.dumps(_rounded(summary), ensure_ascii=False, separators=(",", ":")))
    return 0
