"""Authorization codes, access and refresh tokens, and client-credentials grants."""

from __future__ import annotations

import secrets
import sqlite3
import time

from sccli.sandbox.db import Database


class TokenStore:
    def __init__(self, db: Database):
        self.db = db

    def issue(
        self, kind: str, client_id: str, user_id: int | None, lifetime: float, with_refresh: bool
    ) -> dict:
        access = f"sbx-{kind[:3]}-" + secrets.token_urlsafe(40)
        self.db.x(
            "INSERT INTO tokens VALUES (?, ?, ?, ?, ?)",
            access,
            kind,
            user_id,
            client_id,
            time.time() + lifetime,
        )
        body: dict = {
            "access_token": access,
            "expires_in": int(lifetime),
            "scope": "",
            "token_type": "bearer",
        }
        if with_refresh:
            refresh = "sbx-ref-" + secrets.token_urlsafe(24)
            self.db.x("INSERT INTO refresh_tokens VALUES (?, ?, ?, 0)", refresh, client_id, user_id)
            body["refresh_token"] = refresh
        return body

    def token(self, access: str) -> sqlite3.Row | None:
        return self.db.q1("SELECT * FROM tokens WHERE access=?", access)

    def revoke(self, access: str) -> None:
        self.db.x("DELETE FROM tokens WHERE access=?", access)

    def issued(self) -> list[str]:
        """Every secret the sandbox has handed out, for tests that scan output for leaks."""
        rows = self.db.q(
            "SELECT access AS s FROM tokens UNION ALL SELECT refresh FROM refresh_tokens"
            " UNION ALL SELECT code FROM codes"
        )
        return [r["s"] for r in rows]

    # -- authorization codes -----------------------------------------------------------------------
    def new_code(
        self, client_id: str, redirect_uri: str, challenge: str, user_id: int, lifetime: float
    ) -> str:
        code = secrets.token_urlsafe(24)
        self.db.x(
            "INSERT INTO codes VALUES (?, ?, ?, ?, ?, 0, ?)",
            code,
            client_id,
            redirect_uri,
            challenge,
            user_id,
            time.time() + lifetime,
        )
        return code

    def take_code(self, code: str) -> sqlite3.Row | None:
        """The code's row, used up by this call (a code works once, right or wrong)."""
        with self.db.transaction():
            row = self.db.q1("SELECT * FROM codes WHERE code=?", code)
            if row is None or row["used"]:
                return None
            self.db.x("UPDATE codes SET used=1 WHERE code=?", code)
            return row

    def take_refresh(self, refresh: str, client_id: str) -> sqlite3.Row | None:
        """Single use: the old refresh token dies the moment a new one is issued."""
        with self.db.transaction():
            row = self.db.q1("SELECT * FROM refresh_tokens WHERE refresh=?", refresh)
            if row is None or row["used"] or row["client_id"] != client_id:
                return None
            self.db.x("UPDATE refresh_tokens SET used=1 WHERE refresh=?", refresh)
            return row

    # -- client-credentials grants, for the rate limit ----------------------------------------------
    def grants_since(self, column: str, value: str, since: float) -> int:
        assert column in ("client_id", "ip")
        return self.db.n(f"SELECT COUNT(*) FROM grants WHERE {column}=? AND at>?", value, since)

    def record_grant(self, client_id: str, ip: str, at: float) -> None:
        self.db.x("INSERT INTO grants VALUES (?, ?, ?)", client_id, ip, at)
