"""release.toml: read it, check everything before any request, and report every problem at once."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sccli.core.errors import UsageError
from sccli.core.fsutil import MANIFEST_MAX, NotReadable, read_small, size_text
from sccli.core.values import LICENSES, RELEASE_TYPES, SHARING_VALUES

MANIFEST_NAME = "release.toml"
_ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$")

# Track fields a [release] value is the default of; description and sharing stay the set's own.
INHERITED = (
    "genre",
    "tags",
    "license",
    "release_date",
    "artwork",
    "label_name",
    "purchase_url",
    "downloadable",
    "commentable",
    "reveal_stats",
    "reveal_comments",
)
_COMMON = {
    "description": str,
    "genre": str,
    "tags": list,
    "license": str,
    "release_date": str,
    "artwork": Path,
    "label_name": str,
    "purchase_url": str,
    "downloadable": bool,
    "commentable": bool,
    "reveal_stats": bool,  # false: quiet mode, play and like counts hidden
    "reveal_comments": bool,  # false: comments hidden
}
RELEASE_KEYS: dict[str, type] = {
    "title": str,
    "type": str,
    "sharing": str,
    "publish_at": datetime,
    **_COMMON,
}
TRACK_KEYS: dict[str, type] = {"file": Path, "title": str, "isrc": str, **_COMMON}


class ManifestError(UsageError):
    """Every problem in a manifest, each with its key; exit 2 before any request."""

    def __init__(self, path: Path, problems: list[str]):
        lines = "\n".join(f"  {p}" for p in problems)
        n = len(problems)
        super().__init__(f"{path} has {n} problem{'s' if n > 1 else ''}:\n{lines}")
        self.problems = problems


@dataclass
class TrackSpec:
    index: int  # 1-based, as people count tracks and as errors name them: track[1]
    rel: str  # the file as the manifest names it (the state file's key)
    file: Path
    title: str
    isrc: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # the API's track fields, None: unmanaged
    artwork: Path | None = None

    @property
    def key(self) -> str:
        return f"track[{self.index}]"


@dataclass
class ReleaseSpec:
    title: str
    set_type: str = "album"
    sharing: str = "private"
    fields: dict[str, Any] = field(default_factory=dict)  # the set's API fields but sharing
    artwork: Path | None = None
    publish_at: datetime | None = None  # `sc release publish` makes it public from then on


@dataclass
class Manifest:
    path: Path
    release: ReleaseSpec
    tracks: list[TrackSpec]

    @property
    def folder(self) -> Path:
        return self.path.parent


def load_manifest(path: Path) -> Manifest:
    """Parse and check; raise ManifestError with every problem found (files, dates, licenses...)."""
    try:
        return _load(path)
    except RecursionError:  # a value nested thousands deep: TOML allows it, Python cannot
        raise ManifestError(path, [f"{_deep_key(path)}: nested too deeply to read"]) from None


def _deep_key(path: Path) -> str:
    """The key whose value is nested too deeply, found in the text (the parser gave up
    before it could say): the first `key = ` line with hundreds of brackets."""
    table, tracks = "", 0
    try:
        lines = read_small(path, MANIFEST_MAX).decode("utf-8", "replace").splitlines()
    except OSError:
        return "manifest"
    for line in lines:
        head = line.strip()
        if head.startswith("[[") and head.rstrip().endswith("]]") and "=" not in head:
            tracks += head.strip("[] ") == "track"
            table = f"track[{tracks}]" if head.strip("[] ") == "track" else head.strip("[] ")
        elif head.startswith("[") and "=" not in head.split("]", 1)[0]:
            table = head.strip("[] ")
        elif "=" in head and head.count("[") + head.count("{") > 100:
            key = head.split("=", 1)[0].strip().strip('"')
            return f"{table}.{key}" if table else key
    return "manifest"


def _load(path: Path) -> Manifest:
    data = _read_toml(path)
    problems: list[str] = []
    checker = _Checker(path.parent, problems)
    for key in sorted(set(data) - {"release", "track"}):
        problems.append(f"{key}: unknown key (expected [release] and [[track]])")
    release = checker.release(data.get("release"))
    raw_tracks = data.get("track")
    if not isinstance(raw_tracks, list) or not raw_tracks:
        problems.append("track: no [[track]] tables: a release needs at least one track")
        raw_tracks = []
    tracks = [checker.track(i, raw, release) for i, raw in enumerate(raw_tracks, 1)]
    checker.duplicates([t for t in tracks if t is not None])
    if problems or release is None:
        raise ManifestError(path, problems)
    return Manifest(path, release, [t for t in tracks if t is not None])


MANIFEST_HINT = f"a manifest is a regular TOML file of at most {size_text(MANIFEST_MAX)}"


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(read_small(path, MANIFEST_MAX).decode("utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no such manifest: {path}", hint="`sc release init` writes one") from None
    except NotReadable as e:  # a device, a FIFO, a 2 GB file: never read whole
        raise UsageError(f"cannot read {path}: {e.strerror}", hint=MANIFEST_HINT) from None
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise ManifestError(path, [f"not UTF-8 text (byte {e.start})"]) from None
    except tomllib.TOMLDecodeError as e:
        raise ManifestError(path, [f"not valid TOML: {e}"]) from None


class _Checker:
    """Turns raw TOML tables into specs, appending a keyed message for each problem."""

    def __init__(self, folder: Path, problems: list[str]):
        self.folder = folder
        self.problems = problems

    def bad(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def release(self, raw: Any) -> ReleaseSpec | None:
        if not isinstance(raw, dict):
            self.bad("release", "missing [release] table")
            return None
        values = self.values("release", raw, RELEASE_KEYS)
        title = values.pop("title", None)
        if not title:
            self.bad("release.title", "missing: the set's title is required")
        set_type = values.pop("type", None) or "album"
        if set_type not in RELEASE_TYPES:
            self.bad("release.type", f"{_show(set_type)} is not one of {', '.join(RELEASE_TYPES)}")
        sharing = values.pop("sharing", None) or "private"
        if sharing not in SHARING_VALUES:
            self.bad("release.sharing", f"{_show(sharing)} is not public or private")
        artwork = values.pop("artwork", None)
        publish_at = values.pop("publish_at", None)
        if publish_at is not None and sharing != "private":
            self.bad("release.publish_at", 'needs sharing = "private" until it is due')
        return ReleaseSpec(title or "", set_type, sharing, values, artwork, publish_at)

    def track(self, index: int, raw: Any, release: ReleaseSpec | None) -> TrackSpec | None:
        key = f"track[{index}]"
        if not isinstance(raw, dict):
            self.bad(key, "must be a table")
            return None
        values = self.values(key, raw, TRACK_KEYS)
        file = values.pop("file", None)
        if file is None:
            if "file" not in raw:
                self.bad(f"{key}.file", "missing: each track needs its audio file")
            return None
        if release is not None:
            for name in INHERITED:
                if name not in values and name in release.fields:
                    values[name] = release.fields[name]
            if "artwork" not in values and release.artwork is not None:
                values["artwork"] = release.artwork
        from sccli.core.titles import name_guess

        title = values.pop("title", None) or name_guess(file)[1]
        isrc = values.pop("isrc", None)
        artwork = values.pop("artwork", None)
        return TrackSpec(index, str(raw["file"]), file, title, isrc, values, artwork)

    def values(self, where: str, raw: dict[str, Any], known: dict[str, type]) -> dict[str, Any]:
        """Each known key checked and converted to what the API takes; unknown keys reported."""
        out: dict[str, Any] = {}
        for name, value in raw.items():
            key = f"{where}.{name}"
            if name not in known:
                self.bad(key, f"unknown key (known: {', '.join(known)})")
                continue
            converted = self.convert(key, name, value, known[name])
            if converted is not None:
                out[name] = converted
        return out

    def convert(self, key: str, name: str, value: Any, kind: type) -> Any:
        if name == "release_date":
            return self.release_date(key, value)
        if name == "publish_at":
            return self.publish_at(key, value)
        if kind is list:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.bad(key, "must be a list of strings")
                return None
            return value
        if kind is Path:
            return self.path(key, name, value)
        if not isinstance(value, kind):
            self.bad(key, f"must be {'true or false' if kind is bool else 'a string'}")
            return None
        if name == "license" and value not in LICENSES:
            self.bad(key, f"{_show(value)} is not a license; valid: {', '.join(LICENSES)}")
            return None
        if name == "isrc":
            return self.isrc(key, str(value))
        return value

    def release_date(self, key: str, value: Any) -> str | None:
        """A TOML date or a YYYY-MM-DD string, year 1000 or later: the rule of
        `tracks update --release-date` (strftime writes year 999 as "999", which no API reads)."""
        from sccli.core.timefmt import EARLIEST_YEAR

        day: date | None = value if isinstance(value, date) else None
        try:
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                day = date.fromisoformat(value.strip())
        except ValueError:
            pass
        if day is None:
            self.bad(key, f"{_show(value)} is not a date: use YYYY-MM-DD")
        elif day.year < EARLIEST_YEAR:
            self.bad(key, f"{_show(value)}: the year must be {EARLIEST_YEAR} or later")
        else:
            return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
        return None

    def publish_at(self, key: str, value: Any) -> datetime | None:
        """An RFC 3339 time with its offset (TOML's offset date-time, or the same as a string):
        a time without an offset would mean a different hour on every runner."""
        when = value
        if isinstance(value, str):
            try:
                when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                when = None
        if isinstance(when, datetime) and when.tzinfo is not None:
            if when.year >= 1000:
                return when
            self.bad(key, f"{when.isoformat()} is before the year 1000")
            return None
        shown = value.isoformat() if isinstance(value, (date, datetime)) else repr(value)
        self.bad(key, f"{shown} is not a time with its offset: use 2026-12-24T09:00:00+01:00")
        return None

    def isrc(self, key: str, value: str) -> str | None:
        code = value.replace("-", "").strip().upper()
        if not _ISRC.match(code):
            self.bad(key, f"{_show(value)} is not an ISRC (like GBXXX2600001)")
            return None
        return code

    def path(self, key: str, name: str, value: Any) -> Path | None:
        from sccli.core.upload import check_artwork, check_audio

        if not isinstance(value, str) or not value:
            self.bad(key, "must be a file name (relative to the manifest)")
            return None
        if not _inside(self.folder, value):
            self.bad(key, f"{_show(value)} is outside the manifest's folder")
            return None
        path = self.folder / value
        try:
            (check_audio if name == "file" else check_artwork)(path)
        except UsageError as e:
            self.bad(key, e.message)
            return None
        return path

    def duplicates(self, tracks: list[TrackSpec]) -> None:
        """Files, titles and ISRCs name tracks: two tracks of a release cannot share one. A
        file is the file itself, however it is spelled (`a.wav`, `./a.wav`, `sub/../a.wav`,
        its absolute path, a link to it)."""
        for name in ("file", "title", "isrc"):
            seen: dict[str, int] = {}
            for t in tracks:
                norm = _identity(t, name)
                if norm is None:
                    continue
                if norm in seen:
                    self.bad(f"{t.key}.{name}", f"same {name} as track[{seen[norm]}]")
                else:
                    seen[norm] = t.index


def _identity(t: TrackSpec, name: str) -> str | None:
    if name == "file":
        return os.path.realpath(t.file)
    value: str | None = getattr(t, name)
    return value.casefold() if name == "title" and value is not None else value


def _inside(folder: Path, value: str) -> bool:
    """Whether a manifest's path stays in its folder (spelled any way: `sub/../a.wav` and an
    absolute path inside are fine). A release is its folder: a manifest cannot reach for
    `../x.wav` or `/home/...` elsewhere. Links inside the folder are followed, deliberately."""
    base = os.path.realpath(folder)
    target = os.path.normpath(os.path.join(base, value))
    return target == base or target.startswith(base.rstrip(os.sep) + os.sep)


def _show(value: Any) -> str:
    """A value in a message: its repr, cut short (a value nested thousands deep has none)."""
    try:
        text = repr(value)
    except RecursionError:
        return "(a value nested too deeply)"
    return text if len(text) <= 80 else text[:79] + "…"
