"""The labelled corpus: loading, fixed train/dev/test splits, and the checker.

Splits are a pure function of the normalised text (a hash), so the same text
always lands in the same split, adding lines never moves old ones, and two
lines that normalise alike can never leak across splits.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from companion.nlu.normalize import fold_for_match, normalize
from companion.nlu.taxonomy import INTENTS, LANGUAGES

DEFAULT_CORPUS_DIR: Final = Path(__file__).with_name("corpus")
SPLITS: Final = ("train", "dev", "test")
REQUIRED: Final = {"text": str, "lang": str, "intent": str, "negative": bool, "wants_human": bool}
MIN_PER_CELL: Final = 30


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled buyer message."""

    text: str
    lang: str
    intent: str
    negative: bool
    wants_human: bool
    norm: str
    split: str
    source: str


@dataclass(slots=True)
class CorpusReport:
    """Result of loading + checking: examples, problems (fatal) and notes (informative)."""

    examples: list[Example] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    digest: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing fatal was found."""
        return not self.problems


def split_of(norm: str) -> str:
    """Fixed split for a normalised text: ~80% train, 10% dev, 10% test."""
    bucket = int.from_bytes(hashlib.sha1(norm.encode("utf-8")).digest()[:4], "big") % 10
    return "test" if bucket == 0 else "dev" if bucket == 1 else "train"


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The *.jsonl files of a corpus directory, sorted."""
    return sorted(corpus_dir.glob("*.jsonl"))


def _parse_line(raw: str, source: str, problems: list[str]) -> Example | None:
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.append(f"{source}: not JSON ({exc.msg})")
        return None
    if not isinstance(row, dict):
        problems.append(f"{source}: not a JSON object")
        return None
    for key, kind in REQUIRED.items():
        if key not in row:
            problems.append(f"{source}: missing field {key!r}")
            return None
        if not isinstance(row[key], kind):
            problems.append(f"{source}: field {key!r} must be {kind.__name__}")
            return None
    if row["lang"] not in LANGUAGES:
        problems.append(f"{source}: unknown lang {row['lang']!r}")
        return None
    if row["intent"] not in INTENTS:
        problems.append(f"{source}: unknown intent {row['intent']!r}")
        return None
    if not row["text"].strip():
        problems.append(f"{source}: empty text")
        return None
    if row["intent"] == "human_agent" and not row["wants_human"]:
        problems.append(f"{source}: human_agent must have wants_human=true")
    norm = normalize(row["text"])
    return Example(
        row["text"],
        row["lang"],
        row["intent"],
        row["negative"],
        row["wants_human"],
        norm,
        split_of(norm),
        source,
    )


def load(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> CorpusReport:
    """Read every *.jsonl file; structural problems are collected, not raised."""
    report = CorpusReport()
    digest = hashlib.sha256()
    files = corpus_files(corpus_dir)
    if not files:
        report.problems.append(f"{corpus_dir}: no *.jsonl files")
    for path in files:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        for number, raw in enumerate(data.decode("utf-8").splitlines(), 1):
            if raw.strip():
                example = _parse_line(raw, f"{path.name}:{number}", report.problems)
                if example is not None:
                    report.examples.append(example)
    report.digest = digest.hexdigest()[:16]
    return report


def _check_duplicates(examples: Sequence[Example], report: CorpusReport) -> None:
    """Duplicates within a language fail, and so do identical texts labelled with two intents.

    The same short text in two languages ("ok", "👍") with one intent is only a note:
    such messages really are language-neutral.
    """
    seen: dict[tuple[str, str], str] = {}
    by_text: dict[str, list[Example]] = defaultdict(list)
    by_norm: dict[str, int] = Counter()
    for ex in examples:
        key = " ".join(fold_for_match(ex.text).split())
        if (ex.lang, key) in seen:
            report.problems.append(
                f"{ex.source}: duplicate of {seen[(ex.lang, key)]}: {ex.text[:60]!r}"
            )
        else:
            seen[(ex.lang, key)] = ex.source
        by_text[key].append(ex)
        by_norm[ex.norm] += 1
    shared = 0
    for group in by_text.values():
        if len({g.intent for g in group}) > 1:
            where = ", ".join(f"{g.source}={g.intent}" for g in group[:4])
            report.problems.append(f"one text, several intents: {where}")
        elif len({g.lang for g in group}) > 1:
            shared += 1
    if shared:
        report.notes.append(f"{shared} texts appear in several languages with one intent")
    near = sum(n - 1 for n in by_norm.values() if n > 1)
    if near:
        report.notes.append(f"{near} lines normalise to a text seen before (kept, same split)")


def _check_splits(examples: Sequence[Example], report: CorpusReport) -> None:
    where: dict[str, str] = {}
    for ex in examples:
        if where.setdefault(ex.norm, ex.split) != ex.split:
            report.problems.append(f"{ex.source}: normalised text leaks across splits")


def _check_counts(
    examples: Sequence[Example], report: CorpusReport, minimum: int, languages: Iterable[str]
) -> None:
    counts = Counter((ex.lang, ex.intent) for ex in examples)
    present = {ex.lang for ex in examples}
    for lang in languages:
        if lang not in present:
            report.problems.append(f"{lang}: no examples at all")
            continue
        for intent in INTENTS:
            if counts[(lang, intent)] < minimum:
                report.problems.append(
                    f"{lang}/{intent}: {counts[(lang, intent)]} examples, need >= {minimum}"
                )


def check(
    corpus_dir: Path = DEFAULT_CORPUS_DIR,
    minimum: int = MIN_PER_CELL,
    languages: Iterable[str] = LANGUAGES,
) -> CorpusReport:
    """Load and run every check; `report.ok` tells whether training may proceed."""
    report = load(corpus_dir)
    _check_duplicates(report.examples, report)
    _check_splits(report.examples, report)
    _check_counts(report.examples, report, minimum, languages)
    for path in corpus_files(corpus_dir):
        stem = path.stem
        wrong = sum(
            1 for ex in report.examples if ex.source.startswith(path.name + ":") and ex.lang != stem
        )
        if stem in LANGUAGES and wrong:
            report.notes.append(f"{path.name}: {wrong} lines labelled with another language")
    return report


def count_table(examples: Sequence[Example]) -> str:
    """Plain-text table of examples per intent (rows) x language (columns)."""
    langs = [lang for lang in LANGUAGES if any(ex.lang == lang for ex in examples)]
    counts = Counter((ex.intent, ex.lang) for ex in examples)
    head = f"{'intent':<16}" + "".join(f"{lang:>8}" for lang in langs) + f"{'total':>8}"
    rows = [head]
    for intent in INTENTS:
        cells = [counts[(intent, lang)] for lang in langs]
        rows.append(f"{intent:<16}" + "".join(f"{c:>8}" for c in cells) + f"{sum(cells):>8}")
    totals = [sum(counts[(i, lang)] for i in INTENTS) for lang in langs]
    rows.append(f"{'total':<16}" + "".join(f"{c:>8}" for c in totals) + f"{sum(totals):>8}")
    split_counts = Counter(ex.split for ex in examples)
    rows.append("splits: " + ", ".join(f"{s}={split_counts[s]}" for s in SPLITS))
    flags = Counter((ex.negative, ex.wants_human) for ex in examples)
    rows.append(
        f"flags: negative={flags[(True, False)] + flags[(True, True)]}, "
        f"wants_human={flags[(False, True)] + flags[(True, True)]}"
    )
    return "\n".join(rows)
