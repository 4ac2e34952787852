"""Credentials: Argon2id password hashes with at least OWASP's minimum cost (19 MiB of
memory, 2 iterations, 1 lane; OWASP Password Storage Cheat Sheet, ASVS 4.0 V2.4), and
random one-use tokens of which only the SHA-256 digest is stored."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

MEMORY_KIB = 19 * 1024
ITERATIONS = 2
LANES = 1
MIN_LENGTH = 12
MAX_LENGTH = 128

HASHER = PasswordHasher(time_cost=ITERATIONS, memory_cost=MEMORY_KIB, parallelism=LANES,
                        hash_len=32, salt_len=16, type=Type.ID)


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the `stored` hash (always spends the hashing time, so a
    missing account cannot be told from a wrong password by timing)."""
    if stored is None:
        HASHER.hash(password)
        return False
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A random URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
