"""Crash-safe, owner-only files for secrets and state (security.md S2).

A temp file is created 0600 *before* the first byte is written, fsynced, then
renamed over the target, so a crash leaves either the old file or the new one,
never half of either, and no other user can read it even for an instant.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any


class InsecureFileError(PermissionError):
    """A secrets file or folder is readable by others; we refuse to use it."""


def ensure_private_dir(path: Path) -> Path:
    """Create the folder 0700 (or tighten it) and return it."""
    path.mkdir(parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Atomically replace `path` with `data`, mode 0600."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)
    check_private(path)


def write_private_json(path: Path, value: Any) -> None:
    """`write_private` for a JSON document."""
    write_private(path, json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8"))


def read_private(path: Path) -> bytes:
    """Read a secrets file after checking nobody else can read it."""
    check_private(path)
    return path.read_bytes()


def read_private_json(path: Path) -> Any:
    return json.loads(read_private(path))


def check_private(path: Path) -> None:
    """Raise `InsecureFileError` when group or others have any access."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise InsecureFileError(f"{path} has mode {mode:o}; expected 600")


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
