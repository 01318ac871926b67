"""`sc tracks download`: the options, the progress bar, and per-track reporting.

The download itself (the authenticated hop, `.part` files, Range resumes, safe names) is
sccli.core.download; several tracks, `-` and --all-mine are reported per item by batch.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sccli.cli.batch import Item, Refs, run_each
from sccli.cli.context import AppContext
from sccli.core.record import record

if TYPE_CHECKING:
    from sccli.core.download import Target


@record
class DownloadOptions:
    refs: list[str]
    output: str | None = None  # as typed: a trailing / says it is a folder
    force: bool = False
    all_mine: Path | None = None
    template: str | None = None  # name files in the folder by this (see core/names.py)
    skip_existing: bool = False  # a file already there in full is skipped, not refused
    archive: Path | None = None  # skip what it lists; add what is downloaded
    tag: bool = False


def run_download(sc: AppContext, o: DownloadOptions) -> None:
    from sccli.core.download import Target
    from sccli.core.errors import UsageError
    from sccli.core.refs import urn_path

    known: dict[str, dict] = {}  # tracks already fetched (--all-mine lists them whole)
    if o.all_mine is not None:
        if o.refs or o.output is not None:
            raise UsageError("--all-mine takes neither TRACK nor -o: give it the folder")
        known = _mine(sc)
        refs = Refs(list(known), batch=True)
        target = Target(o.all_mine, is_dir=True, force=o.force, skip_complete=True)
    elif not o.refs:
        raise UsageError("name a TRACK, - to read them from stdin, or --all-mine DIR")
    else:
        refs = Refs.expand(sc, o.refs)
        target = Target.of(o.output, several=refs.batch, force=o.force)
    target = _named(target, o)
    archive = _archive(o.archive)

    def act(item: Item) -> str:
        if archive is not None and item.urn in archive:
            return f"skipped {item.urn}: in the archive {archive.path}"
        track = known.get(item.urn) or item.obj or sc.client.get(urn_path(item.urn), need=("urn",))
        line, dest = save(sc, track, target, o)
        if archive is not None and dest is not None:
            archive.added(item.urn, dest)
        return line

    run_each(sc, refs, ("track",), act, default="track")


def _named(target: Target, o: DownloadOptions) -> Target:
    """The target for --template and --skip-existing (the folder's files named by the
    template; a whole file already there is not refused)."""
    from sccli.core.errors import UsageError

    if o.template is not None:
        from sccli.core.names import check_template
        from sccli.core.placement import NamedTarget

        if not target.is_dir:
            raise UsageError("--template names files in a folder: give -o DIR/")
        target = NamedTarget(target.path, check_template(o.template))
        target.force = o.force
    if o.skip_existing:
        target.skip_complete = True
        if not target.is_dir:
            target.force = True  # -o FILE: whether it is whole is known once the server answers
    return target


def _archive(path: Path | None):
    if path is None:
        return None
    from sccli.core.archive import Archive

    return Archive(path.expanduser().absolute())


def _mine(sc: AppContext) -> dict[str, dict]:
    """Your tracks that can be downloaded; the others are named, not failed: their owner
    (you) turned downloads off, and a backup of the rest is still a backup."""
    from sccli.core.resources import of_user

    mine: dict[str, dict] = {}
    for t in of_user(sc.client, None, "tracks", limit=None):
        if t.get("download_url"):
            mine[t["urn"]] = t
        else:
            sc.info(
                f"skipped {t['urn']}: downloads are off "
                f"(sc tracks update {t['urn']} --downloadable turns them on)"
            )
    return mine


def save(
    sc: AppContext, track: dict, target: Target, o: DownloadOptions | None = None
) -> tuple[str, Path | None]:
    """Download one track: the line a person reads about it, and the file (None if skipped)."""
    from sccli.cli.progress import byte_progress
    from sccli.core.download import Download
    from sccli.core.errors import UsageError

    skip = o is not None and o.skip_existing
    with Download(sc.client, track, target) as d:
        whole = skip and d.dest.is_file() and d.dest.stat().st_size == d.total
        if d.complete or whole:
            return f"skipped {d.urn}: {d.dest} is already complete", None
        if skip and d.dest.exists() and not (o and o.force):
            raise UsageError(f"{d.dest} already exists", hint="--force overwrites it")
        finish = _tagger(sc, track, d.dest) if o is not None and o.tag else None
        with byte_progress(sc, d.total or 0, f"downloading {d.dest.name}") as bar:
            size = d.save(bar, finish=finish)
    again = f", resumed {d.resumed}x after a cut" if d.resumed else ""
    renamed = f"; {d.named} was taken by another track of this run" if d.named else ""
    return f"downloaded {d.urn} to {d.dest} ({size:,} bytes{again}{renamed})", d.dest


def _tagger(sc: AppContext, track: dict, dest: Path):
    from sccli.core.sync import tag_part
    from sccli.core.tagging import tags_for

    def finish(part: Path) -> None:
        tag_part(sc.client, part, dest, lambda m: sc.info(f"warning: {m}"), tags_for(track))

    return finish
