"""SQLite plumbing: one connection shared by the server's threads, and real transactions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "2"
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tracks (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, data TEXT NOT NULL,
  file TEXT, ready_at REAL NOT NULL DEFAULT 0, created REAL NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tracks_user ON tracks (user_id);
CREATE TABLE IF NOT EXISTS playlists (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, data TEXT NOT NULL,
  track_ids TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS comments (
  id INTEGER PRIMARY KEY AUTOINCREMENT, track_id INTEGER, user_id INTEGER, body TEXT,
  timestamp INTEGER, created_at TEXT);
CREATE INDEX IF NOT EXISTS comments_track ON comments (track_id);
CREATE TABLE IF NOT EXISTS likes (user_id INTEGER, kind TEXT, target_id INTEGER,
  at REAL NOT NULL DEFAULT 0, PRIMARY KEY (user_id, kind, target_id));
CREATE INDEX IF NOT EXISTS likes_target ON likes (kind, target_id);
CREATE TABLE IF NOT EXISTS reposts (user_id INTEGER, kind TEXT, target_id INTEGER,
  at REAL NOT NULL DEFAULT 0, PRIMARY KEY (user_id, kind, target_id));
CREATE INDEX IF NOT EXISTS reposts_target ON reposts (kind, target_id);
CREATE TABLE IF NOT EXISTS followings (user_id INTEGER, target_id INTEGER, at REAL,
  PRIMARY KEY (user_id, target_id));
CREATE INDEX IF NOT EXISTS followings_target ON followings (target_id);
CREATE TABLE IF NOT EXISTS plays (user_id INTEGER, track_id INTEGER, at REAL);
CREATE TABLE IF NOT EXISTS storefronts (track_id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, client_id TEXT, redirect_uri TEXT,
  challenge TEXT, user_id INTEGER, used INTEGER DEFAULT 0, expires_at REAL);
CREATE TABLE IF NOT EXISTS tokens (access TEXT PRIMARY KEY, kind TEXT, user_id INTEGER,
  client_id TEXT, expires_at REAL);
CREATE TABLE IF NOT EXISTS refresh_tokens (refresh TEXT PRIMARY KEY, client_id TEXT,
  user_id INTEGER, used INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS grants (client_id TEXT, ip TEXT, at REAL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""
TABLES = (
    "users",
    "tracks",
    "playlists",
    "comments",
    "likes",
    "reposts",
    "followings",
    "plays",
    "storefronts",
    "codes",
    "tokens",
    "refresh_tokens",
    "grants",
    "meta",
)


class Database:
    """Autocommit statements, plus `transaction()` (BEGIN IMMEDIATE) for read-modify-write.

    One connection serves every thread under a re-entrant lock; BEGIN IMMEDIATE also keeps
    out a second process serving the same directory while a transaction runs.
    """

    def __init__(self, path: Path):
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self._depth = 0
        with self.lock:
            self._migrate()

    def _migrate(self) -> None:
        """State from an older sandbox (ids reused, no reposts) is dropped and seeded afresh."""
        names = {r["name"] for r in self.q("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" in names:
            row = self.q1("SELECT value FROM meta WHERE key='schema'")
            if row is None or row["value"] != SCHEMA_VERSION:
                for table in names - {"sqlite_sequence"}:
                    self.conn.execute(f"DROP TABLE IF EXISTS {table}")
        self.conn.executescript(SCHEMA)
        self.x("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", SCHEMA_VERSION)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All statements inside commit together or not at all; nested calls join the outer."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def q(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(sql, args).fetchall()

    def q1(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self.lock:
            return self.conn.execute(sql, args).fetchone()

    def n(self, sql: str, *args: Any) -> int:
        """The single number a COUNT query gives."""
        row = self.q1(sql, *args)
        return int(row[0]) if row else 0

    def x(self, sql: str, *args: Any) -> int:
        """Run one write; the new row's id."""
        with self.lock:
            return self.conn.execute(sql, args).lastrowid or 0

    def many(self, sql: str, rows: list[tuple]) -> None:
        with self.lock:
            self.conn.executemany(sql, rows)

    def version(self) -> tuple[int, int]:
        """Changes whenever this connection or another one writes: a cache key."""
        with self.lock:
            dv = self.conn.execute("PRAGMA data_version").fetchone()[0]
            return int(dv), self.conn.total_changes

    def wipe(self) -> None:
        with self.transaction():
            for table in TABLES:
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("DELETE FROM sqlite_sequence")
            self.x("INSERT INTO meta VALUES ('schema', ?)", SCHEMA_VERSION)

    def close(self) -> None:
        with self.lock:
            self.conn.close()
