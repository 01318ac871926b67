"""The sandbox's state: users, tracks, sets and what people do with them, over SQLite."""

from __future__ import annotations

import json
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from sccli.sandbox import seed
from sccli.sandbox.db import Database
from sccli.sandbox.library import seed_library
from sccli.sandbox.relations import Relations
from sccli.sandbox.tokens import TokenStore

T = TypeVar("T")
APP = {"client_id": "sandbox", "client_secret": "sandbox-secret", "name": "sccli sandbox app"}
SANDBOX_USER_ID = seed.SANDBOX_USER_ID
FIRST_NEW_TRACK = seed.TRACK_BASE + 100000  # uploads are numbered from here, never reused
FIRST_NEW_SET = seed.PLAYLIST_BASE + 10000


class Store:
    def __init__(self, data_dir: Path, *, seed_tracks: int | None = None):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "audio").mkdir(exist_ok=True)
        self.db = Database(self.dir / "sandbox.db")
        self.tokens = TokenStore(self.db)
        self.rel = Relations(self.db)
        self.seed_tracks = seed_tracks
        self._cache: tuple[tuple[int, int], list[dict]] | None = None
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        with self.db.transaction():
            seeded = self.db.q1("SELECT value FROM meta WHERE key='seeded'")
            wanted = "" if seed_tracks is None else str(seed_tracks)
            if seeded is None or (seed_tracks is not None and seeded["value"] != wanted):
                self._reseed()

    @property
    def lock(self):
        return self.db.lock

    # -- seeding -----------------------------------------------------------------------------------
    def _reseed(self) -> None:
        self.db.wipe()
        for f in (self.dir / "audio").iterdir():
            f.unlink()
        n = self.seed_tracks if self.seed_tracks is not None else seed.N_TRACKS
        users = seed.users()
        tracks = seed.tracks(users, n)
        db = self.db
        db.many("INSERT INTO users VALUES (?, ?)", [(u["id"], json.dumps(u)) for u in users])
        db.many(
            "INSERT INTO tracks (id, user_id, data) VALUES (?, ?, ?)",
            [(t["id"], t["user_id"], json.dumps(t)) for t in tracks],
        )
        sets = seed.playlists(users, tracks)
        db.many(
            "INSERT INTO playlists VALUES (?, ?, ?, ?)",
            [
                (p["id"], p["user_id"], json.dumps(_set_data(p)), json.dumps(p["tracks"]))
                for p in sets
            ],
        )
        db.many("INSERT INTO followings VALUES (?, ?, ?)", seed.followings(users))
        db.many("INSERT INTO reposts VALUES (?, ?, ?, ?)", seed.reposts(users, tracks))
        mine = seed.sandbox_user_social(tracks, [p["id"] for p in sets])
        db.many("INSERT INTO followings VALUES (?, ?, ?)", mine["followings"])
        for table in ("likes", "reposts"):
            db.many(f"INSERT INTO {table} VALUES (?, ?, ?, ?)", mine[table])
        db.many("INSERT INTO plays VALUES (?, ?, ?)", mine["plays"])
        for table, first in (("tracks", FIRST_NEW_TRACK), ("playlists", FIRST_NEW_SET)):
            db.x("UPDATE sqlite_sequence SET seq=MAX(seq, ?) WHERE name=?", first - 1, table)
        if self.seed_tracks is None:  # --seed-tracks N seeds exactly N tracks, for scale
            seed_library(self)
        db.x("INSERT INTO meta VALUES ('seeded', ?)", "" if n == seed.N_TRACKS else str(n))
        db.x("INSERT INTO meta VALUES ('seeded_at', ?)", str(time.time()))

    def reset(self) -> None:
        with self.db.transaction():
            self._reseed()

    def issued_tokens(self) -> list[str]:
        """Every secret the sandbox has handed out, for tests that scan output for leaks."""
        return self.tokens.issued()

    def seeded_at(self) -> float:
        """When the seed was made (counts grow from then: growth.py); older state: now."""
        row = self.db.q1("SELECT value FROM meta WHERE key='seeded_at'")
        if row is None:
            self.db.x("INSERT OR IGNORE INTO meta VALUES ('seeded_at', ?)", str(time.time()))
            return self.seeded_at()
        return float(row["value"])

    # -- settings kept across restarts ------------------------------------------------------------
    def setting(self, key: str, default: float) -> float:
        row = self.db.q1("SELECT value FROM meta WHERE key=?", f"cfg:{key}")
        return float(row["value"]) if row else default

    def set_setting(self, key: str, value: float) -> None:
        self.db.x("INSERT OR REPLACE INTO meta VALUES (?, ?)", f"cfg:{key}", str(value))

    # -- users -------------------------------------------------------------------------------------
    def user(self, uid: int) -> dict | None:
        row = self.db.q1("SELECT data FROM users WHERE id=?", uid)
        return json.loads(row["data"]) if row else None

    def users(self) -> list[dict]:
        return [json.loads(r["data"]) for r in self.db.q("SELECT data FROM users ORDER BY id")]

    def usernames(self) -> dict[int, str]:
        return {u["id"]: u["username"] for u in self.users()}

    def user_counts(self, uid: int) -> dict:
        """The counts a User object carries that follow from the state."""
        u = self.user(uid) or {}
        row = self.db.q1(
            "SELECT (SELECT COUNT(*) FROM tracks WHERE user_id=?1) AS track_count,"
            " (SELECT COUNT(*) FROM playlists WHERE user_id=?1) AS playlist_count,"
            " (SELECT COUNT(*) FROM likes WHERE user_id=?1 AND kind='track')"
            " AS public_favorites_count,"
            " (SELECT COUNT(*) FROM reposts WHERE user_id=?1) AS reposts_count,"
            " (SELECT COUNT(*) FROM followings WHERE target_id=?1) AS followers,"
            " (SELECT COUNT(*) FROM followings WHERE user_id=?1) AS followings",
            uid,
        )
        counts = dict(row) if row else {}
        counts["followers_count"] = u.get("followers_count", 0) + counts.pop("followers", 0)
        counts["followings_count"] = u.get("followings_count", 0) + counts.pop("followings", 0)
        return counts

    def owner_counts(self, uid: int) -> tuple[dict, int]:
        """What only the owner's /me shows: private tracks and sets, and seconds uploaded."""
        private = "json_extract(data, '$.sharing')='private'"
        row = self.db.q1(
            f"SELECT (SELECT COUNT(*) FROM tracks WHERE user_id=?1 AND {private}) AS tracks,"
            f" (SELECT COUNT(*) FROM playlists WHERE user_id=?1 AND {private}) AS playlists,"
            " (SELECT COALESCE(SUM(json_extract(data, '$.duration')), 0) FROM tracks"
            "  WHERE user_id=?1) AS ms",
            uid,
        )
        counts = dict(row) if row else {}
        return counts, int(counts.pop("ms", 0) or 0) // 1000

    # -- tracks ------------------------------------------------------------------------------------
    def track(self, tid: int) -> dict | None:
        row = self.db.q1("SELECT * FROM tracks WHERE id=?", tid)
        return _track_row(row) if row else None

    def all_tracks(self) -> list[dict]:
        """Every track, oldest first; shared between requests until the state changes: read only."""
        key = self.db.version()
        if self._cache is None or self._cache[0] != key:
            rows = self.db.q("SELECT * FROM tracks ORDER BY id")
            self._cache = (key, [_track_row(r) for r in rows])
        return self._cache[1]

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute(), remembered until the state changes (a search paged to its end runs once)."""
        full = (self.db.version(), key)
        with self.db.lock:
            if full in self._memo:
                self._memo.move_to_end(full)
                return self._memo[full]
        value = compute()
        with self.db.lock:
            self._memo[full] = value
            while len(self._memo) > 16:
                self._memo.popitem(last=False)
        return value

    def track_ids_of(self, uid: int) -> list[int]:
        rows = self.db.q("SELECT id FROM tracks WHERE user_id=? ORDER BY id DESC", uid)
        return [r["id"] for r in rows]

    def track_counts(self, t: dict) -> dict:
        """Counts that follow from the state, over what the seed gave the track."""
        tid = t["id"]
        row = self.db.q1(
            "SELECT (SELECT COUNT(*) FROM comments WHERE track_id=?1) AS comments,"
            " (SELECT COUNT(*) FROM likes WHERE kind='track' AND target_id=?1) AS likes,"
            " (SELECT COUNT(*) FROM reposts WHERE kind='track' AND target_id=?1) AS reposts",
            tid,
        )
        assert row is not None
        return {
            "comment_count": int(t.get("comment_count") or 0) + row["comments"],
            "favoritings_count": int(t.get("favoritings_count") or 0) + row["likes"],
            "reposts_count": int(t.get("reposts_count") or 0) + row["reposts"],
        }

    def insert_track(self, t: dict, file: str | None, ready_at: float, created: float) -> int:
        """A new track under a new id, one that no track ever had (even a deleted one)."""
        return self.db.x(
            "INSERT INTO tracks (user_id, data, file, ready_at, created) VALUES (?,?,?,?,?)",
            t["user_id"],
            json.dumps(_strip(t)),
            file,
            ready_at,
            created,
        )

    def update_track(self, tid: int, fields: dict) -> dict | None:
        """Change some fields of a track, atomically; the track as it now is."""
        with self.db.transaction():
            t = self.track(tid)
            if t is None:
                return None
            t.update(fields)
            self.db.x("UPDATE tracks SET data=? WHERE id=?", json.dumps(_strip(t)), tid)
            return t

    def delete_track(self, tid: int) -> None:
        with self.db.transaction():
            for sql in (
                "DELETE FROM tracks WHERE id=?",
                "DELETE FROM comments WHERE track_id=?",
                "DELETE FROM storefronts WHERE track_id=?",
            ):
                self.db.x(sql, tid)

    # -- sets --------------------------------------------------------------------------------------
    def playlist(self, pid: int) -> dict | None:
        row = self.db.q1("SELECT * FROM playlists WHERE id=?", pid)
        return _playlist_row(row) if row else None

    def playlists(self, uid: int | None = None) -> list[dict]:
        if uid is None:
            rows = self.db.q("SELECT * FROM playlists ORDER BY id")
        else:
            rows = self.db.q("SELECT * FROM playlists WHERE user_id=? ORDER BY id DESC", uid)
        return [_playlist_row(r) for r in rows]

    def insert_playlist(self, p: dict) -> int:
        return self.db.x(
            "INSERT INTO playlists (user_id, data, track_ids) VALUES (?, ?, ?)",
            p["user_id"],
            json.dumps(_set_data(p)),
            json.dumps(p["tracks"]),
        )

    def update_playlist(self, pid: int, fields: dict) -> dict | None:
        with self.db.transaction():
            p = self.playlist(pid)
            if p is None:
                return None
            p.update(fields)
            self.db.x(
                "UPDATE playlists SET data=?, track_ids=? WHERE id=?",
                json.dumps(_set_data(p)),
                json.dumps(p["tracks"]),
                pid,
            )
            return p

    def delete_playlist(self, pid: int) -> None:
        self.db.x("DELETE FROM playlists WHERE id=?", pid)

    def playlist_counts(self, pid: int) -> dict:
        return {
            "likes_count": self.db.n(
                "SELECT COUNT(*) FROM likes WHERE kind='playlist' AND target_id=?", pid
            ),
            "reposts_count": self.db.n(
                "SELECT COUNT(*) FROM reposts WHERE kind='playlist' AND target_id=?", pid
            ),
        }


def _strip(d: dict) -> dict:
    """Drop the keys that live in their own columns."""
    return {k: v for k, v in d.items() if k not in ("id", "_file", "_ready_at", "_created")}


def _set_data(p: dict) -> dict:
    return {k: v for k, v in p.items() if k not in ("id", "tracks")}


def _track_row(row: sqlite3.Row) -> dict:
    t: dict[str, Any] = json.loads(row["data"])
    t["id"] = row["id"]
    t["user_id"] = row["user_id"]
    t["_file"] = row["file"]
    t["_ready_at"] = row["ready_at"]
    t["_created"] = row["created"]  # when it was uploaded, to the microsecond (seeds: 0)
    return t


def _playlist_row(row: sqlite3.Row) -> dict:
    p: dict[str, Any] = json.loads(row["data"])
    p["id"] = row["id"]
    p["user_id"] = row["user_id"]
    p["tracks"] = json.loads(row["track_ids"])
    return p
