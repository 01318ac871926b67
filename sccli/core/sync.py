"""`sc sync` carried out: download what the plan says (`jobs` at a time), tag each file before
it takes its final name, record it in the archive, delete what left SOURCE (within
--max-delete), and write the set's m3u.

Every file goes through core/download.py: streamed to `NAME.part`, resumed with Range after a
cut or an interrupted run, tagged there, then renamed. The archive line is appended (and
fsync'd) just after the rename, so a sync killed at any moment leaves whole files under final
names and an archive that the next run can trust. Should it die between the rename and the
archive line, the next run finds the file by the URN in its tags and keeps it; a line noting
each download begun lets it resume a `.part` only for the track it belongs to.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sccli.core.archive import Archive
from sccli.core.errors import SccliError
from sccli.core.placement import NamedTarget
from sccli.core.sync_plan import DOWNLOAD, Item, Plan

if TYPE_CHECKING:
    from sccli.core.client import Client
    from sccli.core.tagging import Tags

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
    client.allow_parallel(opts.jobs)
    numbers = {i.urn: i.number for i in plan.items}
    target = NamedTarget(
        opts.folder, opts.template, playlist=plan.playlist, numbers=numbers, claims=opts.archive
    )
    run = _Run(client, plan, opts, target, hooks)
    work = _each(plan.items, opts.jobs, run.one, hooks)
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


@dataclass
class _Run:
    """One sync's downloads: what each worker needs."""

    client: Client
    plan: Plan
    opts: SyncOptions
    target: NamedTarget
    hooks: Hooks

    def one(self, item: Item) -> Change:
        title = str(item.track.get("title") or "")
        if item.action != DOWNLOAD:
            entry = self.opts.archive.get(item.urn)
            path = str(entry.path) if entry and entry.path else None
            kind = UNCHANGED if item.urn in self.opts.archive else SKIPPED
            return Change(
                kind, item.urn, title, path, None if kind == UNCHANGED else item.action[6:]
            )
        if self.hooks.stop.is_set():
            raise Interrupted()
        try:
            dest = self.download(item)
        except SccliError as e:
            return Change(FAILED, item.urn, title, reason=e.message)
        except OSError as e:  # the disk, not the network: full, or a file where a folder goes
            return Change(FAILED, item.urn, title, reason=f"{e.strerror or e}: {e.filename or ''}")
        self.opts.archive.added(item.urn, dest)
        return Change(ADDED, item.urn, title, str(dest))

    def download(self, item: Item) -> Path:
        from sccli.core.download import Download

        with Download(self.client, item.track, self.target) as d:
            if self.target.own.get(item.urn) == d.dest:
                return d.dest  # whole and tagged: only its archive line was missing

            def finish(part: Path) -> None:
                if self.opts.tag:
                    tag_part(self.client, part, d.dest, self.hooks.warn, self.tags(item))
                _flush(part)  # on disk before its name and its archive line say it is whole

            if self.hooks.progress is None:
                d.save(_stopper(self.hooks), finish=finish)
            else:
                with self.hooks.progress(f"downloading {d.dest.name}", d.total or 0) as bar:
                    d.save(_stopper(self.hooks, bar), finish=finish)
        return d.dest

    def tags(self, item: Item) -> Tags:
        from sccli.core.tagging import tags_for

        total = len(self.plan.items) if self.plan.playlist else None
        return tags_for(item.track, self.plan.playlist, item.number, total)


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stopper(hooks: Hooks, bar: Callable[[int, int], None] | None = None) -> Any:
    def progress(done: int, total: int) -> None:
        if hooks.stop.is_set():
            raise Interrupted()
        if bar is not None:
            bar(done, total)

    return progress


def tag_part(
    client: Client, part: Path, dest: Path, warn: Callable[[str], None], tags: Tags
) -> None:
    """Tag a complete `.part` (whose final name is `dest`), with its artwork; a format that
    cannot be tagged, or a failure, is one warning and the file stays as it came."""
    from sccli.core.tagging import WRITERS, Untaggable, fetch_artwork, write_tags

    if dest.suffix.lower().lstrip(".") not in WRITERS:
        warn(f"{dest.name} is not tagged: {dest.suffix or 'this format'} has no tags")
        return
    try:
        tags.artwork = fetch_artwork(client, {"artwork_url": tags.artwork_url})
    except SccliError as e:
        warn(f"no artwork in {dest.name}: {e.message}")
    try:
        write_tags(part, tags, dest.suffix)
    except Untaggable as e:
        warn(f"{dest.name} is not tagged: {e}")


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
