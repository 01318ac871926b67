"""From snapshots to what people read: each track's latest counts, its change over the last
day, week and month, and a sparkline of one metric."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from sccli.core.errors import UsageError
from sccli.core.stats import METRICS
from sccli.core.stats.store import Counts, StatsDB, TrackInfo
from sccli.core.timefmt import EARLIEST_YEAR

DAY = 86400.0
PERIODS = (("day", DAY), ("week", 7 * DAY), ("month", 30 * DAY))
# A nightly job drifts by minutes (GitHub's cron runs late): a snapshot a little less than a
# period old still counts as that period's baseline.
SLACK = 0.1
BARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 24
_EARLIEST = datetime(EARLIEST_YEAR, 1, 1, tzinfo=timezone.utc).timestamp()
_SINCE = re.compile(r"(\d{1,5})([hdw])", re.ASCII)


def parse_since(text: str, now: float) -> float:
    """'30d', '12h', '2w' before `now`, or a date 'YYYY-MM-DD' (UTC): epoch seconds."""
    t = text.strip().lower()
    m = _SINCE.fullmatch(t)
    if m:
        unit = {"h": 3600.0, "d": DAY, "w": 7 * DAY}[m.group(2)]
        at = now - int(m.group(1)) * unit
    else:
        try:
            at = datetime.strptime(t, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            raise UsageError(
                f"invalid --since {text!r}: use a span like 30d, 12h or 2w, "
                "or a date like 2026-11-01"
            ) from None
    if at < _EARLIEST:  # as every date sc takes: four-digit years only
        raise UsageError(
            f"invalid --since {text!r}: it must reach back no further than the year {EARLIEST_YEAR}"
        )
    return at


def metric_index(name: str) -> int:
    if name not in METRICS:
        raise UsageError(f"invalid --metric {name!r}: use one of {', '.join(METRICS)}")
    return METRICS.index(name)


@lru_cache(maxsize=4096)  # every track of a snapshot has its time: made once each
def iso(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Series:
    """One track's snapshots, oldest first."""

    track: TrackInfo
    times: list[float] = field(default_factory=list)
    counts: list[Counts] = field(default_factory=list)

    def value_at(self, i: int, metric: int) -> int | None:
        return self.counts[i][metric]

    def change(self, metric: int, period: float) -> int | None:
        """Latest minus the value `period` before it (give or take the slack); None when no
        snapshot was taken then (a history too short, a night missed) or a count is hidden."""
        last = len(self.times) - 1
        newest, oldest = (
            self.times[last] - period * (1 - SLACK),
            self.times[last] - period * (1 + SLACK),
        )
        base = next((i for i in range(last - 1, -1, -1) if self.times[i] <= newest), None)
        if base is None or self.times[base] < oldest:
            return None
        now, then = self.value_at(last, metric), self.value_at(base, metric)
        return None if now is None or then is None else now - then

    def points(self, metric: int, since: float) -> list[tuple[float, int | None]]:
        return [(t, c[metric]) for t, c in zip(self.times, self.counts, strict=True) if t >= since]


def sparkline(values: Iterable[int | None], width: int = SPARK_WIDTH) -> str:
    """Bars from lowest to highest value; a hidden value is a space. At most `width` bars."""
    vals = list(values)
    if len(vals) > width:  # evenly spaced samples, the latest always among them
        step = (len(vals) - 1) / (width - 1)
        vals = [vals[round(i * step)] for i in range(width)]
    known = [v for v in vals if v is not None]
    if len(known) < 2:
        return ""
    lo, hi = min(known), max(known)
    span = hi - lo or 1
    top = len(BARS) - 1
    return "".join(" " if v is None else BARS[(v - lo) * top // span] for v in vals)


def load_series(db: StatsDB, since: float) -> list[Series]:
    """Every track seen since `since` (and, for its changes, a month before its latest)."""
    latest = db.latest()
    if latest is None:
        return []
    start = min(since, latest - PERIODS[-1][1] * (1 + SLACK))
    tracks = db.tracks()
    by_id: dict[int, Series] = {}
    for tid, at, counts in db.rows(start):
        s = by_id.get(tid)
        if s is None:
            s = by_id[tid] = Series(tracks[tid])
        s.times.append(at)
        s.counts.append(counts)
    return [s for s in by_id.values() if s.times[-1] >= since]


def row(s: Series, metric: int, since: float) -> dict[str, Any]:
    """One track for `sc stats show`: latest counts, changes of `metric`, its sparkline (the
    points themselves are `sc stats export`'s)."""
    points = s.points(metric, since)
    out: dict[str, Any] = {
        "urn": s.track.urn,
        "title": s.track.title,
        "permalink_url": s.track.permalink_url,
        "taken_at": iso(s.times[-1]),
        **dict(zip(METRICS, s.counts[-1], strict=True)),
        "metric": METRICS[metric],
    }
    for name, period in PERIODS:
        out[f"change_{name}"] = s.change(metric, period)
    out["trend"] = sparkline(v for _, v in points)
    return out


def totals(series: list[Series], metric: int, since: float) -> list[tuple[float, int]]:
    """The sum of `metric` over the tracks at each snapshot since `since` (hidden ones left
    out): the curve of the whole catalogue."""
    sums: dict[float, int] = {}
    for s in series:
        for t, v in s.points(metric, since):
            sums[t] = sums.get(t, 0) + (v or 0)
    return sorted(sums.items())


def pick(series: list[Series], refs: list[str]) -> list[Series]:
    """The tracks named (id, URN, URL or user/title), found in the database: no request."""
    from urllib.parse import urlsplit

    from sccli.core.errors import NotFound
    from sccli.core.refs import parse_ref

    def path(url: str) -> str:
        return urlsplit(url).path.strip("/").lower()

    chosen: list[Series] = []
    for text in refs:
        ref = parse_ref(text, ("track",))
        found = [
            s
            for s in series
            if s.track.urn == ref.urn or (ref.url and path(ref.url) == path(s.track.permalink_url))
        ]
        if not found:
            raise NotFound(
                f"no snapshot of {text} in the period shown",
                hint="see the tracks recorded with `sc stats show`, or widen --since",
            )
        chosen.extend(s for s in found if s not in chosen)
    return chosen
