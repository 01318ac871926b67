"""`sc sync SOURCE DIR`: the options, the plan or change report on stdout, the summary and
exit code. The work is sccli.core.sync_plan (what to do) and sccli.core.sync (doing it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.params import archive_option, command, jobs_option, tag_option, template_option
from sccli.core.record import record

if TYPE_CHECKING:
    from sccli.core.archive import Archive
    from sccli.core.sync import Change, Outcome
    from sccli.core.sync_plan import Plan


app = typer.Typer()  # its one command sits at the top level: the registry names it


@record
class SyncOptions:
    words: list[str]
    archive: Path | None = None
    template: str | None = None
    tag: bool = True
    jobs: int = 2
    dry_run: bool = False
    delete: bool = False
    max_delete: int = 20
    force: bool = False
    m3u: bool = False
    as_json: bool = False


@command(app, "sync")
def sync(
    ctx: typer.Context,
    words: List[str] = typer.Argument(
        ..., metavar="SOURCE [REF] DIR", help="likes, reposts, mine, set REF, user REF or -."
    ),
    archive: Optional[Path] = archive_option("The archive file (default: DIR/.sc-archive)."),
    template: Optional[str] = template_option(
        "File names, e.g. '{user.username}/{title}.{ext}' (default: the server's name)."
    ),
    tag: bool = tag_option(True),
    jobs: int = jobs_option(2, "Download N files at a time."),
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Print the plan; change nothing."),
    delete: bool = typer.Option(
        False, "--delete", help="Delete files sync wrote whose tracks left SOURCE."
    ),
    max_delete: int = typer.Option(
        20, "--max-delete", min=0, metavar="N", help="Delete nothing if more than N would go."
    ),
    force: bool = typer.Option(False, "--force", help="Lift --max-delete."),
    m3u: bool = typer.Option(False, "--m3u", help="Write DIR/<set title>.m3u8 in SOURCE's order."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON document."),
):
    """Keep a folder in step with likes, reposts, uploads, a set or a user.

    Lists SOURCE in full and downloads, JOBS at a time, the tracks whose owners allow
    downloads and that the archive (DIR/.sc-archive) does not list yet; each file is tagged
    (title, artist, album, track number, date, genre, URL, ISRC, artwork) before it takes its
    name. A rerun fetches only what is new; an interrupted one resumes. Prints one line per
    track: + added, - deleted, = unchanged, ~ skipped, ! failed (exit 1 if any failed).

    \b
    Examples:
      $ sc sync likes Music/SoundCloud
      $ sc sync set sandbox-user/sets/sandbox-downloads Music/Album --m3u
      $ sc sync likes Music/SoundCloud --delete --dry-run
      $ sc sync user northern-canal-1 Music -t '{user.username}/{title}.{ext}'
      $ sc likes --all --ndjson | sc sync - Music/picked
    """
    args = SyncOptions(
        words, archive, template, tag, jobs, dry_run, delete, max_delete, force, m3u, as_json
    )
    run_sync(app_context(ctx), args)


def run_sync(sc: AppContext, a: SyncOptions) -> None:
    from sccli.core.archive import NAME, Archive
    from sccli.core.errors import SccliError, UsageError
    from sccli.core.names import check_template
    from sccli.core.sync_plan import DOWNLOAD, Source, list_source, make_plan

    source, folder = Source.parse(a.words)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    template = check_template(a.template) if a.template is not None else None
    archive_path = (a.archive.expanduser() if a.archive else folder / NAME).absolute()
    if archive_path.is_dir() or (a.archive is not None and not str(a.archive).strip()):
        raise UsageError(f"the archive {archive_path} is a folder: name a file with --archive")
    archive = Archive(archive_path)

    def stdin_refs() -> list[str]:
        from sccli.core.piped import read_refs

        return read_refs(sc.streams.stdin)

    tracks, playlist, failed = list_source(sc.client, source, stdin_refs)
    plan = make_plan(source, tracks, archive, folder, delete=a.delete, playlist=playlist)
    plan.failed = failed
    if template is not None:
        _try_template(template, plan)
    if a.dry_run:
        _print_plan(sc, plan, a.as_json)
        return
    if plan.count(DOWNLOAD):
        _check_writable(folder)
    outcome = _carry_out(sc, plan, a, folder, archive, template)
    _summary(sc, outcome, a.as_json)
    failures = outcome.count("failed")
    if outcome.refused is not None:
        raise outcome.refused
    if failures:
        raise SccliError(f"{failures} of {len(outcome.changes)} failed")


def _check_writable(folder: Path) -> None:
    """A folder that cannot be written (a read-only disk, no permission) is one error before
    any download, not the same failure once per track."""
    import tempfile

    from sccli.core.errors import SccliError

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise SccliError(f"cannot write to {folder}: {e.strerror or e}") from None


def _try_template(template: str, plan: Plan) -> None:
    """An unknown field is exit 2 now, before any download, not one failure per track."""
    from sccli.core.names import render, track_values

    for item in plan.items[:1]:
        render(template, track_values(item.track, "mp3", playlist=plan.playlist, number=1))


def _carry_out(
    sc: AppContext, plan: Plan, a: SyncOptions, folder: Path, archive: Archive, template: str | None
) -> Outcome:
    from sccli.cli.progress import byte_progress
    from sccli.core.sync import Hooks, SyncOptions, run_sync

    opts = SyncOptions(folder, archive, template, a.tag, a.jobs, a.max_delete, a.force, a.m3u)

    def report(change: Change) -> None:
        if not a.as_json:
            sc.echo(change.line())

    def bar(label: str, total: int):
        return byte_progress(sc, total, label)

    hooks = Hooks(report, lambda m: sc.info(f"warning: {m}"), bar if a.jobs == 1 else None)
    return run_sync(sc.client, plan, opts, hooks)


def _summary(sc: AppContext, outcome: Outcome, as_json: bool) -> None:
    counts = {k: outcome.count(k) for k in ("added", "deleted", "unchanged", "skipped", "failed")}
    if as_json:
        _json(sc, {"changes": [c.record() for c in outcome.changes], **counts})
    sc.info(", ".join(f"{n} {k}" for k, n in counts.items()))


def _json(sc: AppContext, doc: dict) -> None:
    """One JSON document, through the renderer (exact, and safe on a terminal)."""
    from sccli.render import OutputOptions

    sc.decide_output(OutputOptions("json", "json"))
    sc.out.one(doc)


def _print_plan(sc: AppContext, plan: Plan, as_json: bool) -> None:
    rows = [
        {"action": i.action, "urn": i.urn, "title": str(i.track.get("title") or "")}
        for i in plan.items
    ]
    rows += [{"action": "delete", "urn": e.urn, "path": str(e.path)} for e in plan.deletes]
    rows += [{"action": "fail", "ref": ref, "error": err} for ref, err in plan.failed]
    if as_json:
        _json(sc, {"plan": rows})
    else:
        for r in rows:
            sc.echo(
                f"{r['action']} {r.get('path') or r.get('urn') or r.get('ref')} "
                + (r.get("title") or r.get("error") or "").rstrip()
            )
    sc.info(
        f"plan: {plan.count('download')} to download, {len(plan.deletes)} to delete, "
        f"{plan.count('skip: in archive')} in the archive, "
        f"{plan.count('skip: not downloadable')} not downloadable"
    )
