"""Editors, their API tokens and their signed-in sessions (mixed into ``Store``).

Only digests are stored: a password's scrypt hash, a token's or session id's SHA-256. The clear
values are shown once (a token) or live only in the browser's cookie (a session).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from prinkipo.errors import PrinkipoError


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    password_hash: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf: str
    expires_at: str


class UserExists(PrinkipoError):
    """An editor of that name is already registered."""

    status = 409


class UnknownUser(PrinkipoError):
    """No editor of that name."""

    status = 404


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class UsersMixin:
    """Editors, tokens and sessions."""

    conn: sqlite3.Connection

    def add_user(self, name: str, password_hash: str) -> User:
        row = self.conn.execute(
            "INSERT INTO users (name, password_hash, created_at) VALUES (:name, :hash, :now)"
            " ON CONFLICT (name) DO NOTHING RETURNING id, name, password_hash, created_at",
            {"name": name, "hash": password_hash, "now": _now()},
        ).fetchone()
        if row is None:
            raise UserExists(f"An editor named {name!r} already exists")
        return User(*row)

    def set_password(self, name: str, password_hash: str) -> None:
        cur = self.conn.execute(
            "UPDATE users SET password_hash = :hash WHERE name = :name",
            {"name": name, "hash": password_hash},
        )
        if cur.rowcount == 0:
            raise UnknownUser(f"No editor named {name!r}")

    def user(self, name: str) -> User | None:
        row = self.conn.execute(
            "SELECT id, name, password_hash, created_at FROM users WHERE name = :name",
            {"name": name},
        ).fetchone()
        return User(*row) if row else None

    def users(self) -> list[User]:
        rows = self.conn.execute(
            "SELECT id, name, password_hash, created_at FROM users ORDER BY name"
        )
        return [User(*r) for r in rows]

    def add_token(self, name: str, digest: str, label: str) -> None:
        user = self.user(name)
        if user is None:
            raise UnknownUser(f"No editor named {name!r}")
        self.conn.execute(
            "INSERT INTO api_tokens (digest, user_id, label, created_at)"
            " VALUES (:digest, :uid, :label, :now)",
            {"digest": digest, "uid": user.id, "label": label, "now": _now()},
        )

    def user_for_token(self, digest: str) -> User | None:
        row = self.conn.execute(
            "SELECT u.id, u.name, u.password_hash, u.created_at FROM api_tokens t"
            " JOIN users u ON u.id = t.user_id WHERE t.digest = :digest",
            {"digest": digest},
        ).fetchone()
        return User(*row) if row else None

    def add_session(self, digest: str, user: User, csrf: str, expires_at: str) -> None:
        self.conn.execute(
            "INSERT INTO sessions (digest, user_id, csrf, created_at, expires_at)"
            " VALUES (:digest, :uid, :csrf, :now, :expires)",
            {"digest": digest, "uid": user.id, "csrf": csrf, "now": _now(), "expires": expires_at},
        )

    def session(self, digest: str) -> Session | None:
        """The live session with this id digest (expired ones are deleted on the way)."""
        now = _now()
        self.conn.execute("DELETE FROM sessions WHERE expires_at <= :now", {"now": now})
        row = self.conn.execute(
            "SELECT u.id, u.name, u.password_hash, u.created_at, s.csrf, s.expires_at"
            " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.digest = :digest",
            {"digest": digest},
        ).fetchone()
        return Session(User(*row[:4]), row[4], row[5]) if row else None

    def end_session(self, digest: str) -> None:
        self.conn.execute("DELETE FROM sessions WHERE digest = :digest", {"digest": digest})
