"""What an audio file says about itself: duration, title, track number, ISRC, and its hash."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from sccli.core.record import record

# Tag names per container: ID3 (MP3, WAVE, AIFF), Vorbis comments (FLAC, OGG), MP4, ASF (WMA).
_TITLE = ("TIT2", "title", "\xa9nam", "Title")
_TRACK = ("TRCK", "tracknumber", "trkn", "WM/TrackNumber")
_ISRC = ("TSRC", "isrc", "----:com.apple.iTunes:ISRC", "WM/ISRC")


@record
class AudioInfo:
    duration_ms: int | None
    title: str | None = None
    track_number: int | None = None
    isrc: str | None = None


def read_audio_info(path: Path) -> AudioInfo:
    """Tags and duration read with mutagen; a file it cannot parse gives an empty AudioInfo."""
    import mutagen

    try:
        f = mutagen.File(path)
    except Exception:  # mutagen raises many kinds of error on odd files
        return AudioInfo(None)
    if f is None:
        return AudioInfo(None)
    length = getattr(getattr(f, "info", None), "length", None)
    duration = int(round(length * 1000)) if length else None
    tags = f.tags
    if not tags:
        return AudioInfo(duration)
    number = _first(tags, _TRACK)
    return AudioInfo(
        duration,
        title=_first(tags, _TITLE),
        track_number=_track_number(number),
        isrc=_first(tags, _ISRC),
    )


def _first(tags: Any, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        try:
            value = tags.get(key) if hasattr(tags, "get") else None
        except (KeyError, ValueError):
            value = None
        text = _text(value)
        if text:
            return text
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "text"):  # an ID3 frame
        value = value.text
    if isinstance(value, (list, tuple)):
        if not value:
            return None
        value = value[0]
        if isinstance(value, tuple):  # MP4 trkn: (number, total)
            value = value[0]
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).strip()
    return text or None


def _track_number(text: str | None) -> int | None:
    m = re.match(r"\s*(\d+)", text or "")
    return int(m.group(1)) if m else None


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
