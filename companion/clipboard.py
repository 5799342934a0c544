"""Copy text to the system clipboard with whatever tool the desktop has; no extra dependency.

Tried in order: wl-copy (Wayland), xclip, xsel (X11), pbcopy (macOS), clip
(Windows). Returns the tool used, or None so the caller can show the text instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping

TIMEOUT_S = 3.0


def _candidates(env: Mapping[str, str]) -> list[list[str]]:
    tools: list[list[str]] = []
    if env.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if env.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "darwin":
        tools.append(["pbcopy"])
    if os.name == "nt":
        tools.append(["clip"])
    return tools


def copy_text(text: str, env: Mapping[str, str] | None = None) -> str | None:
    """Put `text` on the clipboard; the name of the tool that did it, or None."""
    env = os.environ if env is None else env
    for command in _candidates(env):
        path = shutil.which(command[0], path=env.get("PATH"))
        if path is None:
            continue
        try:
            subprocess.run(
                [path, *command[1:]],
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=TIMEOUT_S,
                check=True,
                env=dict(env),
            )
        except (OSError, subprocess.SubprocessError):
            continue
        return command[0]
    return None
