"""Evaluation on the fixed test split: the fastText NLU and the keyword baseline side by side.

Produces printable tables and one JSON-able summary dict. Timings are measured
and reported, never asserted.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.nlu.baseline import KeywordBaseline
from companion.nlu.calibrate import precision_recall
from companion.nlu.corpus import Example
from companion.nlu.taxonomy import INTENTS, LANGUAGES
from companion.nlu.train import aux_path, sibling_paths
from companion.nlu.understander import Understander


@dataclass(frozen=True, slots=True)
class Prediction:
    """What one system said about one test example."""

    intent: str
    language: str | None
    negative: bool | None
    wants_human: bool | None
    understood: bool


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Unweighted mean F1 over the intents present in gold or predictions."""
    labels = set(gold) | set(pred)
    scores = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _accuracy(pairs: Sequence[tuple[str, str]]) -> float:
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def score(examples: Sequence[Example], preds: Sequence[Prediction]) -> dict[str, Any]:
    """All quality metrics of one system on the examples."""
    gold = [ex.intent for ex in examples]
    got = [p.intent for p in preds]
    per_lang = {}
    for lang in LANGUAGES:
        idx = [i for i, ex in enumerate(examples) if ex.lang == lang]
        if idx:
            per_lang[lang] = {
                "n": len(idx),
                "accuracy": _accuracy([(gold[i], got[i]) for i in idx]),
                "macro_f1": macro_f1([gold[i] for i in idx], [got[i] for i in idx]),
            }
    per_intent = {}
    for intent in INTENTS:
        tp = sum(g == p == intent for g, p in zip(gold, got, strict=True))
        claimed, actual = got.count(intent), gold.count(intent)
        precision = tp / claimed if claimed else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = {"n": actual, "precision": precision, "recall": recall, "f1": f1}
    confusions = Counter((g, p) for g, p in zip(gold, got, strict=True) if g != p)
    out: dict[str, Any] = {
        "n": len(examples),
        "accuracy": _accuracy(list(zip(gold, got, strict=True))),
        "macro_f1": macro_f1(gold, got),
        "pillar_accuracy": _accuracy(
            [(INTENTS[g], INTENTS.get(p, "general")) for g, p in zip(gold, got, strict=True)]
        ),
        "per_language": per_lang,
        "per_intent": per_intent,
        "top_confusions": [[g, p, n] for (g, p), n in confusions.most_common(10)],
    }
    for flag in ("negative", "wants_human"):
        values = [getattr(p, flag) for p in preds]
        if all(v is not None for v in values):
            precision, recall = precision_recall(
                [bool(v) for v in values], [getattr(ex, flag) for ex in examples]
            )
            out[flag] = {"precision": precision, "recall": recall}
    languages = [p.language for p in preds]
    if all(lang is not None for lang in languages):
        out["language_accuracy"] = _accuracy(
            [(ex.lang, str(lang)) for ex, lang in zip(examples, languages, strict=True)]
        )
        out["language_confusions"] = [
            [g, p, n]
            for (g, p), n in Counter(
                (ex.lang, lang)
                for ex, lang in zip(examples, languages, strict=True)
                if ex.lang != lang
            ).most_common(6)
        ]
    accepted = [g == p.intent for g, p in zip(gold, preds, strict=True) if p.understood]
    out["coverage"] = len(accepted) / len(gold) if gold else 0.0
    out["accuracy_understood"] = sum(accepted) / len(accepted) if accepted else 0.0
    return out


def predict_model(understander: Understander, examples: Sequence[Example]) -> list[Prediction]:
    """The fastText NLU's answers."""
    out = []
    for ex in examples:
        u = understander.understand(ex.text)
        out.append(Prediction(u.intent, u.language, u.negative, u.wants_human, u.understood))
    return out


def predict_baseline(baseline: KeywordBaseline, examples: Sequence[Example]) -> list[Prediction]:
    """The keyword baseline's answers (it only knows human_agent for the human flag)."""
    out = []
    for ex in examples:
        intent = baseline.classify(ex.text)
        out.append(Prediction(intent, None, False, intent == "human_agent", intent != "other"))
    return out


def _throughput(
    understander: Understander, texts: Sequence[str], seconds: float
) -> tuple[int, int]:
    """(messages per wall second, messages per CPU second) of `understand` without entities.

    Entities are off as in `yiwaiwai classify` by default. CPU time is reported
    too because wall time on a shared machine mostly measures the neighbours.
    """
    count = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds and texts:
        for text in texts:
            understander.understand(text, entities=False)
        count += len(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return (round(count / wall) if wall else 0), (round(count / cpu) if cpu else 0)


def performance(
    model_path: Path | None, texts: Sequence[str], seconds: float = 1.0
) -> dict[str, Any]:
    """Load time, sizes, throughput of `understand` and peak RSS."""
    started = time.perf_counter()
    understander = Understander.load(model_path)
    load_s = time.perf_counter() - started
    per_wall_s, per_cpu_s = _throughput(understander, texts, seconds)
    paths = sibling_paths(understander.model_path)
    paths["aux"] = aux_path(understander.model_path)
    return {
        "load_s": round(load_s, 4),
        "msgs_per_s": per_wall_s,
        "msgs_per_cpu_s": per_cpu_s,
        "intent_model_mb": round(paths["intent"].stat().st_size / 1e6, 3),
        "all_models_mb": round(
            sum(p.stat().st_size for p in paths.values() if p.exists()) / 1e6, 3
        ),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _peak_rss_kb(pid: int) -> int:
    """VmHWM of a running process in kB (0 once it is gone).

    Read from /proc rather than taken from `getrusage(RUSAGE_CHILDREN)`: the
    kernel counts the parent's pages at fork/exec time into the child's figure.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def classify_process(
    model_path: Path | None, texts: Sequence[str], lines: int = 100_000
) -> dict[str, Any]:
    """`yiwaiwai classify` as a real child process: JSON lines in, JSON lines out, one core.

    The texts are repeated up to `lines` input lines; the figures include the
    process start and the model load. CPU seconds of the child are used (the
    machine is shared); its peak RSS is what a seller's PC would see.
    """
    if not texts:
        return {}
    with tempfile.TemporaryFile() as source, tempfile.TemporaryFile() as answers:
        for n in range(lines):
            row = {"id": n, "text": texts[n % len(texts)]}
            source.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
        source.seek(0)
        command = [sys.executable, "-m", "companion", "classify"]
        if model_path is not None:
            command += ["--model", str(model_path)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        peak_kb = 0
        with subprocess.Popen(command, stdin=source, stdout=answers) as child:
            while child.poll() is None:
                peak_kb = max(peak_kb, _peak_rss_kb(child.pid))
                time.sleep(0.05)
        if child.returncode != 0:
            raise subprocess.CalledProcessError(child.returncode, command)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        answers.seek(0)
        answered = sum(1 for _ in answers)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "classify_lines": lines,
        "classify_answered": answered,
        "classify_msgs_per_s": round(lines / wall) if wall else 0,
        "classify_msgs_per_cpu_s": round(lines / cpu) if cpu else 0,
        "classify_peak_rss_mb": round(peak_kb / 1024, 1),
    }


def _pct(value: float) -> str:
    return f"{value:.3f}"


def render(
    model: dict[str, Any], base: dict[str, Any], perf: dict[str, Any], split: str = "test"
) -> str:
    """Plain-text tables: overall, per language, per intent, confusions, flags, performance."""
    lines = [
        f"{split} split: {model['n']} messages",
        "",
        f"{'metric':<26}{'fastText':>10}{'keywords':>10}",
    ]
    for key in ("accuracy", "macro_f1", "pillar_accuracy", "coverage", "accuracy_understood"):
        lines.append(f"{key:<26}{_pct(model[key]):>10}{_pct(base[key]):>10}")
    for flag in ("wants_human", "negative"):
        for part in ("precision", "recall"):
            lines.append(
                f"{flag + ' ' + part:<26}{_pct(model[flag][part]):>10}{_pct(base[flag][part]):>10}"
            )
    lines.append(
        f"{'language_accuracy':<26}{_pct(model.get('language_accuracy', 0.0)):>10}{'-':>10}"
    )
    lines += ["", f"{'language':<10}{'n':>6}{'acc':>8}{'macroF1':>9}{'kw acc':>9}{'kw F1':>8}"]
    for lang, row in model["per_language"].items():
        b = base["per_language"][lang]
        lines.append(
            f"{lang:<10}{row['n']:>6}{_pct(row['accuracy']):>8}{_pct(row['macro_f1']):>9}"
            f"{_pct(b['accuracy']):>9}{_pct(b['macro_f1']):>8}"
        )
    lines += ["", f"{'intent':<16}{'n':>5}{'P':>7}{'R':>7}{'F1':>7}{'kw F1':>8}"]
    for intent, row in model["per_intent"].items():
        lines.append(
            f"{intent:<16}{row['n']:>5}{_pct(row['precision']):>7}{_pct(row['recall']):>7}"
            f"{_pct(row['f1']):>7}{_pct(base['per_intent'][intent]['f1']):>8}"
        )
    lines += ["", "top confusions (gold -> predicted, count):"]
    lines += [f"  {g} -> {p}: {n}" for g, p, n in model["top_confusions"]]
    if model.get("language_confusions"):
        lines += [
            "language confusions: "
            + ", ".join(f"{g}->{p}:{n}" for g, p, n in model["language_confusions"])
        ]
    lines += ["", "performance: " + ", ".join(f"{k}={v}" for k, v in perf.items())]
    return "\n".join(lines)
