"""Tags and artwork written into a downloaded file, with mutagen: ID3v2.4 for MP3, WAV and
AIFF, Vorbis comments and a picture for FLAC and OGG/Opus, MP4 atoms for M4A.

What goes in: title, artist (`metadata_artist`, else the uploader's username), album (the
set's title, when the track came from a set), track number (its place in the set), date
(`release_date`, else `created_at`), genre, the description as a comment, the SoundCloud URL
and URN, the ISRC, and the artwork. A file is tagged once: each field replaces what the
file had under that name, so tagging again changes nothing.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sccli.core.client import Client

URN_KEY = "SOUNDCLOUD_URN"
URL_KEY = "SOUNDCLOUD_URL"
MAX_ARTWORK = 20 * 1024 * 1024
_DATE = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})")


class Untaggable(Exception):
    """mutagen cannot tag this file (its format has no tags, or it does not parse)."""


@dataclass
class Tags:
    title: str = ""
    artist: str = ""
    album: str = ""
    track_number: int | None = None
    track_total: int | None = None
    date: str = ""
    genre: str = ""
    comment: str = ""
    url: str = ""
    urn: str = ""
    isrc: str = ""
    artwork_url: str | None = None  # where the artwork is, until it is fetched
    artwork: bytes | None = None

    @property
    def artwork_mime(self) -> str:
        return "image/png" if (self.artwork or b"").startswith(b"\x89PNG") else "image/jpeg"

    def text(self) -> dict[str, str]:
        """The text fields that have a value, by their Vorbis names."""
        pairs = {
            "TITLE": self.title,
            "ARTIST": self.artist,
            "ALBUM": self.album,
            "DATE": self.date,
            "GENRE": self.genre,
            "COMMENT": self.comment,
            "ISRC": self.isrc,
            URL_KEY: self.url,
            URN_KEY: self.urn,
        }
        if self.track_number:
            pairs["TRACKNUMBER"] = str(self.track_number)
        return {k: v for k, v in pairs.items() if v}


def tags_for(
    track: dict[str, Any],
    playlist: dict[str, Any] | None = None,
    number: int | None = None,
    total: int | None = None,
) -> Tags:
    """The tags of a track (from a set, when `playlist` is given: album and track number)."""
    user = track.get("user") if isinstance(track.get("user"), dict) else {}
    return Tags(
        title=str(track.get("title") or ""),
        artist=str(track.get("metadata_artist") or (user or {}).get("username") or ""),
        album=str((playlist or {}).get("title") or ""),
        track_number=number if playlist else None,
        track_total=total if playlist else None,
        date=_date(track.get("release_date")) or _date(track.get("created_at")),
        genre=str(track.get("genre") or ""),
        comment=str(track.get("description") or ""),
        url=str(track.get("permalink_url") or ""),
        urn=str(track.get("urn") or ""),
        isrc=str(track.get("isrc") or ""),
        artwork_url=artwork_url(track),
    )


def _date(value: Any) -> str:
    m = _DATE.match(str(value or ""))
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def artwork_url(track: dict[str, Any]) -> str | None:
    """The largest artwork the API offers: `-large` (100x100) becomes `-t500x500`."""
    url = track.get("artwork_url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    return re.sub(r"-large(\.\w+)(\?|$)", r"-t500x500\1\2", url)


def fetch_artwork(client: Client, track: dict[str, Any]) -> bytes | None:
    """The track's artwork (a CDN URL: no token goes along), or None if it has none."""
    url = track.get("artwork_url")
    if not isinstance(url, str) or not url:
        return None
    resp = client.request("GET", url, authenticated=False, headers={"Accept": "image/*"})
    data = resp.content
    if not data or len(data) > MAX_ARTWORK or not data.startswith((b"\xff\xd8", b"\x89PNG")):
        return None  # not an image we can embed
    return data


def write_tags(path: Path, tags: Tags, ext: str) -> None:
    """Tag the file at `path`, whose format its final extension `ext` names (the file itself
    may be a `.part`); Untaggable when mutagen cannot."""
    import mutagen

    writer = WRITERS.get(ext.lower().lstrip("."))
    if writer is None:
        raise Untaggable(f"{ext or 'this format'} files cannot carry tags")
    try:
        writer(path, tags)
    except (mutagen.MutagenError, ValueError, KeyError, IndexError) as e:
        raise Untaggable(f"mutagen cannot tag it ({e})") from e


def _id3_file(path: Path, tags: Tags, cls: Any) -> None:
    import importlib

    id3: Any = importlib.import_module("mutagen.id3")
    f = cls(path)
    if f.tags is None:
        f.add_tags()
    t = f.tags
    for frame, value in (
        (id3.TIT2, tags.title),
        (id3.TPE1, tags.artist),
        (id3.TALB, tags.album),
        (id3.TDRC, tags.date),
        (id3.TCON, tags.genre),
        (id3.TSRC, tags.isrc),
    ):
        if value:
            t.setall(frame.__name__, [frame(encoding=3, text=[value])])
    if tags.track_number:
        number = f"{tags.track_number}/{tags.track_total}" if tags.track_total else ""
        t.setall("TRCK", [id3.TRCK(encoding=3, text=[number or str(tags.track_number)])])
    if tags.comment:
        t.setall("COMM", [id3.COMM(encoding=3, lang="eng", desc="", text=[tags.comment])])
    if tags.url:
        t.setall("WOAS", [id3.WOAS(url=tags.url)])
    for key, value in ((URN_KEY, tags.urn), (URL_KEY, tags.url)):
        if value:
            t.setall(f"TXXX:{key}", [id3.TXXX(encoding=3, desc=key, text=[value])])
    if tags.artwork:
        t.setall(
            "APIC",
            [id3.APIC(encoding=3, mime=tags.artwork_mime, type=3, desc="", data=tags.artwork)],
        )
    f.save(v2_version=4)


def _mg(module: str, name: str) -> Any:
    """A mutagen class; mutagen has no type hints, so it is Any to mypy."""
    import importlib

    return getattr(importlib.import_module(f"mutagen.{module}"), name)


def _mp3(path: Path, tags: Tags) -> None:
    _id3_file(path, tags, _mg("mp3", "MP3"))


def _wave(path: Path, tags: Tags) -> None:
    _id3_file(path, tags, _mg("wave", "WAVE"))


def _aiff(path: Path, tags: Tags) -> None:
    _id3_file(path, tags, _mg("aiff", "AIFF"))


def _picture(tags: Tags) -> Any:
    pic = _mg("flac", "Picture")()
    pic.type = 3  # front cover
    pic.mime = tags.artwork_mime
    pic.data = tags.artwork or b""
    return pic


def _vorbis(f: Any, tags: Tags) -> None:
    if f.tags is None:
        f.add_tags()
    for key, value in tags.text().items():
        f.tags[key] = [value]


def _flac(path: Path, tags: Tags) -> None:
    f = _mg("flac", "FLAC")(path)
    _vorbis(f, tags)
    if tags.artwork:
        f.clear_pictures()
        f.add_picture(_picture(tags))
    f.save()


def _ogg(path: Path, tags: Tags) -> None:
    import mutagen

    options = [_mg("oggvorbis", "OggVorbis"), _mg("oggopus", "OggOpus")]
    f = mutagen.File(path, options=options)
    if f is None:
        raise Untaggable("neither Ogg Vorbis nor Opus")
    _vorbis(f, tags)
    if tags.artwork:
        block = base64.b64encode(_picture(tags).write()).decode("ascii")
        f.tags["METADATA_BLOCK_PICTURE"] = [block]
    f.save()


def _mp4(path: Path, tags: Tags) -> None:
    f = _mg("mp4", "MP4")(path)
    cover, freeform = _mg("mp4", "MP4Cover"), _mg("mp4", "MP4FreeForm")
    if f.tags is None:
        f.add_tags()
    t = f.tags
    for atom, value in (
        ("\xa9nam", tags.title),
        ("\xa9ART", tags.artist),
        ("\xa9alb", tags.album),
        ("\xa9day", tags.date),
        ("\xa9gen", tags.genre),
        ("\xa9cmt", tags.comment),
    ):
        if value:
            t[atom] = [value]
    if tags.track_number:
        t["trkn"] = [(tags.track_number, tags.track_total or 0)]
    for key, value in (("ISRC", tags.isrc), (URN_KEY, tags.urn), (URL_KEY, tags.url)):
        if value:
            t[f"----:com.apple.iTunes:{key}"] = [freeform(value.encode("utf-8"))]
    if tags.artwork:
        kind = cover.FORMAT_PNG if tags.artwork_mime == "image/png" else cover.FORMAT_JPEG
        t["covr"] = [cover(tags.artwork, imageformat=kind)]
    f.save()


WRITERS: dict[str, Callable[[Path, Tags], None]] = {
    "mp3": _mp3,
    "wav": _wave,
    "wave": _wave,
    "aif": _aiff,
    "aiff": _aiff,
    "flac": _flac,
    "ogg": _ogg,
    "oga": _ogg,
    "opus": _ogg,
    "m4a": _mp4,
    "mp4": _mp4,
}


def read_urn(path: Path) -> str | None:
    """The SoundCloud URN sync wrote into a file, if any (to know a file as its own)."""
    import mutagen

    try:
        f = mutagen.File(path)
    except Exception:  # mutagen raises many kinds of error on odd files
        return None
    tags = getattr(f, "tags", None)
    if not tags:
        return None
    for key in (f"TXXX:{URN_KEY}", URN_KEY, URN_KEY.lower(), f"----:com.apple.iTunes:{URN_KEY}"):
        try:
            value = tags.get(key) if hasattr(tags, "get") else None
        except (KeyError, ValueError):
            value = None
        if value:
            first = value.text[0] if hasattr(value, "text") else value[0]
            return bytes(first).decode() if isinstance(first, bytes) else str(first)
    return None
