"""Downloading a track's original file.

The track's `download_url` is on the API host, so it needs the Authorization header; it then
redirects to the CDN (API-NOTES.md: the same two hops as stream URLs). The body is streamed
to `<name>.part` and renamed into place only when whole. A connection cut part-way is picked
up with a Range request when the server says it takes them (Accept-Ranges: bytes, answered
206), and a `.part` left by an earlier run is resumed the same way. File names from the
server's Content-Disposition are made safe: no directories, no control characters, no
leading dots.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sccli.core.errors import NetworkError, NotFound, UsageError

if TYPE_CHECKING:
    import requests

    from sccli.core.client import Client

CHUNK = 256 * 1024
RESUMES = 5  # how many cuts one file may survive in one run
MAX_NAME_BYTES = 255
# What a CDN calls the formats SoundCloud accepts, and the extension each gets.
EXTENSIONS = {
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/wave": ".wav",
    "audio/vnd.wave": ".wav",
    "audio/mpeg": ".mp3",
    "audio/mp3": ".mp3",
    "audio/flac": ".flac",
    "audio/x-flac": ".flac",
    "audio/ogg": ".ogg",
    "application/ogg": ".ogg",
    "audio/aiff": ".aiff",
    "audio/x-aiff": ".aiff",
    "audio/mp4": ".m4a",
    "audio/x-m4a": ".m4a",
    "audio/aac": ".aac",
    "audio/amr": ".amr",
    "audio/x-ms-wma": ".wma",
}
Progress = Callable[[int, int], None]


class NotDownloadable(NotFound):
    """The track has no download_url: its owner has not allowed downloads (exit 3)."""


def safe_filename(name: str, *, basename: bool = True) -> str:
    """A name that stays in its folder: the last path component (`basename`) or separators
    replaced, without control or format characters, leading dots or spaces, at most 255 bytes."""
    name = name.replace("\\", "/")
    name = name.rsplit("/", 1)[-1] if basename else name.replace("/", "-")
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = name.strip().lstrip(". ").rstrip()
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 8:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem + suffix if stem else ""


# RFC 6266: filename*=charset'lang'percent-encoded wins over a plain filename=.
_FILENAME_EXT = re.compile(r"filename\*\s*=\s*([\w!#$%&+^`{}~-]+)'[^']*'([^;\s]+)", re.I)
_FILENAME = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))', re.I)


def disposition_name(header: str | None) -> str | None:
    """The file name a Content-Disposition header gives, as given (not yet made safe)."""
    if not header:
        return None
    m = _FILENAME_EXT.search(header)
    if m:
        try:
            return unquote(m.group(2), encoding=m.group(1), errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass  # an unknown charset or bad bytes: the plain filename may still do
    m = _FILENAME.search(header)
    if not m:
        return None
    return re.sub(r"\\(.)", r"\1", m.group(1)) if m.group(1) is not None else m.group(2)


def file_name(track: dict[str, Any], headers: Mapping[str, str]) -> str:
    """The server's name for the file if it gives a usable one, else the track's title with
    the extension its Content-Type (or original_format) implies."""
    given = disposition_name(headers.get("Content-Disposition"))
    name = safe_filename(given) if given else ""
    if name:
        return name
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    fmt = re.sub(r"[^a-z0-9]", "", str(track.get("original_format") or "").lower())
    ext = EXTENSIONS.get(ctype) or (f".{fmt}" if fmt else "")
    stem = safe_filename(str(track.get("title") or ""), basename=False)
    return safe_filename((stem or f"track-{track.get('id', 'unknown')}") + ext)


@dataclass
class Target:
    """Where downloads go: one file, or a folder named files go into."""

    path: Path
    is_dir: bool
    force: bool = False
    skip_complete: bool = False  # --all-mine: a file already there at full size is done
    taken: set[str] = field(default_factory=set)  # names given out in this run

    @classmethod
    def of(cls, text: str | None, *, several: bool, force: bool = False) -> Target:
        """-o as typed: a folder when it is one, ends with a slash, or several tracks are
        coming; else the file to write."""
        if not text:
            return cls(Path("."), True, force)
        output = Path(text).expanduser()
        is_dir = output.is_dir() or text.endswith(("/", os.sep)) or several
        if is_dir and output.exists() and not output.is_dir():
            raise UsageError(f"-o {text} is a file, but several tracks need a folder")
        if not is_dir and output.exists() and not output.is_file():
            raise UsageError(f"{output} is neither a file nor a folder")
        return cls(output, is_dir, force)

    def place(self, name: str, track: dict[str, Any]) -> Path:
        if name in self.taken:  # two tracks with one name: keep both
            stem, dot, ext = name.rpartition(".")
            name = f"{stem}-{track.get('id')}{dot}{ext}" if dot else f"{name}-{track.get('id')}"
        self.taken.add(name)
        return self.path / name

    def refuse_existing(self, dest: Path) -> None:
        if dest.exists() and not self.force:
            raise UsageError(f"{dest} already exists", hint="--force overwrites it")


def part_of(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.I)


class Download:
    """One original being fetched. Opening it asks the server, which names the file; then
    `save` streams it to `.part`, resuming after cuts, and renames it into place.

        with Download(client, track, target) as d:
            if not d.complete:
                d.save(progress)
    """

    def __init__(self, client: Client, track: dict[str, Any], target: Target):
        self.client = client
        self.track = track
        self.target = target
        self.urn = str(track.get("urn") or track.get("id"))
        url = track.get("download_url")
        if not url:
            raise NotDownloadable(
                f"{self.urn} is not downloadable",
                hint="its owner has not allowed downloads of the original",
            )
        self.url: str = url
        self.resp: requests.Response | None = None
        self.dest = target.path
        self.complete = False  # already there at full size: nothing to do
        self.have = 0  # bytes on disk that the current response continues from
        self.resumed = 0  # Range requests made after a cut

    def __enter__(self) -> Download:
        try:
            self._open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.resp is not None:
            self.resp.close()
            self.resp = None

    def _open(self) -> None:
        t = self.target
        if not t.is_dir:
            t.refuse_existing(self.dest)  # known before a byte is asked for
            self.dest.parent.mkdir(parents=True, exist_ok=True)
            self._get(_size(part_of(self.dest)))
            return
        t.path.mkdir(parents=True, exist_ok=True)
        self._get(0)
        assert self.resp is not None
        self.dest = t.place(file_name(self.track, self.resp.headers), self.track)
        if t.skip_complete and self.dest.is_file() and _size(self.dest) == self.total:
            self.complete = True
            return
        t.refuse_existing(self.dest)
        have = _size(part_of(self.dest))
        if have and self.resumable and (self.total is None or have < self.total):
            self._get(have)  # an earlier run's .part: ask only for the rest

    def _get(self, offset: int) -> None:
        """GET the download URL from `offset` (a Range request when > 0)."""
        self.close()
        headers = {"Accept-Encoding": "identity"}  # the bytes as stored, countable
        if offset:
            headers["Range"] = f"bytes={offset}-"
        resp = self.client.request("GET", self.url, headers=headers, stream=True, ok=(416,))
        self.resp = resp
        m = _CONTENT_RANGE.match(resp.headers.get("Content-Range", ""))
        start = int(m.group(1)) if resp.status_code == 206 and m else 0
        if offset and (resp.status_code == 416 or start != offset and resp.status_code == 206):
            self._get(0)  # the server will not continue where the .part ends: start over
            return
        if resp.status_code == 416:
            raise NetworkError(f"the server refused to send {self.urn} (416)")
        self.have = start

    @property
    def total(self) -> int | None:
        """The whole file's size, when the server says."""
        if self.resp is None:
            return None
        m = _CONTENT_RANGE.match(self.resp.headers.get("Content-Range", ""))
        if self.resp.status_code == 206 and m and m.group(3) != "*":
            return int(m.group(3))
        length = self.resp.headers.get("Content-Length", "")
        return self.have + int(length) if length.isdigit() else None

    @property
    def resumable(self) -> bool:
        r = self.resp
        return r is not None and (
            r.status_code == 206 or r.headers.get("Accept-Ranges", "").lower() == "bytes"
        )

    def save(
        self, progress: Progress | None = None, *, finish: Callable[[Path], None] | None = None
    ) -> int:
        """Stream the rest to `.part`, resume after cuts, rename into place; the size.
        `finish` gets the complete `.part` before the rename (sync tags it there, so a file
        under its final name is always whole and tagged)."""
        part = part_of(self.dest)
        for attempt in range(RESUMES + 1):
            total = self.total
            try:
                self._receive(part, total, progress)
                if total is None or self.have >= total:
                    break
            except _Cut:
                pass
            if attempt == RESUMES:
                raise NetworkError(
                    f"the download of {self.urn} was cut off {attempt + 1} times",
                    hint=f"run the command again: it resumes from {part}",
                )
            self.resumed += 1
            self._get(self.have if self.resumable else 0)
        self.close()
        if finish is not None:
            finish(part)
        os.replace(part, self.dest)
        return self.have

    def _receive(self, part: Path, total: int | None, progress: Progress | None) -> None:
        assert self.resp is not None
        with open(part, "ab" if self.have else "wb") as f:
            f.truncate(self.have)  # anything past what the server continues from goes
            for chunk in self._chunks():
                f.write(chunk)
                self.have += len(chunk)
                if progress:
                    progress(self.have, total or self.have)

    def _chunks(self) -> Iterator[bytes]:
        """The body as it arrives. read1 hands over what has come; one big read would throw
        away what came before a cut along with the error."""
        import urllib3

        assert self.resp is not None
        raw = self.resp.raw
        while True:
            try:
                data = raw.read1(CHUNK, decode_content=True)
            except (urllib3.exceptions.HTTPError, OSError) as e:
                raise _Cut() from e
            if not data:
                return
            yield data


class _Cut(Exception):
    """The connection ended before the body did."""
