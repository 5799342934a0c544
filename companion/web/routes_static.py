"""The local page's static files (security.md 3.5 L1): a fixed in-memory map, nothing else.

At app creation the package's `static/` folder is read once into `{url path: bytes}`;
symlinks are skipped, so nothing outside the package can be reached. Each file gets
its own route, so an unknown path never touches the disk and answers 404, and a
request whose raw path carries `..`, `%2e`, a backslash or NUL is refused with 404
before the map is consulted.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

STATIC_ROOT = Path(__file__).parent / "static"
CONTENT_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
_SUSPICIOUS = ("..", "%2e", "%2f", "%5c", "\\", "\x00", "%00", "//")


@dataclass(frozen=True, slots=True)
class StaticFile:
    """One servable file, held in memory."""

    body: bytes
    content_type: str


def load_static_map(root: Path = STATIC_ROOT) -> dict[str, StaticFile]:
    """Walk `root` without following symlinks; only known file types are served."""
    files: dict[str, StaticFile] = {}
    resolved_root = root.resolve()
    for folder, dirs, names in os.walk(resolved_root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
        for name in sorted(names):
            path = Path(folder) / name
            kind = CONTENT_TYPES.get(path.suffix.lower())
            if kind is None or path.is_symlink() or not path.resolve().is_relative_to(
                resolved_root
            ):
                continue
            url = "/" + path.relative_to(resolved_root).as_posix()
            files[url] = StaticFile(path.read_bytes(), kind)
    if "/index.html" in files:
        files["/"] = files["/index.html"]
    return files


def path_is_suspicious(raw_path: str) -> bool:
    """Traversal and encoding tricks the router must never see (L1)."""
    lowered = raw_path.split("?", 1)[0].lower()
    return any(token in lowered for token in _SUSPICIOUS)


def _handler(item: StaticFile) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def serve(request: web.Request) -> web.Response:
        if path_is_suspicious(request.raw_path):
            raise web.HTTPNotFound()
        charset = "utf-8" if item.content_type != "image/png" else None
        return web.Response(body=item.body, content_type=item.content_type, charset=charset)

    return serve


def add_static_routes(app: web.Application, root: Path = STATIC_ROOT) -> None:
    """Register one GET route per file in the map."""
    for url, item in load_static_map(root).items():
        app.router.add_get(url, _handler(item))
