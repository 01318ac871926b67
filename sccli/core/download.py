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

import contextlib
import errno
import os
import re
import stat
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote

from sccli.core.errors import NetworkError, NotFound, SccliError, UsageError
from sccli.core.interrupt import check_cancel

if TYPE_CHECKING:
    import requests

    from sccli.core.client import Client

CHUNK = 1024 * 1024  # the most one read hands over: fewer, larger reads keep pace with curl
RESUMES = 5  # how many cuts one file may survive in one run
MAX_NAME_BYTES = 255  # what Linux, macOS and Windows file systems allow in one name
PART = ".part"  # a download in progress: NAME.part, renamed to NAME when complete
NAME_BYTES = MAX_NAME_BYTES - len(PART)  # a name must fit with .part after it
OWNER_ATTR = "user.sccli.track"  # on a .part: the track it holds the start of
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
    replaced, without control or format characters, leading dots or spaces, and short enough
    that it still fits the file system with `.part` after it."""
    name = name.replace("\\", "/")
    name = name.rsplit("/", 1)[-1] if basename else name.replace("/", "-")
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = name.strip().lstrip(". ").rstrip()
    while name.lower().endswith(PART):  # a finished file never looks like a partial one
        name = name[: -len(PART)] + "-part"
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 8:
        stem, ext = name, ""
    return fit_name(stem, f".{ext}" if ext else "")


def fit_name(stem: str, suffix: str = "") -> str:
    """`stem + suffix`, the stem cut (on a character boundary) so that the name and its
    temporary `.part` fit in MAX_NAME_BYTES; "" when no stem is left."""
    room = NAME_BYTES - len(suffix.encode())
    cut = stem.encode()[: max(room, 0)].decode(errors="ignore").rstrip()
    return cut + suffix if cut else ""


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
    taken: set[str] = field(default_factory=set)  # names given out in this run (casefolded)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

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

    def place(self, name: str, track: dict[str, Any] | None = None) -> Path:
        """The path for a file named `name` in the folder. Within one run sc never overwrites
        a file it wrote itself: a name already given out becomes `name (2).ext`, `(3)`...
        (compared without case, for the file systems that ignore it)."""
        stem, dot, ext = name.rpartition(".")
        stem, suffix = (stem, dot + ext) if dot and stem else (name, "")
        with self._lock:
            candidate, n = name, 1
            while candidate.casefold() in self.taken:
                n += 1
                candidate = fit_name(stem, f" ({n}){suffix}")
            self.taken.add(candidate.casefold())
        return self.path / candidate

    def refuse_existing(self, dest: Path) -> None:
        if os.path.lexists(dest) and not self.force:  # a dangling link is there too
            raise UsageError(f"{dest} already exists", hint="--force overwrites it")


def part_of(dest: Path) -> Path:
    return dest.with_name(dest.name + PART)


def _size(path: Path) -> int:
    """The size of a regular file at `path` (not followed if it is a link); 0 if none."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return 0
    except OSError as e:
        raise DownloadError(f"cannot use {path}: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path)
    return st.st_size


_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.I)


class DownloadError(SccliError):
    """The server's answer is not the file it said it was, or the local file cannot be
    written (exit 1): nothing is renamed into place."""


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
        self.named: str | None = None  # the server's name, when another file of this run had it
        self.complete = False  # already there at full size: nothing to do
        self.have = 0  # bytes on disk that the current response continues from
        self.total: int | None = None  # the whole file's size, when the server says
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
            self._get(self._earlier_part())
            return
        t.path.mkdir(parents=True, exist_ok=True)
        self._get(0)
        assert self.resp is not None
        name = file_name(self.track, self.resp.headers)
        self.dest = t.place(name, self.track)
        self.named = name if self.dest.name != name else None
        if t.skip_complete and _is_complete(self.dest, self.total):
            self.complete = True
            return
        t.refuse_existing(self.dest)
        have = self._earlier_part()
        if have and self.resumable and (self.total is None or have < self.total):
            self._get(have)  # an earlier run's .part: ask only for the rest

    def _earlier_part(self) -> int:
        """The bytes of a `.part` an earlier run left that can be continued: none when it
        belongs to another track of the same name (its owner is noted on the file)."""
        part = part_of(self.dest)
        have = _size(part)
        return have if _owner(part) in (None, self.urn) else 0

    def _get(self, offset: int) -> None:
        """GET the download URL from `offset` (a Range request when > 0). A 206 is taken only
        for the range asked for; a server that will not continue where a .part ends is
        asked for the whole file instead."""
        self.close()
        headers = {"Accept-Encoding": "identity"}  # the bytes as stored, countable
        if offset:
            headers["Range"] = f"bytes={offset}-"
        resp = self.client.request("GET", self.url, headers=headers, stream=True, ok=(416,))
        self.resp = resp
        span = _span(resp) if resp.status_code == 206 else None
        if offset and (resp.status_code == 416 or span is not None and span[0] != offset):
            self._get(0)  # the server will not continue where the .part ends: start over
            return
        if resp.status_code == 416:
            raise NetworkError(f"the server refused to send {self.urn} (416)")
        if resp.status_code == 206 and (span is None or span[0] != offset):
            got = resp.headers.get("Content-Range") or "no Content-Range"
            asked = f"bytes {offset}-" if offset else "the whole file"
            raise DownloadError(f"the server sent part of {self.urn} ({got}) for {asked}")
        total = _declared_total(resp, span)
        if span and self.total is not None and total not in (None, self.total):
            self.total = None  # the file changed since the bytes on disk: start over
            self._get(0)
            return
        self.have = offset if span else 0
        self.total = total if total is not None or not span else self.total

    @property
    def resumable(self) -> bool:
        r = self.resp
        return r is not None and (
            r.status_code == 206 or r.headers.get("Accept-Ranges", "").lower() == "bytes"
        )

    def save(
        self, progress: Progress | None = None, *, finish: Callable[[Path], None] | None = None
    ) -> int:
        """Stream the rest to `.part`, resume after cuts, rename into place; the size. It is
        complete only at exactly the size the server declared. `finish` gets the complete
        `.part` before the rename (sync tags it there, so a file under its final name is
        always whole and tagged)."""
        part = part_of(self.dest)
        for attempt in range(RESUMES + 1):
            try:
                self._receive(part, progress)
                if self.total is None or self.have == self.total:
                    break
                if self.have > self.total:
                    _discard(part)  # past the declared end: not a prefix of the file
                    raise DownloadError(
                        f"the server sent {self.have:,} bytes of {self.urn}, more than the "
                        f"{self.total:,} it declared; nothing was kept"
                    )
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
        os.replace(part, self.dest)  # renames the file itself: a link at dest is replaced
        return self.have

    def _receive(self, part: Path, progress: Progress | None) -> None:
        assert self.resp is not None
        with _open_part(part, self.have, self.urn) as f:
            for chunk in self._chunks():
                check_cancel()
                try:
                    f.write(chunk)
                except OSError as e:  # a full disk: name the file, as other write errors do
                    e.filename = e.filename or str(part)
                    raise
                self.have += len(chunk)
                if progress:
                    progress(self.have, self.total or self.have)
                if self.total is not None and self.have > self.total:
                    return  # already too long: stop reading a body that may never end

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


def _span(resp: requests.Response) -> tuple[int, int | None] | None:
    """A 206's Content-Range as (first byte, whole size or None); None if it has none."""
    m = _CONTENT_RANGE.fullmatch((resp.headers.get("Content-Range") or "").strip())
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    total = None if m.group(3) == "*" else int(m.group(3))
    if last < first or (total is not None and last != total - 1):
        return None  # not the rest of the file from `first`, which is all sc asks for
    return first, total


def _declared_total(resp: requests.Response, span: tuple[int, int | None] | None) -> int | None:
    """The whole file's size as an answer declares it: a 206's Content-Range, else a 200's
    Content-Length; None when it does not say."""
    if span is not None:
        return span[1]
    length = resp.headers.get("Content-Length", "")
    return int(length) if length.isascii() and length.isdigit() else None


def _is_complete(path: Path, total: int | None) -> bool:
    try:
        st = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == total


def _discard(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _owner(part: Path) -> str | None:
    """The track a `.part` was written for, where the file system keeps extended attributes."""
    try:
        return os.getxattr(part, OWNER_ATTR).decode("utf-8", "replace")
    except (AttributeError, OSError):
        return None


@contextlib.contextmanager
def _open_part(part: Path, keep: int, owner: str = "") -> Iterator[IO[bytes]]:
    """The `.part` file, opened for writing after its first `keep` bytes. Never through a
    link (O_NOFOLLOW) and only a regular file (a FIFO or device is refused, not waited on):
    a planted `.part` cannot send the download elsewhere."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(part, flags, 0o644)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR):
            raise _not_regular(part) from None
        raise DownloadError(f"cannot write {part}: {e.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _not_regular(part)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        os.ftruncate(fd, keep)  # anything past what the server continues from goes
        with contextlib.suppress(AttributeError, OSError):  # no xattrs here: nothing noted
            os.setxattr(fd, OWNER_ATTR, owner.encode())
        os.lseek(fd, keep, os.SEEK_SET)
        with os.fdopen(fd, "wb", closefd=True) as f:
            fd = -1
            try:
                yield f
            except OSError as e:
                raise DownloadError(f"cannot write {part}: {e.strerror or e}") from None
    finally:
        if fd >= 0:
            os.close(fd)


def _not_regular(part: Path) -> UsageError:
    return UsageError(
        f"{part} is not a regular file (a link, a folder or a device)",
        hint="move it out of the way: sc writes downloads only to files it creates",
    )
