"""The download archive: what sync has fetched, so nothing is fetched twice (yt-dlp's
--download-archive).

One line per event, appended and fsync'd: `URN<TAB>PATH` when sync wrote PATH for that
track (after the file was complete), `-URN` when sync deleted it again, and `?URN<TAB>PATH`
when it began to write PATH (its `.part`), so that a later run resumes a `.part` only for the
track it belongs to, whatever order the downloads come back in. A plain `URN` line (written by
hand, or by another tool) counts as fetched, with no file of sync's to delete. Reading keeps
the last line per URN, so duplicates (two syncs sharing an archive, a rerun after a crash) do
no harm, and ignores a last line without its newline (a write cut short; the next append
ends it with a NUL, which voids it). PATH is relative to
the archive's folder when the file lies inside it, so the folder can move; else absolute.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sccli.core.errors import UsageError
from sccli.core.fsutil import ARCHIVE_LINE_MAX, ARCHIVE_MAX, open_regular, size_text
from sccli.core.record import record

NAME = ".sc-archive"
VOID = b"\x00\n"  # ends a torn line so that it stays ignored


@record
class Entry:
    urn: str
    path: Path | None  # the file sync wrote, absolute; None for a bare URN line


class Archive:
    def __init__(self, path: Path):
        self.path = path
        self.base = path.parent
        self.entries: dict[str, Entry] = {}
        self.claims: dict[Path, str] = {}  # a file being written -> the URN it is for
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        """Read line by line, each line and the whole capped (fsutil): memory stays that of
        the entries, and a device, FIFO or runaway file is a usage error, never a hang."""
        try:
            f = open_regular(self.path, ARCHIVE_MAX)
        except FileNotFoundError:
            return
        except OSError as e:
            raise self._unusable(e.strerror or str(e)) from None
        with f:
            for n, raw in enumerate(iter(lambda: f.readline(ARCHIVE_LINE_MAX + 1), b""), 1):
                if not raw.endswith(b"\n"):  # a torn write (ignored), unless it is too long
                    if len(raw) > ARCHIVE_LINE_MAX:
                        raise self._unusable(
                            f"line {n} is longer than {size_text(ARCHIVE_LINE_MAX)}"
                        )
                    return
                self._apply(raw[:-1].decode("utf-8", "replace").rstrip("\r"))

    def _unusable(self, why: str) -> UsageError:
        return UsageError(
            f"cannot use {self.path} as the archive: {why}",
            hint="give a regular file sc wrote (--archive FILE), or move that one away",
        )

    def _apply(self, line: str) -> None:
        if not line.strip() or line.startswith("#") or "\x00" in line:
            return
        urn, _, rel = line.partition("\t")
        urn = urn.strip()
        if urn.startswith("-"):
            self.entries.pop(urn[1:], None)
        elif urn.startswith("?"):
            if rel:
                self.claims[self.base / rel] = urn[1:]
        elif urn:
            path = (self.base / rel) if rel else None
            self.entries[urn] = Entry(urn, path)

    def __contains__(self, urn: object) -> bool:
        return urn in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, urn: str) -> Entry | None:
        return self.entries.get(urn)

    def added(self, urn: str, path: Path) -> None:
        """Record that `path` now holds `urn`, durably, before anything else is done."""
        self._append(f"{urn}\t{self._relative(path)}", Entry(urn, path))

    def removed(self, urn: str) -> None:
        self._append(f"-{urn}", None)

    def claim(self, urn: str, path: Path) -> None:
        """Record that `path` (its `.part`) is being written for `urn`."""
        self._append(f"?{urn}\t{self._relative(path)}", None)
        self.claims[self.base / self._relative(path)] = urn

    def owner(self, path: Path) -> str | None:
        """The URN a file being written at `path` was claimed for, if any."""
        return self.claims.get(self.base / self._relative(path))

    def _relative(self, path: Path) -> str:
        path = path.absolute()
        try:
            return path.relative_to(self.base.absolute()).as_posix()
        except ValueError:
            return str(path)

    def _append(self, line: str, entry: Entry | None) -> None:
        if "\n" in line or "\r" in line:
            raise ValueError("an archive line cannot hold a line break")
        data = (line + "\n").encode("utf-8", "surrogateescape")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                if _torn(fd):
                    data = VOID + data  # end the line a crash cut short, marked void
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if entry is None:
                if line.startswith("-"):
                    self.entries.pop(line[1:], None)
            else:
                self.entries[entry.urn] = entry


def _torn(fd: int) -> bool:
    """Whether the file ends without a newline (a line cut short)."""
    size = os.fstat(fd).st_size
    return size > 0 and os.pread(fd, 1, size - 1) != b"\n"
