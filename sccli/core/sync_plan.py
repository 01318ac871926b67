"""What `sc sync` will do: SOURCE listed in full, compared with the archive.

Each track of SOURCE is to be downloaded, or skipped (in the archive already; not
downloadable); with --delete, each file sync wrote into DIR whose track has left SOURCE is to
be deleted. Nothing here writes: `--dry-run` prints this plan and stops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sccli.core.archive import Archive
from sccli.core.archive import Entry as ArchiveEntry
from sccli.core.errors import SccliError, UsageError
from sccli.core.record import record

if TYPE_CHECKING:
    from sccli.core.client import Client

SOURCES = ("likes", "reposts", "mine", "set", "user", "-")
DOWNLOAD, IN_ARCHIVE, NOT_DOWNLOADABLE = "download", "skip: in archive", "skip: not downloadable"


@record
class Source:
    kind: str
    ref: str | None = None  # the set or user, for `set REF` and `user REF`

    @classmethod
    def parse(cls, words: list[str]) -> tuple[Source, Path]:
        """`likes DIR`, `set REF DIR`, ...: the source and the folder."""
        if not words or words[0] not in SOURCES:
            raise UsageError(
                f"unknown SOURCE {words[0]!r}" if words else "name a SOURCE and a DIR",
                hint="SOURCE is likes, reposts, mine, set REF, user REF or - (stdin)",
            )
        kind, rest = words[0], words[1:]
        wanted = 2 if kind in ("set", "user") else 1
        if len(rest) != wanted:
            shape = f"{kind} REF DIR" if wanted == 2 else f"{kind} DIR"
            raise UsageError(f"sc sync {kind} takes {wanted + 1} words: sc sync {shape}")
        if not rest[-1].strip() or (wanted == 2 and not rest[0].strip()):
            raise UsageError(
                f"sc sync {kind}: an empty {'DIR' if rest[-1].strip() == '' else 'REF'}"
            )
        return cls(kind, rest[0] if wanted == 2 else None), Path(rest[-1]).expanduser()


@dataclass
class Item:
    track: dict[str, Any]
    number: int  # its place in SOURCE, from 1 (in a set: its track number)
    action: str

    @property
    def urn(self) -> str:
        return str(self.track.get("urn"))


@dataclass
class Plan:
    source: Source
    items: list[Item]
    playlist: dict[str, Any] | None = None  # the set, for `set REF`
    deletes: list[ArchiveEntry] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (reference, error) from stdin

    def count(self, action: str) -> int:
        return sum(1 for i in self.items if i.action == action)


def list_source(
    client: Client, source: Source, stdin_refs: Callable[[], list[str]]
) -> tuple[list[dict[str, Any]], dict[str, Any] | None, list[tuple[str, str]]]:
    """Every track of SOURCE (all pages), the set when it is one, and references from stdin
    that named no track."""
    from sccli.core.refs import to_urn, urn_path
    from sccli.core.resources import list_of, of_user

    if source.kind in ("likes", "reposts"):
        return list(of_user(client, None, f"{source.kind}/tracks", limit=None)), None, []
    if source.kind == "mine":
        return list(of_user(client, None, "tracks", limit=None)), None, []
    assert source.ref is not None or source.kind == "-"
    if source.kind == "user":
        urn = to_urn(client, source.ref or "", ("user",), "user")
        return list(of_user(client, urn, "tracks", limit=None)), None, []
    if source.kind == "set":
        urn = to_urn(client, source.ref or "", ("playlist",), "playlist")
        playlist = client.get(urn_path(urn), params={"show_tracks": "false"})
        return list(list_of(client, urn_path(urn, "tracks"), limit=None)), playlist, []
    return _from_stdin(client, stdin_refs())


def _from_stdin(
    client: Client, refs: list[str]
) -> tuple[list[dict[str, Any]], None, list[tuple[str, str]]]:
    from sccli.core.refs import to_urn, urn_path

    tracks, failed = [], []
    for ref in refs:
        try:
            tracks.append(client.get(urn_path(to_urn(client, ref, ("track",), "track"))))
        except SccliError as e:
            failed.append((ref, e.message))
    return tracks, None, failed


def make_plan(
    source: Source,
    tracks: list[dict[str, Any]],
    archive: Archive,
    folder: Path,
    *,
    delete: bool,
    playlist: dict[str, Any] | None = None,
) -> Plan:
    items, seen = [], set()
    for n, t in enumerate(tracks, 1):
        urn = t.get("urn") or (f"soundcloud:tracks:{t['id']}" if t.get("id") else None)
        if not urn or urn in seen:
            continue  # a set may hold a track twice: one file
        seen.add(urn)
        t = {**t, "urn": urn}
        if urn in archive:
            action = IN_ARCHIVE
        elif not t.get("download_url"):
            action = NOT_DOWNLOADABLE
        else:
            action = DOWNLOAD
        items.append(Item(t, n, action))
    plan = Plan(source, items, playlist)
    if delete:
        gone = (e for e in archive.entries.values() if e.urn not in seen and e.path)
        plan.deletes = [ArchiveEntry(e.urn, p) for e in gone if (p := inside(e.path, folder))]
    return plan


def inside(path: Path | None, folder: Path) -> Path | None:
    """The real path of a file if it lies inside the folder (links and `..` resolved, so an
    archive line can never point a deletion elsewhere); else None (another folder's: one
    archive may serve several)."""
    if path is None:
        return None
    real = path.parent.resolve() / path.name
    return real if real.is_relative_to(folder.resolve()) else None
