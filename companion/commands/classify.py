"""`yiwaiwai classify`: JSON lines {"id", "text"} on stdin -> one JSON result line each, in order.

Streams: input is read in chunks as it arrives (os.read), every complete line
in a chunk is answered and the output is flushed once per chunk, so a pipe
gets answers without waiting for EOF and a file is processed at full speed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.nlu.understander import Understander

NAME = "classify"
HELP = "classify buyer messages: JSON lines {id, text} on stdin -> JSON lines on stdout"
CHUNK = 1 << 16


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options: model path, entities on/off (off by default: the contract fields are enough)."""
    parser.add_argument(
        "--model", type=Path, default=None, help="intent model path (default: the shipped model)"
    )
    parser.add_argument(
        "--entities",
        action="store_true",
        help="also extract entities (order numbers, sizes, ...); slower",
    )


def answer(understander: Understander, raw: bytes, entities: bool) -> str:
    """The output line for one input line (an error object for a malformed one)."""
    row: Any = None
    try:
        row = json.loads(raw)
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise ValueError("expected an object with a string 'text'")
    except ValueError as exc:
        ident = row.get("id") if isinstance(row, dict) else None
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return json.dumps({"id": ident, "error": f"bad input line: {message}"}, ensure_ascii=False)
    u = understander.understand(row["text"], entities=entities)
    out: dict[str, Any] = {
        "id": row.get("id"),
        "intent": u.intent,
        "pillar": u.pillar,
        "confidence": round(u.confidence, 4),
        "language": u.language,
        "negative": u.negative,
        "wants_human": u.wants_human,
        "understood": u.understood,
    }
    if entities:
        out["entities"] = u.entities.as_dict()
    return json.dumps(out, ensure_ascii=False)


def stream(understander: Understander, fd: int, out: IO[str], entities: bool) -> None:
    """Answer every line read from `fd` until EOF, flushing after each chunk."""
    pending = b""
    while True:
        chunk = os.read(fd, CHUNK)
        if not chunk:
            break
        *lines, pending = (pending + chunk).split(b"\n")
        results = [answer(understander, line, entities) for line in lines if line.strip()]
        if results:
            out.write("\n".join(results) + "\n")
            out.flush()
    if pending.strip():
        out.write(answer(understander, pending, entities) + "\n")
        out.flush()


def run(args: argparse.Namespace) -> int:
    """Load the model once, then stream stdin to stdout."""
    from companion.nlu.understander import ModelMissingError, Understander

    try:
        understander = Understander.load(args.model)
    except ModelMissingError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    stream(understander, sys.stdin.fileno(), sys.stdout, args.entities)
    return 0
