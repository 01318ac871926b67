"""Taking a snapshot: every track of a user, with the counts the API gives, into the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sccli.core.record import record
from sccli.core.resources import list_of
from sccli.core.stats.store import Counts, Observed, SameMinute, StatsDB, TrackInfo

if TYPE_CHECKING:
    from sccli.core.client import Client

EVERY_ACCESS = {"access": "playable,preview,blocked"}  # a blocked track still has counts
# Where each metric is in a Track (METRICS order); `likes_count` is the older name.
FIELDS: tuple[tuple[str, ...], ...] = (
    ("playback_count",),
    ("favoritings_count", "likes_count"),
    ("reposts_count",),
    ("comment_count",),
    ("download_count",),
)


@record
class Snapshot:
    user_urn: str
    taken_at: float
    tracks: int
    hidden: int  # tracks with a count hidden (quiet mode) or not given, recorded as null


def counts_of(track: dict[str, Any]) -> Counts:
    """The counts of a Track; a hidden (null) or absent one is None, never 0."""

    def one(names: tuple[str, ...]) -> int | None:
        for name in names:
            if name in track:
                value = track[name]
                ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
                return value if ok else None
        return None

    return tuple(one(names) for names in FIELDS)


def observed(track: dict[str, Any]) -> Observed:
    user = track.get("user") if isinstance(track.get("user"), dict) else {}
    info = TrackInfo(
        urn=str(track.get("urn") or f"soundcloud:tracks:{track.get('id')}"),
        title=str(track.get("title") or ""),
        permalink_url=str(track.get("permalink_url") or ""),
        user_urn=str(track.get("user_urn") or (user or {}).get("urn") or ""),
    )
    return Observed(info, counts_of(track))


def take_snapshot(
    client: Client, db: StatsDB, user_urn: str | None, now: float, *, force: bool = False
) -> Snapshot:
    """Every track of `user_urn` (yours when None) as it is now, recorded in one transaction.
    A second snapshot of the user in the same minute is refused before any track is read."""
    me = user_urn is None
    urn = user_urn or str(client.get("/me")["urn"])
    if not force and db.taken_in_minute(urn, now) is not None:
        raise SameMinute(urn)
    path = "/me/tracks" if me else f"/users/{urn}/tracks"
    seen = [observed(t) for t in list_of(client, path, EVERY_ACCESS, limit=None)]
    db.record(urn, now, seen, force=force)
    hidden = sum(1 for o in seen if None in o.counts)
    return Snapshot(urn, now, len(seen), hidden)
