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
    from companion.nlu.types import Understanding
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


def _json_id(ident: Any) -> str:
    """The id as JSON; ints and plain strings skip the general encoder (hot path)."""
    if type(ident) is int:
        return str(ident)
    return json.dumps(ident, ensure_ascii=False)


_BOOL = ("false", "true")


def parse(raw: bytes) -> tuple[Any, str | None, str | None]:
    """(id, text, error) of one input line; exactly one of text and error is set."""
    row: Any = None
    try:
        row = json.loads(raw.decode("utf-8"))  # str in: json skips its encoding detection
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise ValueError("expected an object with a string 'text'")
    except ValueError as exc:
        ident = row.get("id") if isinstance(row, dict) else None
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return ident, None, f"bad input line: {message}"
    return row.get("id"), row["text"], None


def render(ident: Any, u: Understanding, entities: bool) -> str:
    """One output line; intent, pillar and language ids are plain ASCII (no escaping)."""
    line = (
        f'{{"id":{_json_id(ident)},"intent":"{u.intent}","pillar":"{u.pillar}",'
        f'"confidence":{round(u.confidence, 4)!r},"language":"{u.language}",'
        f'"negative":{_BOOL[u.negative]},"wants_human":{_BOOL[u.wants_human]},'
        f'"understood":{_BOOL[u.understood]}'
    )
    if entities:
        line += ',"entities":' + json.dumps(u.entities.as_dict(), ensure_ascii=False)
    return line + "}"


def answer(understander: Understander, raw: bytes, entities: bool) -> str:
    """The output line for one input line (an error object for a malformed one)."""
    ident, text, error = parse(raw)
    if text is None:
        return json.dumps({"id": ident, "error": error}, ensure_ascii=False)
    return render(ident, understander.understand(text, entities=entities), entities)


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
