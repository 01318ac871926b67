"""`sc stats export --csv`: the snapshots appended to a CSV that can live in git."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

from sccli.core.errors import UsageError
from sccli.core.fsutil import is_regular
from sccli.core.stats import METRICS
from sccli.core.stats.series import iso
from sccli.core.stats.store import StatsDB

HEADER = ("taken_at", "user_urn", "track_urn", "title", *METRICS)
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def _last_time(path: Path) -> float:
    """Where the file's rows end: the second after its last row's (rows go in oldest first).
    Every row is read and checked: appending to a hand-edited file that no longer parses (an
    open quote, a bad time) would bury the new rows, so it is refused, naming file and line."""
    last: str | None = None
    with path.open(newline="", encoding="utf-8", errors="replace") as f:
        rows = csv.reader(f, strict=True)
        try:
            for row in rows:
                if rows.line_num == 1 or last is None and not row:
                    _check_header(path, row)
                elif row:
                    last = _stamp(path, rows.line_num, row)
        except csv.Error as e:
            raise _bad(path, rows.line_num, f"not valid CSV ({e})") from None
    if last is None:
        return float("-inf")
    when = datetime.strptime(last, STAMP).replace(tzinfo=timezone.utc)
    return when.timestamp() + 1  # rows are written to the second: the next second is new


def _check_header(path: Path, row: list[str]) -> None:
    if row and row != list(HEADER):
        raise UsageError(
            f"{path} is not a CSV that `sc stats export` wrote (its header differs)",
            hint="give another file, or move this one away",
        )


def _stamp(path: Path, line: int, row: list[str]) -> str:
    """The row's taken_at, checked (rows of another shape or time are refused, not skipped)."""
    if len(row) != len(HEADER):
        raise _bad(path, line, f"{len(row)} fields, not {len(HEADER)}")
    try:
        datetime.strptime(row[0], STAMP)
    except ValueError:
        raise _bad(
            path, line, f"taken_at {row[0][:40]!r} is not a time like 2026-01-31T09:00:00Z"
        ) from None
    return row[0]


def _bad(path: Path, line: int, why: str) -> UsageError:
    return UsageError(
        f"{path}, line {line}: {why}",
        hint="repair the line (or move the file away) and run it again",
    )


def _ends_a_line(path: Path) -> bool:
    """The file ends with a line break (or is empty): a row appended will not join the last."""
    with path.open("rb") as f:
        f.seek(0, io.SEEK_END)
        if f.tell() == 0:
            return True
        f.seek(-1, io.SEEK_END)
        return f.read(1) == b"\n"


def append_csv(db: StatsDB, path: Path) -> int:
    """Append the snapshots after the file's last row (all, to a new file, with the
    header); the number of rows added. Running it again adds nothing."""
    try:
        if path.exists() and not is_regular(path):  # /dev/full would be read for ever
            raise UsageError(f"cannot append to {path}: not a regular file")
        after = _last_time(path) if path.exists() else float("-inf")
        new = not path.exists() or path.stat().st_size == 0
        open_line = not new and not _ends_a_line(path)
        with path.open("a", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            if new:
                w.writerow(HEADER)
            if open_line:  # a hand edit left the last line unterminated: end it first
                f.write("\n")
            n = 0
            for at, user, track, counts in db.export_rows(after):
                cells = ("" if c is None else c for c in counts)  # hidden: empty, not 0
                w.writerow((iso(at), user, track.urn, track.title, *cells))
                n += 1
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    return n
