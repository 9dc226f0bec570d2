"""What an API key looks like: `<8 hex prefix>.<secret>`, and the digest that is stored.

A plain SHA-256 is enough here, unlike for passwords: the secret is 40 random bytes (320 bits),
so there is nothing to guess, and every API request pays for the hash."""

from __future__ import annotations

import hashlib
import re
import secrets

PREFIX_LENGTH = 8
SECRET_BYTES = 40
KEY_SHAPE = re.compile(r"^(?P<prefix>[0-9a-f]{8})\.[A-Za-z0-9_-]{40,80}$")


def new_key() -> tuple[str, str]:
    """A fresh (prefix, key)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return prefix, f"{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str | None:
    """The prefix of a well-formed key; None for anything else, which is never looked up."""
    match = KEY_SHAPE.match(key)
    return match["prefix"] if match else None
