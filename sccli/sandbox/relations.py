"""What users do with each other and with content: likes, reposts, follows, plays, comments."""

from __future__ import annotations

import json
import time

from sccli.sandbox.db import Database

KINDS = ("track", "playlist")


class Relations:
    def __init__(self, db: Database):
        self.db = db

    # -- likes and reposts: (user, kind, target) rows ------------------------------------------------
    def mark(self, table: str, uid: int, kind: str, target: int, on: bool) -> bool:
        """Like or repost (on) or take it back; True when that changed anything."""
        assert table in ("likes", "reposts") and kind in KINDS
        if on:
            sql = f"INSERT OR IGNORE INTO {table} VALUES (?, ?, ?, ?)"
            args: tuple = (uid, kind, target, time.time())
        else:
            sql = f"DELETE FROM {table} WHERE user_id=? AND kind=? AND target_id=?"
            args = (uid, kind, target)
        with self.db.lock:
            before = self.db.conn.total_changes
            self.db.x(sql, *args)
            return self.db.conn.total_changes > before

    def targets(self, table: str, uid: int, kind: str) -> list[int]:
        """What a user liked (or reposted), newest first."""
        assert table in ("likes", "reposts")
        rows = self.db.q(
            f"SELECT target_id FROM {table} WHERE user_id=? AND kind=? ORDER BY at DESC, rowid DESC",
            uid,
            kind,
        )
        return [r["target_id"] for r in rows]

    def who(self, table: str, kind: str, target: int) -> list[int]:
        """Who liked (or reposted) it, newest first."""
        assert table in ("likes", "reposts")
        rows = self.db.q(
            f"SELECT user_id FROM {table} WHERE kind=? AND target_id=? ORDER BY at DESC, rowid DESC",
            kind,
            target,
        )
        return [r["user_id"] for r in rows]

    def reposts_by(self, uids: list[int]) -> list[dict]:
        """Every repost by these users: {user_id, kind, target_id, at}."""
        marks = ",".join("?" * len(uids))
        rows = self.db.q(f"SELECT * FROM reposts WHERE user_id IN ({marks})", *uids)
        return [dict(r) for r in rows]

    # -- follows -----------------------------------------------------------------------------------
    def is_following(self, uid: int, target: int) -> bool:
        return bool(
            self.db.q1("SELECT 1 FROM followings WHERE user_id=? AND target_id=?", uid, target)
        )

    def follow(self, uid: int, target: int, limit: float) -> str:
        """'new', 'already' or 'limit' (the follow limit is reached)."""
        with self.db.transaction():
            if self.is_following(uid, target):
                return "already"
            if self.db.n("SELECT COUNT(*) FROM followings WHERE user_id=?", uid) >= limit:
                return "limit"
            self.db.x("INSERT INTO followings VALUES (?, ?, ?)", uid, target, time.time())
            return "new"

    def unfollow(self, uid: int, target: int) -> bool:
        """False when there was no follow to end."""
        with self.db.transaction():
            was = self.is_following(uid, target)
            self.db.x("DELETE FROM followings WHERE user_id=? AND target_id=?", uid, target)
            return was

    def followings(self, uid: int) -> list[int]:
        rows = self.db.q(
            "SELECT target_id FROM followings WHERE user_id=? ORDER BY at DESC, rowid DESC", uid
        )
        return [r["target_id"] for r in rows]

    def followers(self, uid: int) -> list[int]:
        rows = self.db.q(
            "SELECT user_id FROM followings WHERE target_id=? ORDER BY at DESC, rowid DESC", uid
        )
        return [r["user_id"] for r in rows]

    def follow_count(self, uid: int) -> int:
        return self.db.n("SELECT COUNT(*) FROM followings WHERE user_id=?", uid)

    # -- plays -------------------------------------------------------------------------------------
    def played(self, uid: int, tid: int) -> None:
        self.db.x("INSERT INTO plays VALUES (?, ?, ?)", uid, tid, time.time())

    def recently_played(self, uid: int, n: int = 25) -> list[int]:
        """The last n different tracks a user played, newest first."""
        rows = self.db.q(
            "SELECT track_id, MAX(rowid) AS last FROM plays WHERE user_id=?"
            " GROUP BY track_id ORDER BY last DESC LIMIT ?",
            uid,
            n,
        )
        return [r["track_id"] for r in rows]

    # -- comments ----------------------------------------------------------------------------------
    def add_comment(self, tid: int, uid: int, body: str, ts: int | None, at: str) -> dict:
        cid = self.db.x(
            "INSERT INTO comments (track_id, user_id, body, timestamp, created_at)"
            " VALUES (?,?,?,?,?)",
            tid,
            uid,
            body,
            ts,
            at,
        )
        row = self.db.q1("SELECT * FROM comments WHERE id=?", cid)
        assert row is not None
        return dict(row)

    def comments(self, tid: int) -> list[dict]:
        return [
            dict(r) for r in self.db.q("SELECT * FROM comments WHERE track_id=? ORDER BY id", tid)
        ]

    # -- storefronts -------------------------------------------------------------------------------
    def storefront(self, tid: int) -> dict | None:
        row = self.db.q1("SELECT data FROM storefronts WHERE track_id=?", tid)
        return json.loads(row["data"]) if row else None

    def set_storefront(self, tid: int, data: dict) -> None:
        self.db.x("INSERT OR REPLACE INTO storefronts VALUES (?, ?)", tid, json.dumps(data))
