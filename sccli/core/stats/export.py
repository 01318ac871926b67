"""`sc stats export --csv`: the snapshots appended to a CSV that can live in git."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

from sccli.core.errors import UsageError
from sccli.core.stats import METRICS
from sccli.core.stats.series import iso
from sccli.core.stats.store import StatsDB

HEADER = ("taken_at", "user_urn", "track_urn", "title", *METRICS)
_TAIL = 65536  # enough for the last row, however long its title


def _last_time(path: Path) -> float:
    """Where the file's rows end: the second after its last row's (rows go in oldest first)."""
    with path.open("rb") as f:
        head = f.readline().decode("utf-8", "replace").strip()
        if not head:
            return float("-inf")
        if head.split(",") != list(HEADER):
            raise UsageError(
                f"{path} is not a CSV that `sc stats export` wrote (its header differs)",
                hint="give another file, or move this one away",
            )
        f.seek(0, io.SEEK_END)
        f.seek(max(0, f.tell() - _TAIL))
        tail = f.read().decode("utf-8", "replace")
    rows = list(csv.reader(io.StringIO(tail)))
    stamps = [r[0] for r in rows if r and r[0].endswith("Z") and len(r) == len(HEADER)]
    if not stamps:
        return float("-inf")
    last = datetime.strptime(stamps[-1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return last.timestamp() + 1  # rows are written to the second: the next second is new


def append_csv(db: StatsDB, path: Path) -> int:
    """Append the snapshots after the file's last row (all, to a new file, with the
    header); the number of rows added. Running it again adds nothing."""
    try:
        after = _last_time(path) if path.exists() else float("-inf")
        new = not path.exists() or path.stat().st_size == 0
        with path.open("a", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            if new:
                w.writerow(HEADER)
            n = 0
            for at, user, track, counts in db.export_rows(after):
                cells = ("" if c is None else c for c in counts)  # hidden: empty, not 0
                w.writerow((iso(at), user, track.urn, track.title, *cells))
                n += 1
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    return n
