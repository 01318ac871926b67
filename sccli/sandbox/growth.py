"""Counts that grow with time: plays (and the likes, reposts and downloads they bring) added
each day a track has been in the sandbox, so `sc stats` sees real changes between snapshots.

Deterministic: the same track on the same day always has the same counts, and a day's counts
are never below the day before's. Within the day the sandbox was seeded (or a track
uploaded) nothing grows, so tests that do not move the clock see the seed's counts exactly;
`days_ahead` (POST /_sandbox/config) moves the sandbox's clock on by whole days.
"""

from __future__ import annotations

import math

DAY = 86400.0
LIKES_PER_PLAY = 1 / 40
REPOSTS_PER_PLAY = 1 / 300
DOWNLOADS_PER_PLAY = 1 / 60
HIDDEN_BY_QUIET_MODE = ("playback_count", "favoritings_count")  # the spec's reveal_stats


def days_passed(since: float, now: float, days_ahead: float) -> int:
    """Whole days from `since` (the seed, or the upload) to `now`, plus the days ahead."""
    return max(0, math.floor((now - since) / DAY + days_ahead))


def _rate(t: dict) -> int:
    """Plays a day: popular tracks (by the seed's count) gain more."""
    return 1 + int(t.get("playback_count") or 0) // 2000


def _wobble(tid: int, day: int, rate: int) -> int:
    """0 to rate-1, fixed per track and day, so the days are not all alike."""
    return ((tid * 2654435761 + day * 40503) % 4294967296) % rate if day else 0


def plays_gained(t: dict, days: int) -> int:
    """Plays gained over `days`: at least one a day, so the total only ever grows."""
    rate = _rate(t)
    return rate * days + _wobble(int(t["id"]), days, rate)


def grow(t: dict, counts: dict, days: int) -> dict:
    """The counts a track shows after `days`, over what the state gives (`counts`)."""
    if days <= 0:
        return {
            **counts,
            "playback_count": int(t.get("playback_count") or 0),
            "download_count": int(t.get("download_count") or 0),
        }
    plays = plays_gained(t, days)
    downloads = int(plays * DOWNLOADS_PER_PLAY) if t.get("downloadable") else 0
    return {
        **counts,
        "playback_count": int(t.get("playback_count") or 0) + plays,
        "favoritings_count": counts["favoritings_count"] + int(plays * LIKES_PER_PLAY),
        "reposts_count": counts["reposts_count"] + int(plays * REPOSTS_PER_PLAY),
        "download_count": int(t.get("download_count") or 0) + downloads,
    }


def hide_quiet(t: dict, counts: dict, viewer: int | None) -> dict:
    """Quiet mode (reveal_stats false): plays and likes are null to all but the owner."""
    if t.get("reveal_stats") is False and viewer != t.get("user_id"):
        return {**counts, **dict.fromkeys(HIDDEN_BY_QUIET_MODE)}
    return counts
