"""Logging with redaction at the sink (security.md G1-G4).

Shopee v2 puts `access_token` and `sign` in the query string, so every record
passes through `RedactingFilter` before it is written: secret-looking query
parameters, Authorization/Cookie values and every secret value we currently
hold are replaced.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_SECRET_PARAM = re.compile(
    r"(?i)([?&;\s\"']?(?:[\w.-]*(?:access_token|refresh_token|sign|token|code|partner_key|auth|key|secret)[\w.-]*)=)([^&\s\"';]+)"
)
_HEADER = re.compile(r"(?i)\b(authorization|cookie)(\s*[:=]\s*)(\"?)([^\"\n]+)")


class SecretRegistry:
    """Exact secret values currently held, so they can be masked anywhere in a log line."""

    def __init__(self) -> None:
        self._values: set[str] = set()

    def add(self, *values: str | None) -> None:
        for value in values:
            if value and len(value) >= 6:
                self._values.add(value)

    def discard(self, value: str) -> None:
        self._values.discard(value)

    def mask(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, f"[secret:{value[-4:]}]")
        return text


def redact(text: str, registry: SecretRegistry | None = None) -> str:
    """Mask secrets in one piece of text."""
    if registry is not None:
        text = registry.mask(text)
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}[redacted]", text)
    return _HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}[redacted]", text)


def strip_query(url: str) -> str:
    """A URL with its query string removed, for logs and exception messages."""
    return url.split("?", 1)[0]


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with secrets masked; never drops a record."""

    def __init__(self, registry: SecretRegistry | None = None) -> None:
        super().__init__()
        self.registry = registry

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.registry)
        record.msg = redact(message, self.registry)
        record.args = None
        return True


def configure_logging(
    level: str = "INFO",
    registry: SecretRegistry | None = None,
    extra_loggers: Iterable[str] = ("aiohttp.access", "httpx"),
) -> None:
    """Install one stderr handler with the redacting filter on the root logger."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(registry))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in extra_loggers:
        logging.getLogger(name).addFilter(RedactingFilter(registry))
    logging.getLogger("httpx").setLevel(logging.WARNING)
