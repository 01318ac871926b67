"""The stats database: one row per track per snapshot, in SQLite (stdlib sqlite3).

Counts are integers or NULL (hidden by quiet mode, or not given): never a made-up zero.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from sccli.core.errors import SccliError, UsageError
from sccli.core.record import record
from sccli.core.stats import METRICS

SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY, taken_at REAL NOT NULL, user_urn TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS snapshots_time ON snapshots (taken_at);
CREATE TABLE IF NOT EXISTS tracks (
  id INTEGER PRIMARY KEY, urn TEXT NOT NULL UNIQUE, title TEXT NOT NULL DEFAULT '',
  permalink_url TEXT NOT NULL DEFAULT '', user_urn TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS counts (
  snapshot_id INTEGER NOT NULL, track_id INTEGER NOT NULL,
  plays INTEGER, likes INTEGER, reposts INTEGER, comments INTEGER, downloads INTEGER,
  PRIMARY KEY (snapshot_id, track_id)) WITHOUT ROWID;
"""
SCHEMA_VERSION = 1  # PRAGMA user_version: marks the file as ours
_COLS = ", ".join(f"c.{m}" for m in METRICS)
_LAST_SECOND = 253402300799  # 9999-12-31T23:59:59Z, the last time a date can show
# 1 where a row is as sc wrote it (an integer track id, a time in range, whole counts or
# NULL), so only the rest of a hand-edited file is checked in Python, value by value.
_PLAIN = " AND ".join(
    [
        "typeof(c.track_id) = 'integer'",
        "typeof(s.taken_at) IN ('integer', 'real')",
        f"s.taken_at BETWEEN 0 AND {_LAST_SECOND}",
        *(f"typeof(c.{m}) IN ('integer', 'null')" for m in METRICS),
    ]
)

Counts = tuple[int | None, ...]  # in the order of METRICS


@record
class TrackInfo:
    urn: str
    title: str = ""
    permalink_url: str = ""
    user_urn: str = ""


@record
class Observed:
    """One track as one snapshot saw it."""

    track: TrackInfo
    counts: Counts


class SameMinute(SccliError):
    """A snapshot of this user was taken in this minute already."""

    def __init__(self, user_urn: str):
        super().__init__(
            f"a snapshot of {user_urn} was already taken this minute",
            hint="wait a minute, or take another anyway with --force",
        )


class StatsDB:
    """The stats database at `path` (made, with its folder, on first use). `create=False`, for
    a read: a database that is not there reads as empty, and nothing is made on disk."""

    def __init__(self, path: Path, *, create: bool = True):
        self.path = path
        try:
            if str(path) == "-":  # elsewhere a standard stream, which SQLite cannot use
                raise UsageError("--db - : the stats database must be a file, not a stream")
            if path.exists() and not path.is_file():  # a folder, /dev/null, a pipe
                raise UsageError(f"cannot use {path} as the stats database: not a regular file")
            where: Path | str = path
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            elif not path.exists():
                where = ":memory:"
            self.conn = sqlite3.connect(where, timeout=30, isolation_level=None)
            self._init_schema()
        except (OSError, sqlite3.Error) as e:
            raise UsageError(f"cannot use {path} as the stats database: {e}") from None

    def _init_schema(self) -> None:
        """Our tables in a new file; another program's database is refused, never added to."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        tables = self.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
        if version != SCHEMA_VERSION and tables:
            raise UsageError(
                f"{self.path} is a database, but not one of `sc stats` (its tables differ)",
                hint="give --db a new file, or one that `sc stats snapshot` made",
            )
        self.conn.executescript(SCHEMA)
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> StatsDB:
        return self

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        """Closes the database; an SQLite failure inside (locked too long, a damaged file)
        becomes one line and an exit code, like every other failure."""
        self.close()
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(
            error, sqlite3.OperationalError
        ):
            raise UsageError(f"{self.path} is damaged: {error}") from None
        if isinstance(error, sqlite3.Error):
            raise SccliError(f"the stats database {self.path}: {error}") from None

    # -- writing -----------------------------------------------------------------------------------
    def taken_in_minute(self, user_urn: str, at: float) -> float | None:
        """The time of a snapshot of this user taken in the same minute as `at`, if any."""
        minute = int(at // 60) * 60.0
        row = self.conn.execute(
            "SELECT taken_at FROM snapshots WHERE user_urn=? AND taken_at>=? AND taken_at<?",
            (user_urn, minute, minute + 60),
        ).fetchone()
        return None if row is None else self._time(row[0])

    def record(
        self, user_urn: str, at: float, seen: Sequence[Observed], *, force: bool = False
    ) -> int:
        """One snapshot, all its rows in one transaction; its id. A second one of this user in
        the same minute raises SameMinute unless `force`."""
        c = self.conn
        c.execute("BEGIN IMMEDIATE")  # the minute's check and the rows, with no writer between
        try:
            if not force and self.taken_in_minute(user_urn, at) is not None:
                raise SameMinute(user_urn)
            sid = int(
                c.execute(
                    "INSERT INTO snapshots (taken_at, user_urn) VALUES (?, ?)", (at, user_urn)
                ).lastrowid
                or 0
            )
            ids = self._track_ids([o.track for o in seen])
            c.executemany(
                f"INSERT OR REPLACE INTO counts VALUES (?, ?, {', '.join('?' * len(METRICS))})",
                [(sid, ids[o.track.urn], *o.counts) for o in seen],
            )
        except BaseException:
            c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")
        return sid

    def _track_ids(self, tracks: list[TrackInfo]) -> dict[str, int]:
        """Each track's row id, its title and link brought up to date."""
        self.conn.executemany(
            "INSERT INTO tracks (urn, title, permalink_url, user_urn) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(urn) DO UPDATE SET title=excluded.title,"
            " permalink_url=excluded.permalink_url, user_urn=excluded.user_urn",
            [(t.urn, t.title, t.permalink_url, t.user_urn) for t in tracks],
        )
        return {urn: tid for tid, urn in self.conn.execute("SELECT id, urn FROM tracks")}

    # -- reading -----------------------------------------------------------------------------------
    def latest(self) -> float | None:
        row = self.conn.execute("SELECT MAX(taken_at) FROM snapshots").fetchone()
        return None if row is None or row[0] is None else self._time(row[0])

    def tracks(self) -> dict[int, TrackInfo]:
        rows = self.conn.execute("SELECT id, urn, title, permalink_url, user_urn FROM tracks")
        return {int(r[0]): TrackInfo(*r[1:]) for r in rows}

    def rows(self, since: float) -> Iterator[tuple[int, float, Counts]]:
        """(track id, time, counts) of every snapshot taken at or after `since`, by time."""
        cur = self.conn.execute(
            f"SELECT c.track_id, s.taken_at, {_COLS}, {_PLAIN} FROM snapshots s"
            " JOIN counts c ON c.snapshot_id = s.id WHERE s.taken_at >= ? ORDER BY s.taken_at",
            (since,),
        )
        for r in cur:  # a year of 2,000 tracks is 66,000 rows a month: check in SQL first
            if r[-1] == 1:
                yield r[0], float(r[1]), r[2:-1]
            else:
                yield int(r[0]), self._time(r[1]), self._counts(r[2:-1])

    def export_rows(self, since: float) -> Iterator[tuple[float, str, TrackInfo, Counts]]:
        """(time, snapshot's user, track, counts) of the snapshots from `since`, oldest first."""
        cur = self.conn.execute(
            f"SELECT s.taken_at, s.user_urn, t.urn, t.title, t.permalink_url, t.user_urn, {_COLS}"
            " FROM snapshots s JOIN counts c ON c.snapshot_id = s.id"
            " JOIN tracks t ON t.id = c.track_id WHERE s.taken_at >= ? ORDER BY s.taken_at, t.urn",
            (since,),
        )
        for r in cur:
            info = TrackInfo(*(str(v or "") for v in r[2:6]))
            yield self._time(r[0]), str(r[1]), info, self._counts(r[6:])

    # A hand-edited database can hold anything SQLite takes: check what is read, name it.
    def _time(self, value: object) -> float:
        """A snapshot's time: epoch seconds within the years 1970-9999."""
        if isinstance(value, (int, float)) and 0 <= value <= _LAST_SECOND:
            return float(value)
        raise self._bad(f"taken_at {value!r} is not a time")

    def _counts(self, values: Sequence[object]) -> Counts:
        """The counts, whole numbers or NULL (a float that is whole, as SQLite may keep one)."""
        out: list[int | None] = []
        for metric, v in zip(METRICS, values, strict=True):
            if v is None or isinstance(v, int) and not isinstance(v, bool):
                out.append(v)
            elif isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
                out.append(int(v))
            else:
                raise self._bad(f"{metric} {v!r} is not a count")
        return tuple(out)

    def _bad(self, what: str) -> UsageError:
        return UsageError(
            f"{self.path} holds a value sc cannot read: {what}",
            hint="repair or delete that row (sqlite3), or give --db another file",
        )
