"""The sandbox user's library of downloadable music: real small MP3, FLAC, WAV and M4A files,
liked, reposted and gathered in a set of hers, some of them not downloadable, so that every
branch of `sc sync` has something to do on a fresh sandbox. Also more of the same on demand
(`POST /_sandbox/library`), for tests and benchmarks at scale."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sccli.sandbox import audiofiles, seed

if TYPE_CHECKING:
    from sccli.sandbox.store import Store

LIBRARY_BASE = seed.TRACK_BASE + 90000  # 390001...: after any --seed-tracks, before uploads
LIBRARY_SET = seed.PLAYLIST_BASE + 9000  # 909001: sandbox-user's album of them
OWNERS = (1002, 1003, 1004, 1005)
SEED_SIZE = 24 * 1024
SHARE_ABOVE = 1024 * 1024  # tracks bigger than this share one file per format


@dataclass(frozen=True)
class Entry:
    title: str
    fmt: str
    downloadable: bool = True
    liked: bool = False
    reposted: bool = False
    in_set: bool = False
    extra: tuple[tuple[str, str], ...] = ()


SEED = (
    Entry(
        "Harbour Lights",
        "mp3",
        liked=True,
        in_set=True,
        extra=(
            ("metadata_artist", "The Harbour Band"),
            ("isrc", "GBSBX2400001"),
            ("release_date", "2024-05-01T00:00:00Z"),
        ),
    ),
    Entry("Night Tram", "flac", liked=True, in_set=True, extra=(("isrc", "GBSBX2400002"),)),
    Entry("Canal Morning", "wav", liked=True, in_set=True),
    Entry("Paper Lantern", "m4a", liked=True, in_set=True),
    Entry("Closed Window", "mp3", downloadable=False, liked=True, in_set=True),
    Entry("Salt Pier", "mp3", reposted=True),
    Entry("Copper Bridge", "flac", downloadable=False, reposted=True),
)


def seed_library(store: Store) -> None:
    """Sandbox-user's seeded library (called while the store is being seeded)."""
    ids = add_tracks(store, SEED, SEED_SIZE, first=LIBRARY_BASE)
    chosen = [tid for tid, e in zip(ids, SEED, strict=True) if e.in_set]
    created = seed.api_time(seed.EPOCH + timedelta(days=400))
    data = {
        "user_id": seed.SANDBOX_USER_ID,
        "title": "Sandbox Downloads",
        "permalink": "sandbox-downloads",
        "description": "A made-up album of downloadable tracks.",
        "set_type": "album",
        "sharing": "public",
        "genre": "Ambient",
        "tag_list": "",
        "license": "cc-by",
        "release_date": "2024-06-01",
        "created_at": created,
    }
    store.db.x(
        "INSERT INTO playlists VALUES (?, ?, ?, ?)",
        LIBRARY_SET,
        seed.SANDBOX_USER_ID,
        json.dumps(data),
        json.dumps(chosen),
    )


def add_tracks(store: Store, entries: tuple[Entry, ...], size: int, first: int | None) -> list[int]:
    """Tracks with real files, liked or reposted by sandbox-user as each entry says; their
    ids (from `first`, else the next free ones)."""
    files: dict[str, str] = {}
    ids = []
    for n, e in enumerate(entries):
        path = files.get(e.fmt) if size > SHARE_ABOVE else None
        if path is None:  # big ones share a file per format: a benchmark's sizes add up
            name = f"library-{first + n}" if first is not None else f"library-{os.urandom(6).hex()}"
            path = str(store.dir / "audio" / f"{name}.{e.fmt}")
            with open(path, "wb") as f:
                seed = n if first is not None else int.from_bytes(os.urandom(4), "big")
                f.write(audiofiles.make(e.fmt, size, seed=seed))
            files[e.fmt] = path
        ids.append(_insert(store, e, n, path, first))
    return ids


def _insert(store: Store, e: Entry, n: int, path: str, first: int | None) -> int:
    created = seed.EPOCH + timedelta(days=300 + n % 300, hours=n // 300)
    data = {
        "user_id": OWNERS[n % len(OWNERS)],
        "title": e.title,
        "description": f"A made-up {e.fmt.upper()} recording.",
        "genre": "Ambient",
        "tag_list": "library",
        "duration": 1000,
        "license": "cc-by",
        "created_at": seed.api_time(created),
        "sharing": "public",
        "streamable": True,
        "downloadable": e.downloadable,
        "commentable": True,
        "access": "playable",
        "isrc": "",
        "original_format": e.fmt,
        **dict(e.extra),
    }
    cols = "user_id, data, file, ready_at, created"
    args = (data["user_id"], json.dumps(data), path, 0.0, 0.0)
    if first is None:
        tid = store.db.x(f"INSERT INTO tracks ({cols}) VALUES (?,?,?,?,?)", *args)
    else:
        tid = first + n
        store.db.x(f"INSERT INTO tracks (id, {cols}) VALUES (?,?,?,?,?,?)", tid, *args)
    (store.dir / "audio" / f"{tid}.artwork").write_bytes(audiofiles.JPEG)
    store.update_track(tid, {"artwork_url": f"/cdn/{tid}/artwork"})
    at = created.timestamp()
    for table, on in (("likes", e.liked), ("reposts", e.reposted)):
        if on:
            store.db.x(
                f"INSERT OR IGNORE INTO {table} VALUES (?, 'track', ?, ?)",
                seed.SANDBOX_USER_ID,
                tid,
                at,
            )
    return tid
