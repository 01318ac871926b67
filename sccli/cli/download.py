"""`sc tracks download`: the options, the progress bar, and per-track reporting.

The download itself (the authenticated hop, `.part` files, Range resumes, safe names) is
sccli.core.download; several tracks, `-` and --all-mine are reported per item by batch.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sccli.cli.batch import Refs, run_each
from sccli.cli.context import AppContext

if TYPE_CHECKING:
    from sccli.core.download import Target


@dataclass
class DownloadOptions:
    refs: list[str]
    output: str | None = None  # as typed: a trailing / says it is a folder
    force: bool = False
    all_mine: Path | None = None


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

    def act(urn: str) -> str:
        track = known.get(urn) or sc.client.get(urn_path(urn), need=("urn",))
        return save(sc, track, target)

    run_each(sc, refs, ("track",), act, default="track")


def _mine(sc: AppContext) -> dict[str, dict]:
    """Your tracks that can be downloaded; the others are named, not failed: their owner
    (you) turned downloads off, and a backup of the rest is still a backup."""
    from sccli.core.resources import owned

    mine: dict[str, dict] = {}
    for t in owned(sc.client, "tracks", None, limit=None):
        if t.get("download_url"):
            mine[t["urn"]] = t
        else:
            sc.info(
                f"skipped {t['urn']}: downloads are off "
                f"(sc tracks update {t['urn']} --downloadable turns them on)"
            )
    return mine


def save(sc: AppContext, track: dict, target: Target) -> str:
    """Download one track; the line a person reads about it."""
    from sccli.cli.progress import byte_progress
    from sccli.core.download import Download

    with Download(sc.client, track, target) as d:
        if d.complete:
            return f"skipped {d.urn}: {d.dest} is already complete"
        with byte_progress(sc, d.total or 0, f"downloading {d.dest.name}") as bar:
            size = d.save(bar)
    again = f", resumed {d.resumed}x after a cut" if d.resumed else ""
    renamed = f"; {d.named} was taken by another track of this run" if d.named else ""
    return f"downloaded {d.urn} to {d.dest} ({size:,} bytes{again}{renamed})"
