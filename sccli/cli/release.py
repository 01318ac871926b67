"""`sc release`: init, plan and push a whole release from one manifest (logic in core/release)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import command, jobs_option
from sccli.core.record import record

if TYPE_CHECKING:
    from sccli.core.release.manifest import Manifest
    from sccli.core.release.push import PushOptions as PushSteps
    from sccli.core.release.state import ReleaseState

app = typer.Typer(
    help="Build a whole release (a set and its tracks) from one manifest.",
    short_help="Build a release (a set and its tracks) from a manifest.",
    no_args_is_help=True,
)

MANIFEST = typer.Argument(
    Path("release.toml"),
    metavar="[MANIFEST]",
    help="The manifest, default ./release.toml as init writes it (paths in it are relative to it).",
    show_default=False,
)


def _state_option():
    return typer.Option(
        None,
        "--state",
        metavar="FILE",
        help="The state file (default: release.lock.json beside the manifest).",
    )


def _overwrite_option(help: str):
    return typer.Option(False, "--overwrite-remote", help=help)


def _load(manifest: Path, state: Path | None) -> tuple[Manifest, ReleaseState]:
    """The manifest, checked whole before any request (exit 2), and the state file."""
    from sccli.core.release.manifest import load_manifest
    from sccli.core.release.state import STATE_NAME, ReleaseState

    m = load_manifest(manifest)
    return m, ReleaseState.load(state or m.folder / STATE_NAME)


def _show(sc: AppContext, doc: dict[str, Any], kind: str, summary: str) -> None:
    """A table (or TSV) has a row per step, and a person the summary line on stderr; JSON,
    NDJSON and --query get the whole document ({"actions": [...], "writes": N, ...})."""
    sc.out.document(doc, "actions", kind, summary)


@command(app, "init")
def init(
    ctx: typer.Context,
    folder: Path = typer.Argument(
        Path("."), metavar="DIR", help="Folder of audio files (default: here)."
    ),
    title: Optional[str] = typer.Option(
        None, "--title", help="The release's title (default: from the folder's name)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing release.toml."),
):
    """Write a release.toml from a folder of audio files.

    Order, titles, ISRCs and track numbers come from the files' tags, else from their names
    (01-harbour.wav is track 1, "Harbour"). An existing release.toml is kept unless --force.

    \b
    Examples:
      $ sc release init
      $ sc release init . --title "Night Ferry" --force
    """
    run_init(app_context(ctx), InitOptions(folder, title, force))


@record
class InitOptions:
    folder: Path
    title: str | None = None
    force: bool = False


def run_init(sc: AppContext, o: InitOptions) -> None:
    from sccli.core.release.scaffold import init_release

    path, tracks = init_release(o.folder, title=o.title, force=o.force)
    sc.info(f"wrote {path} with {len(tracks)} track(s); edit it, then `sc release plan {path}`")


@command(app, "plan", OUTPUT)
def plan(
    ctx: typer.Context,
    manifest: Path = MANIFEST,
    state: Optional[Path] = _state_option(),
    publish: bool = typer.Option(False, "--publish", help="Plan a push --publish."),
    replace_audio: bool = typer.Option(
        False, "--replace-audio", help="Plan a push --replace-audio."
    ),
    overwrite_remote: bool = _overwrite_option("Plan a push --overwrite-remote."),
    detailed_exitcode: bool = typer.Option(
        False,
        "--detailed-exitcode",
        help="Exit 0 when SoundCloud matches the manifest, 2 when a push would change "
        "something or SoundCloud drifted, 1 on any error (Terraform's convention).",
    ),
):
    """Show what push would do, writing nothing.

    Per track upload, update (fields), replace, audio changed or ok; for the set create,
    update (fields), reorder or ok; then the writes it takes. A field changed on SoundCloud
    since the last push is a drift row (both values), one changed on both sides a conflict
    row (three values). A table on a terminal (--tsv: a row per step), JSON ({"actions":
    [...], "writes": N}) in a pipe or with --json.

    \b
    Examples:
      $ sc release init && sc release plan release.toml
      $ sc release plan release.toml --json
      $ sc release plan release.toml --detailed-exitcode; echo "exit $?"
    """
    opts = PlanOptions(manifest, state, publish, replace_audio, detailed_exitcode, overwrite_remote)
    run_plan(app_context(ctx), opts)


@record
class PlanOptions:
    manifest: Path
    state: Path | None = None
    publish: bool = False
    replace_audio: bool = False
    detailed_exitcode: bool = False
    overwrite_remote: bool = False


def run_plan(sc: AppContext, o: PlanOptions) -> None:
    from sccli.core.errors import EXIT_ERROR, SccliError
    from sccli.core.release.planner import make_plan

    try:
        m, st = _load(o.manifest, o.state)
        p = make_plan(
            sc.client,
            m,
            st,
            publish=o.publish,
            replace_audio=o.replace_audio,
            overwrite_remote=o.overwrite_remote,
        )
    except SccliError as e:
        if o.detailed_exitcode:
            e.exit_code = EXIT_ERROR  # 2 means "would change": every error is 1, as Terraform's
        raise
    _show(sc, p.to_json(), "step", p.summary())
    for a in p.actions():
        if a.drift is not None:  # both values (three with a conflict), for the person
            sc.info(f"{a.action}: {a.target} {a.drift.describe()}")
    if o.detailed_exitcode and p.changes:
        raise typer.Exit(2)


@command(app, "push", OUTPUT)
def push(
    ctx: typer.Context,
    manifest: Path = MANIFEST,
    jobs: int = jobs_option(2, "Uploads at a time."),
    wait: bool = typer.Option(False, "--wait", help="Wait until every track is transcoded."),
    wait_timeout: int = typer.Option(
        600, "--wait-timeout", metavar="SECONDS", help="Give up waiting on a track after this."
    ),
    publish: bool = typer.Option(
        False, "--publish", help="Make the set and its tracks public, once all else succeeded."
    ),
    state: Optional[Path] = _state_option(),
    replace_audio: bool = typer.Option(
        False,
        "--replace-audio",
        help="Upload changed audio as a new track, swap it into the set, then delete the old one.",
    ),
    overwrite_remote: bool = _overwrite_option(
        "Send the manifest's value for fields changed on SoundCloud since the last push "
        "(drift, left alone otherwise) and for conflicts (refused otherwise)."
    ),
):
    """Upload, update and order a release to match the manifest.

    Missing tracks are uploaded (--jobs at a time), changed fields sent alone, the set
    created or updated and its order written in one write. A second push of the same
    manifest makes no writes; a killed push is finished by the next one. Fields changed on
    SoundCloud since the last push are left alone (a conflict fails the push) unless
    --overwrite-remote. --publish is all or nothing.

    \b
    Examples:
      $ sc release init && sc release push release.toml
      $ sc release push release.toml --jobs 4 --wait --publish
    """
    from sccli.core.release import push as steps

    opts = PushOptions(
        manifest,
        state,
        steps.PushOptions(
            jobs=jobs,
            wait=wait,
            publish=publish,
            replace_audio=replace_audio,
            wait_timeout=wait_timeout,
            overwrite_remote=overwrite_remote,
        ),
    )
    run_push(app_context(ctx), opts)


@record
class PushOptions:
    """The manifest and state, and how push_release is to go about it (core's options)."""

    manifest: Path
    state: Path | None
    steps: PushSteps


def run_push(sc: AppContext, o: PushOptions) -> None:
    from sccli.cli.progress import step_progress
    from sccli.core.errors import ApiError
    from sccli.core.release.push import push_release

    m, st = _load(o.manifest, o.state)
    with step_progress(sc) as (log, bars):
        report = push_release(sc.client, m, st, o.steps, log=log, sleep=sc.env.sleep, progress=bars)
    _show(sc, report.to_json(), "done-step", report.summary())
    failed = [a for a in report.actions if a.status == "failed"]
    if failed:
        first = failed[0]
        raise ApiError(
            f"the release is not complete: {len(failed)} step(s) failed, first "
            f"{first.action} {first.target}: {first.error}",
            hint="push again once the cause is fixed; what is done will not be done twice",
        )


@command(app, "publish", OUTPUT)
def publish(
    ctx: typer.Context,
    manifest: Path = MANIFEST,
    state: Optional[Path] = _state_option(),
    detailed_exitcode: bool = typer.Option(
        False, "--detailed-exitcode", help="Exit 2 when it is not due yet (0 once published)."
    ),
):
    """Make a pushed release public once its publish_at has passed.

    The API has no scheduled publishing: push uploads everything private, and this, run from
    a scheduled job, publishes the tracks and then the set when [release] publish_at is due
    (at once without one), all or nothing. Before then it says when it will be due and exits 0
    (2 with --detailed-exitcode) without a request.

    \b
    Examples:
      $ sc release init && sc release push && sc release publish
      $ sc release init --force && sc release push && sc release publish --json
    """
    run_publish(app_context(ctx), PublishOptions(manifest, state, detailed_exitcode))


@record
class PublishOptions:
    manifest: Path
    state: Path | None = None
    detailed_exitcode: bool = False


def run_publish(sc: AppContext, o: PublishOptions) -> None:
    from sccli.core.errors import EXIT_ERROR, ApiError, Interrupted, SccliError
    from sccli.core.release.schedule import publish_release, schedule_of

    try:
        m, st = _load(o.manifest, o.state)
        when = schedule_of(m, st, sc.env.clock())
        if not when.due:
            sc.info(when.until())  # a person's line, in a scheduled job's log too
            sc.out.said({"status": "not due", "publish_at": when.at and when.at.isoformat()}, [])
            if o.detailed_exitcode:
                raise typer.Exit(2)
            return
        done = publish_release(sc.client, m, st, log=sc.info)
    except SccliError as e:
        if o.detailed_exitcode and not isinstance(e, Interrupted):
            e.exit_code = EXIT_ERROR  # 2 means "not due yet"
        raise
    sc.out.said(done.to_json(), [])  # scripts get the record; a person, the line below
    if not done.outcome.ok:
        raise ApiError(done.outcome.message(), hint="run it again once the cause is fixed")
    sc.info("published" if done.outcome.published else "published already: nothing to do")
