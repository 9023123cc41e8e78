"""Editors' secrets: password hashing with scrypt, API tokens and session ids.

Passwords are stored as ``scrypt$N$r$p$salt$hash`` (base64 salt and hash, 16-byte salt, 32-byte
key; N=2**14, r=8, p=1: about 16 MiB and tens of milliseconds a check). Tokens and session ids
are 32 random bytes shown to their owner once; the archive keeps only their SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from prinkipo.errors import PrinkipoError

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 10


class WeakPassword(PrinkipoError):
    """A password too short to protect an editor's account."""


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` in the self-describing form above."""
    if len(password) < MIN_PASSWORD:
        raise WeakPassword(f"A password needs at least {MIN_PASSWORD} characters")
    salt = secrets.token_bytes(16)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(key)])


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant time; False for a malformed hash)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def new_secret() -> str:
    """A fresh token or session id: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What the archive stores of a token or session id."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 2**20, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
