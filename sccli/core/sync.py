"""`sc sync` carried out: download what the plan says (`jobs` at a time), tag each file before
it takes its final name, record it in the archive, delete what left SOURCE (within
--max-delete), and write the set's m3u.

Every file goes through core/download.py: streamed to `NAME.part`, resumed with Range after a
cut or an interrupted run, tagged there, then renamed. The archive line is appended (and
fsync'd) just after the rename, so a sync killed at any moment leaves whole files under final
names and an archive that the next run can trust. Should it die between the rename and the
archive line, the next run finds the file by the URN in its tags and keeps it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from sccli.core.archive import Archive
from sccli.core.download import Target
from sccli.core.errors import SccliError
from sccli.core.sync_plan import DOWNLOAD, Item, Plan

if TYPE_CHECKING:
    from sccli.core.client import Client
    from sccli.core.download import Download

ADDED, DELETED, UNCHANGED, FAILED, SKIPPED = "added", "deleted", "unchanged", "failed", "skipped"
MARKS = {ADDED: "+", DELETED: "-", UNCHANGED: "=", FAILED: "!", SKIPPED: "~"}


@dataclass
class Change:
    change: str
    urn: str
    title: str = ""
    path: str | None = None
    reason: str | None = None

    def record(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}

    def line(self) -> str:
        what = self.path or f"{self.urn} {self.title}".strip()
        return f"{MARKS[self.change]} {what}" + (f" ({self.reason})" if self.reason else "")


@dataclass
class SyncOptions:
    folder: Path
    archive: Archive
    template: str | None = None
    tag: bool = True
    jobs: int = 1
    max_delete: int = 20
    force: bool = False
    m3u: bool = False


class Interrupted(Exception):
    """The sync is stopping (Ctrl-C): downloads in flight end where they are, as .part files."""


@dataclass
class Hooks:
    """What the command line gives the run: where changes and warnings go, progress."""

    report: Callable[[Change], None]
    warn: Callable[[str], None]
    progress: Callable[[str, int], Any] | None = None  # (label, total) -> context of a bar
    stop: threading.Event = field(default_factory=threading.Event)


class SyncTarget(Target):
    """Where one sync's files go: named by the template (or the server), never onto another
    track's file, never outside the folder, two names that differ only in case kept apart."""

    def __init__(self, opts: SyncOptions, plan: Plan):
        super().__init__(opts.folder, True)
        self.opts = opts
        self.plan = plan
        self.lock = threading.Lock()
        self.folded: set[str] = set()  # names given out in this run, case-folded
        self.own: dict[str, Path] = {}  # URN -> a file of its own found in place
        self.numbers = {i.urn: i.number for i in plan.items}

    def relative(self, server_name: str, track: dict[str, Any]) -> PurePosixPath:
        from sccli.core.names import MAX_FILE_BYTES, render, safe_component, track_values

        ext = server_name.rpartition(".")[2].lower() if "." in server_name else ""
        if self.opts.template is None:
            return PurePosixPath(safe_component(server_name, limit=MAX_FILE_BYTES))
        values = track_values(
            track, ext, playlist=self.plan.playlist, number=self.numbers.get(track["urn"])
        )
        return render(self.opts.template, values)

    def place(self, name: str, track: dict[str, Any]) -> Path:
        rel = self.relative(name, track)
        parent = self.opts.folder / rel.parent
        if not parent.resolve().is_relative_to(self.opts.folder.resolve()):
            raise SccliError(f"{parent} lies outside {self.opts.folder} (a link?): not written")
        with self.lock:
            dest = self._free(rel, track)
            self.folded.add(str(dest).casefold())
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    def _free(self, rel: PurePosixPath, track: dict[str, Any]) -> Path:
        """The first of NAME, NAME-ID that no other track holds (in this run or on disk)."""
        from sccli.core.names import tagged
        from sccli.core.tagging import read_urn

        urn = str(track["urn"])
        tid = str(track.get("id") or urn.rsplit(":", 1)[-1])
        for name in (
            rel.name,
            tagged(rel.name, tid),
            *(tagged(rel.name, f"{tid}-{n}") for n in (2, 3)),
        ):
            dest = self.opts.folder / rel.parent / name
            if str(dest).casefold() in self.folded:
                continue
            if not dest.exists() and not dest.is_symlink():
                return dest
            if dest.is_file() and not dest.is_symlink() and read_urn(dest) == urn:
                self.own[urn] = dest  # ours, from a run that died before its archive line
                return dest
        raise SccliError(f"no free name for {urn} in {self.opts.folder / rel.parent}")

    def refuse_existing(self, dest: Path) -> None:
        """Only a file of the track's own is ever found in place (see _free): kept."""


@dataclass
class Outcome:
    changes: list[Change]
    refused: SccliError | None = None  # the deletions --max-delete held back

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)


def run_sync(client: Client, plan: Plan, opts: SyncOptions, hooks: Hooks) -> Outcome:
    """Carry out the plan: every change, in the order of SOURCE, then the deletions."""
    out = Outcome([Change(FAILED, ref, reason=err) for ref, err in plan.failed])
    for c in out.changes:
        hooks.report(c)
    target = SyncTarget(opts, plan)
    work = _each(plan.items, opts.jobs, lambda item: _one(client, item, target, hooks), hooks)
    for change in work:
        hooks.report(change)
        out.changes.append(change)
    try:
        out.changes.extend(_deletions(plan, opts, hooks))
    except TooManyDeletes as e:
        out.refused = e
    if opts.m3u:
        from sccli.core.m3u import write_m3u

        write_m3u(opts.folder, plan, opts.archive)
    return out


def _each(
    items: list[Item], jobs: int, fn: Callable[[Item], Change], hooks: Hooks
) -> Iterator[Change]:
    """fn over the items, `jobs` at a time, in order; on an interruption the downloads in
    flight are told to stop, and are waited for."""
    pool = ThreadPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        yield from pool.map(fn, items) if pool else map(fn, items)
    except BaseException:
        hooks.stop.set()
        raise
    finally:
        if pool:
            pool.shutdown(wait=True, cancel_futures=True)


def _one(client: Client, item: Item, target: SyncTarget, hooks: Hooks) -> Change:
    title = str(item.track.get("title") or "")
    if item.action != DOWNLOAD:
        entry = target.opts.archive.get(item.urn)
        path = str(entry.path) if entry and entry.path else None
        kind = UNCHANGED if path or item.urn in target.opts.archive else SKIPPED
        return Change(kind, item.urn, title, path, None if kind == UNCHANGED else item.action[6:])
    if hooks.stop.is_set():
        raise Interrupted()
    try:
        dest = _download(client, item, target, hooks)
    except SccliError as e:
        return Change(FAILED, item.urn, title, reason=e.message)
    except OSError as e:  # the disk, not the network: a full disk, a file where a folder goes
        return Change(FAILED, item.urn, title, reason=f"{e.strerror or e}: {e.filename or ''}")
    target.opts.archive.added(item.urn, dest)
    return Change(ADDED, item.urn, title, str(dest))


def _download(client: Client, item: Item, target: SyncTarget, hooks: Hooks) -> Path:
    from sccli.core.download import Download

    with Download(client, item.track, target) as d:
        if item.urn in target.own and target.own[item.urn] == d.dest:
            return d.dest  # a whole, tagged file of its own: only the archive line was missing

        def finish(part: Path) -> None:
            if target.opts.tag:
                _tag(client, item, target, d, part, hooks)

        if hooks.progress is None:
            d.save(_stopper(hooks), finish=finish)
        else:
            with hooks.progress(f"downloading {d.dest.name}", d.total or 0) as bar:
                d.save(_stopper(hooks, bar), finish=finish)
    return d.dest


def _stopper(hooks: Hooks, bar: Callable[[int, int], None] | None = None) -> Any:
    def progress(done: int, total: int) -> None:
        if hooks.stop.is_set():
            raise Interrupted()
        if bar is not None:
            bar(done, total)

    return progress


def _tag(
    client: Client, item: Item, target: SyncTarget, d: Download, part: Path, hooks: Hooks
) -> None:
    from sccli.core.tagging import WRITERS, Untaggable, fetch_artwork, tags_for, write_tags

    if d.dest.suffix.lower().lstrip(".") not in WRITERS:
        hooks.warn(f"{d.dest.name} is not tagged: {d.dest.suffix or 'this format'} has no tags")
        return
    plan = target.plan
    total = len(plan.items) if plan.playlist else None
    tags = tags_for(item.track, plan.playlist, item.number, total)
    try:
        tags.artwork = fetch_artwork(client, item.track)
    except SccliError as e:
        hooks.warn(f"no artwork in {d.dest.name}: {e.message}")
    try:
        write_tags(part, tags, d.dest.suffix)
    except Untaggable as e:
        hooks.warn(f"{d.dest.name} is not tagged: {e}")


def _deletions(plan: Plan, opts: SyncOptions, hooks: Hooks) -> list[Change]:
    if not plan.deletes:
        return []
    if len(plan.deletes) > opts.max_delete and not opts.force:
        raise TooManyDeletes(len(plan.deletes), opts.max_delete)
    out = []
    for entry in plan.deletes:
        assert entry.path is not None
        path = entry.path
        if path.is_file() and not path.is_symlink():
            path.unlink()
            _prune(path.parent, opts.folder)
        opts.archive.removed(entry.urn)
        change = Change(DELETED, entry.urn, path=str(path))
        hooks.report(change)
        out.append(change)
    return out


def _prune(folder: Path, top: Path) -> None:
    """Remove folders a deletion left empty, up to (not including) the sync's own."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


class TooManyDeletes(SccliError):
    def __init__(self, n: int, limit: int):
        super().__init__(
            f"{n} files would be deleted, more than --max-delete {limit}: nothing was deleted",
            hint="check the source; --max-delete N raises the bound, --force lifts it",
        )
