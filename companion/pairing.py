"""The pairing secret: one 256-bit key that lets the extension and local tools in.

Generated on first start, kept in `<data_dir>/secrets/pairing.json` (0600,
atomic), compared in constant time on equal-length digests (security.md P1).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from pathlib import Path

from companion.securefile import read_private_json, write_private_json

_WORDS = (
    "apple",
    "bamboo",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "glade",
    "harbor",
    "iris",
    "jade",
    "kite",
    "lotus",
    "maple",
    "nectar",
    "orchid",
    "pearl",
    "quartz",
    "river",
    "sage",
    "tulip",
    "umber",
    "violet",
    "willow",
    "xenon",
    "yarrow",
    "zephyr",
    "amber",
    "birch",
    "coral",
    "dune",
    "echo",
    "fern",
)


def pairing_path(data_dir: Path) -> Path:
    return data_dir / "secrets" / "pairing.json"


def new_secret() -> str:
    """A fresh base64url-encoded 32-byte secret."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode("ascii")


def load_or_create_secret(data_dir: Path) -> str:
    """The stored secret, creating it on first start."""
    path = pairing_path(data_dir)
    if path.exists():
        return str(read_private_json(path)["secret"])
    secret = new_secret()
    write_private_json(path, {"secret": secret})
    return secret


def rotate_secret(data_dir: Path) -> str:
    """Revoke every pairing by replacing the secret."""
    secret = new_secret()
    write_private_json(pairing_path(data_dir), {"secret": secret})
    return secret


def secret_bytes(secret: str) -> bytes:
    """The raw key behind the base64url text, for HMAC challenge-response."""
    return base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))


def same_secret(presented: str, expected: str) -> bool:
    """Constant-time comparison that leaks neither length nor content."""
    a = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
    b = hashlib.sha256(expected.encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


def fingerprint(secret: str) -> str:
    """Four words from a hash of the secret, shown on both sides to confirm a pairing."""
    digest = hashlib.sha256(b"yiwaiwai-fingerprint|" + secret_bytes(secret)).digest()
    return "-".join(_WORDS[b % len(_WORDS)] for b in digest[:4])
