"""release.lock.json: a cache of identities (URNs) and file hashes, never the only truth.

Written after every successful write, atomically, so a push killed at any moment leaves it
consistent. Deleting it loses nothing: push finds the set and tracks again by title, type,
ISRC and duration.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sccli.core.errors import UsageError
from sccli.core.fsutil import NotReadable, atomic_write, read_small
from sccli.core.jsontext import loads as json_loads
from sccli.core.release.audio import file_sha256

STATE_NAME = "release.lock.json"
SET = "(set)"  # the set's key among `sending`
VERSION = 1


@dataclass
class TrackRecord:
    urn: str
    sha256: str | None = None
    size: int | None = None
    mtime_ns: int | None = None
    artwork_sha256: str | None = None
    replaces: str | None = None  # the old track a --replace-audio upload has yet to delete
    pushed: dict[str, Any] | None = None  # the fields as sc last pushed them (three-way drift)


@dataclass
class ReleaseState:
    path: Path
    set_urn: str | None = None
    set_artwork_sha256: str | None = None
    tracks: dict[str, TrackRecord] = field(default_factory=dict)  # key: the manifest's `file`
    set_pushed: dict[str, Any] | None = None  # the set's fields as sc last pushed them
    publish_at: str | None = None  # the [release] publish_at the last push was made for
    # Creating writes sent and not yet answered (a track's `file`, or SET), by when: a push
    # killed meanwhile leaves them, and the next looks again before it repeats one.
    sending: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> ReleaseState:
        """The state at `path`; a missing or unreadable file is an empty state (it is a cache)."""
        try:
            data = json_loads(read_small(path).decode("utf-8"))
            tracks = {
                str(k): TrackRecord(**{n: v for n, v in r.items() if n in _RECORD_FIELDS})
                for k, r in (data.get("tracks") or {}).items()
                if isinstance(r, dict) and r.get("urn")
            }
            return cls(
                path,
                data.get("set_urn"),
                data.get("set_artwork_sha256"),
                tracks,
                _object_or_none(data.get("set_pushed")),
                data.get("publish_at") if isinstance(data.get("publish_at"), str) else None,
                {
                    str(k): float(v)
                    for k, v in (data.get("sending") or {}).items()
                    if isinstance(v, (int, float)) and not isinstance(v, bool)
                },
            )
        except NotReadable as e:  # a device or FIFO: never read, nor written over
            raise UsageError(
                f"cannot use {path} as the release state: {e.strerror}",
                hint="give a regular file (or none: release.lock.json beside the manifest)",
            ) from None
        except (OSError, ValueError, TypeError, AttributeError):
            return cls(path)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "set_urn": self.set_urn,
            "set_artwork_sha256": self.set_artwork_sha256,
            "tracks": {k: asdict(r) for k, r in sorted(self.tracks.items())},
            "set_pushed": self.set_pushed,
            "publish_at": self.publish_at,
            "sending": dict(sorted(self.sending.items())),
        }

    def save(self) -> None:
        with self._lock:
            text = json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"
            atomic_write(self.path, text.encode(), mode=0o644)

    def update_track(self, key: str, **values: Any) -> None:
        """Change one track's record (creating it; `urn` is then needed) and save it at once."""
        with self._lock:
            rec = self.tracks.get(key)
            before = asdict(rec) if rec else None
            if rec is None:
                rec = self.tracks[key] = TrackRecord(urn=values.pop("urn"))
            for name, value in values.items():
                setattr(rec, name, value)
            landed = self.sending.pop(key, None) is not None  # its write is answered
            changed = landed or asdict(rec) != before
        if changed:
            self.save()

    def update_set(self, **values: Any) -> None:
        with self._lock:
            changed = any(getattr(self, k) != v for k, v in values.items())
            for name, value in values.items():
                setattr(self, name, value)
            if values.get("set_urn") and self.sending.pop(SET, None) is not None:
                changed = True
        if changed:
            self.save()

    def begin(self, key: str) -> None:
        """A creating write for `key` (a track's `file`, or SET) is about to go out."""
        with self._lock:
            self.sending[key] = time.time()
        self.save()

    def in_flight(self, max_age: float = 3600) -> set[str]:
        """What an earlier push sent and never heard back about (within `max_age` s)."""
        now = time.time()
        return {k for k, at in self.sending.items() if now - at < max_age}

    def file_hash(self, key: str, path: Path) -> tuple[str, int, int]:
        """(sha256, size, mtime_ns), reusing the recorded hash when size and mtime still match."""
        st = os.stat(path)
        rec = self.tracks.get(key)
        if rec and rec.sha256 and rec.size == st.st_size and rec.mtime_ns == st.st_mtime_ns:
            return rec.sha256, st.st_size, st.st_mtime_ns
        return file_sha256(path), st.st_size, st.st_mtime_ns


_RECORD_FIELDS = set(TrackRecord.__dataclass_fields__)


def _object_or_none(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None
