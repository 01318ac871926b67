"""The sandbox's state: SQLite, one connection guarded by a lock (the server is threaded)."""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from sccli.sandbox import seed

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tracks (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, data TEXT NOT NULL,
  file TEXT, ready_at REAL NOT NULL DEFAULT 0, created REAL NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS playlists (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, data TEXT NOT NULL, track_ids TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS comments (
  id INTEGER PRIMARY KEY AUTOINCREMENT, track_id INTEGER, user_id INTEGER, body TEXT,
  timestamp INTEGER, created_at TEXT);
CREATE TABLE IF NOT EXISTS likes (user_id INTEGER, kind TEXT, target_id INTEGER,
  PRIMARY KEY (user_id, kind, target_id));
CREATE TABLE IF NOT EXISTS followings (user_id INTEGER, target_id INTEGER, at REAL,
  PRIMARY KEY (user_id, target_id));
CREATE TABLE IF NOT EXISTS reposts (user_id INTEGER, kind TEXT, target_id INTEGER, at REAL,
  PRIMARY KEY (user_id, kind, target_id));
CREATE TABLE IF NOT EXISTS plays (user_id INTEGER, track_id INTEGER, at REAL);
CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, client_id TEXT, redirect_uri TEXT,
  challenge TEXT, user_id INTEGER, used INTEGER DEFAULT 0, expires_at REAL);
CREATE TABLE IF NOT EXISTS tokens (access TEXT PRIMARY KEY, kind TEXT, user_id INTEGER,
  client_id TEXT, expires_at REAL);
CREATE TABLE IF NOT EXISTS refresh_tokens (refresh TEXT PRIMARY KEY, client_id TEXT,
  user_id INTEGER, used INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS grants (client_id TEXT, ip TEXT, at REAL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""

APP = {"client_id": "sandbox", "client_secret": "sandbox-secret", "name": "sccli sandbox app"}
SANDBOX_USER_ID = seed.SANDBOX_USER_ID


class Store:
    def __init__(self, data_dir: Path):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "audio").mkdir(exist_ok=True)
        self.lock = threading.RLock()
        self.db = sqlite3.connect(self.dir / "sandbox.db", check_same_thread=False, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        with self.lock:
            self.db.executescript(SCHEMA)
            if not self.q1("SELECT 1 FROM meta WHERE key='seeded'"):
                self._seed()

    # -- plumbing --------------------------------------------------------------------------------
    def q(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    def q1(self, sql: str, *args: Any) -> sqlite3.Row | None:
        rows = self.q(sql, *args)
        return rows[0] if rows else None

    def x(self, sql: str, *args: Any) -> int:
        with self.lock:
            cur = self.db.execute(sql, args)
            self.db.commit()
            return cur.lastrowid or 0

    def _seed(self) -> None:
        users = seed.users()
        tracks = seed.tracks(users)
        sets = seed.playlists(users, tracks)
        db = self.db
        db.executemany("INSERT INTO users VALUES (?, ?)", [(u["id"], json.dumps(u)) for u in users])
        db.executemany(
            "INSERT INTO tracks (id, user_id, data) VALUES (?, ?, ?)",
            [(t["id"], t["user_id"], json.dumps(t)) for t in tracks],
        )
        db.executemany(
            "INSERT INTO playlists VALUES (?, ?, ?, ?)",
            [
                (
                    p["id"],
                    p["user_id"],
                    json.dumps({k: v for k, v in p.items() if k != "tracks"}),
                    json.dumps(p["tracks"]),
                )
                for p in sets
            ],
        )
        db.execute("INSERT INTO meta VALUES ('seeded', '1')")
        db.commit()

    def reset(self) -> None:
        with self.lock:
            for table in (
                "users",
                "tracks",
                "playlists",
                "comments",
                "likes",
                "followings",
                "reposts",
                "plays",
                "codes",
                "tokens",
                "refresh_tokens",
                "grants",
                "meta",
            ):
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("DELETE FROM sqlite_sequence")
            self.db.commit()
            for f in (self.dir / "audio").iterdir():
                f.unlink()
            self._seed()

    # -- settings kept across restarts ------------------------------------------------------------
    def setting(self, key: str, default: float) -> float:
        row = self.q1("SELECT value FROM meta WHERE key=?", f"cfg:{key}")
        return float(row["value"]) if row else default

    def set_setting(self, key: str, value: float) -> None:
        self.x("INSERT OR REPLACE INTO meta VALUES (?, ?)", f"cfg:{key}", str(value))

    # -- rows as dicts -----------------------------------------------------------------------------
    def user(self, uid: int) -> dict | None:
        row = self.q1("SELECT data FROM users WHERE id=?", uid)
        return json.loads(row["data"]) if row else None

    def track(self, tid: int) -> dict | None:
        row = self.q1("SELECT * FROM tracks WHERE id=?", tid)
        return _track_row(row) if row else None

    def all_tracks(self) -> list[dict]:
        return [_track_row(r) for r in self.q("SELECT * FROM tracks ORDER BY id")]

    def playlist(self, pid: int) -> dict | None:
        row = self.q1("SELECT * FROM playlists WHERE id=?", pid)
        return _playlist_row(row) if row else None

    def save_track(self, t: dict) -> None:
        self.x("UPDATE tracks SET data=? WHERE id=?", json.dumps(_strip(t)), t["id"])

    def save_playlist(self, p: dict) -> None:
        self.x(
            "UPDATE playlists SET data=?, track_ids=? WHERE id=?",
            json.dumps({k: v for k, v in _strip(p).items() if k != "tracks"}),
            json.dumps(p["tracks"]),
            p["id"],
        )

    def new_id(self, table: str, base: int) -> int:
        row = self.q1(f"SELECT MAX(id) AS m FROM {table}")
        return max(base, (row["m"] or 0) + 1)

    # -- tokens ------------------------------------------------------------------------------------
    def issue_token(
        self, kind: str, client_id: str, user_id: int | None, lifetime: float, with_refresh: bool
    ) -> dict:
        access = f"sbx-{kind[:3]}-" + secrets.token_urlsafe(40)
        self.x(
            "INSERT INTO tokens VALUES (?, ?, ?, ?, ?)",
            access,
            kind,
            user_id,
            client_id,
            time.time() + lifetime,
        )
        body = {
            "access_token": access,
            "expires_in": int(lifetime),
            "scope": "",
            "token_type": "bearer",
        }
        if with_refresh:
            refresh = "sbx-ref-" + secrets.token_urlsafe(24)
            self.x("INSERT INTO refresh_tokens VALUES (?, ?, ?, 0)", refresh, client_id, user_id)
            body["refresh_token"] = refresh
        return body

    def token(self, access: str) -> sqlite3.Row | None:
        return self.q1("SELECT * FROM tokens WHERE access=?", access)

    def issued_tokens(self) -> list[str]:
        """Every secret the sandbox has handed out, for tests that scan output for leaks."""
        rows = self.q(
            "SELECT access AS s FROM tokens UNION ALL SELECT refresh FROM refresh_tokens"
            " UNION ALL SELECT code FROM codes"
        )
        return [r["s"] for r in rows]


def _strip(d: dict) -> dict:
    """Drop the keys that live in their own columns."""
    return {k: v for k, v in d.items() if k not in ("_file", "_ready_at")}


def _track_row(row: sqlite3.Row) -> dict:
    t = json.loads(row["data"])
    t["_file"] = row["file"]
    t["_ready_at"] = row["ready_at"]
    return t


def _playlist_row(row: sqlite3.Row) -> dict:
    p = json.loads(row["data"])
    p["tracks"] = json.loads(row["track_ids"])
    return p
