"""`sc stats`: snapshots of your tracks' counts over time (logic in core/stats)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Literal, Optional

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import command
from sccli.core.record import record
from sccli.core.stats import METRICS

if TYPE_CHECKING:
    from sccli.core.stats.store import StatsDB

app = typer.Typer(
    help="Plays, likes, reposts, comments and downloads over time, in a local database.",
    no_args_is_help=True,
)

Metric = Literal[METRICS]  # type: ignore[valid-type]


def _db_option():
    return typer.Option(
        None,
        "--db",
        metavar="FILE",
        help="The stats database (default: stats.db in the user data directory).",
    )


def _metric_option():
    return typer.Option("plays", "--metric", help="The count the changes and charts follow.")


def _since_option(default: str):
    return typer.Option(
        default, "--since", metavar="SPAN", help="How far back: 30d, 12h, 2w or a date 2026-11-01."
    )


def open_db(sc: AppContext, path: Path | None, *, create: bool = False) -> StatsDB:
    """The database given, else the default one (the sandbox keeps its own, apart). Only a
    snapshot `create`s it: a read of one that is not there reads nothing and makes nothing."""
    from sccli.core.stats.store import StatsDB

    if path is None:
        base = sc.settings.data_dir
        path = (base / "sandbox" if sc.settings.sandbox else base) / "stats.db"
    return StatsDB(path, create=create)


@command(app, "snapshot")
def snapshot(
    ctx: typer.Context,
    user: Optional[str] = typer.Argument(
        None, metavar="USER", help="User id, URN, URL or username (default: you)."
    ),
    mine: bool = typer.Option(False, "--mine", help="Your own tracks, private ones included."),
    db: Optional[Path] = _db_option(),
    force: bool = typer.Option(False, "--force", help="Take it even if one was taken this minute."),
):
    """Record the counts of every track of a user, now.

    One row per track (plays, likes, reposts, comments, downloads; null where quiet mode
    hides a count), all in one transaction. A second snapshot of the same user in the same
    minute is refused unless --force.

    \b
    Examples:
      $ sc stats snapshot
      $ sc stats snapshot northern-canal-1 --db label.db
    """
    run_snapshot(app_context(ctx), SnapshotOptions(user, mine, db, force))


@record
class SnapshotOptions:
    user: str | None = None
    mine: bool = False
    db: Path | None = None
    force: bool = False


def run_snapshot(sc: AppContext, o: SnapshotOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.refs import to_urn
    from sccli.core.stats.series import iso
    from sccli.core.stats.snapshot import take_snapshot

    if o.user and o.mine:
        raise UsageError("give a USER or --mine, not both")
    urn = to_urn(sc.client, o.user, ("user",), default="user") if o.user else None
    with open_db(sc, o.db, create=True) as db:
        snap = take_snapshot(sc.client, db, urn, sc.env.clock(), force=o.force)
        where = db.path
    hidden = f" ({snap.hidden} with hidden counts, kept as null)" if snap.hidden else ""
    sc.info(
        f"recorded {snap.tracks} track(s) of {snap.user_urn} at {iso(snap.taken_at)}{hidden} in {where}"
    )


@command(app, "show", OUTPUT)
def show(
    ctx: typer.Context,
    tracks: Optional[List[str]] = typer.Argument(
        None,
        metavar="TRACK...",
        help="Tracks to show (id, URN, URL or user/title; default: all).",
    ),
    since: str = _since_option("30d"),
    metric: Metric = _metric_option(),
    plot: bool = typer.Option(False, "--plot", help="Draw a line chart of --metric instead."),
    csv_out: bool = typer.Option(False, "--csv", help="Print the rows as CSV, with a header."),
    db: Optional[Path] = _db_option(),
):
    """Show each track's latest counts, their changes and a sparkline.

    Per track: plays, likes, reposts, comments and downloads as last recorded, the change of
    --metric over the last day, week and month, and its trend since --since. A change needs
    a snapshot that long before the latest (`sc stats snapshot`, e.g. nightly); hidden
    counts show empty. TRACKs (id, URN, URL or user/title) are looked up in the database.

    \b
    Examples:
      $ sc stats show
      $ sc stats show --since 90d --metric likes --plot
      $ sc stats show --csv
    """
    run_show(app_context(ctx), ShowOptions(tuple(tracks or ()), since, metric, plot, csv_out, db))


@record
class ShowOptions:
    tracks: tuple[str, ...] = ()
    since: str = "30d"
    metric: str = "plays"
    plot: bool = False
    csv: bool = False
    db: Path | None = None


def run_show(sc: AppContext, o: ShowOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.stats import series as S

    if o.plot and o.csv:
        raise UsageError("choose one of --plot and --csv")
    now = sc.env.clock()
    since, metric = S.parse_since(o.since, now), S.metric_index(o.metric)
    with open_db(sc, o.db) as db:
        found = S.load_series(db, since)
        empty = db.latest() is None
    chosen = S.pick(found, list(o.tracks)) if o.tracks else found
    if not chosen:
        sc.info(
            "no snapshots yet: take one with `sc stats snapshot`"
            if empty
            else f"no track recorded since {S.iso(since)} (try a longer --since)"
        )
        return
    if all(len(s.times) == 1 for s in chosen):
        sc.info("one snapshot so far: changes need a second one (`sc stats snapshot` later)")
    if o.plot:
        from sccli.cli.chart import plot_series

        plot_series(sc, chosen, metric, since)
    elif o.csv:
        _write_csv(sc, [S.row(s, metric, since) for s in chosen])
    else:
        sc.out.items((S.row(s, metric, since) for s in chosen), "stat")


CSV_FIELDS = (
    "urn",
    "title",
    "taken_at",
    *METRICS,
    "metric",
    "change_day",
    "change_week",
    "change_month",
)


def _write_csv(sc: AppContext, rows: list[dict]) -> None:
    import csv

    w = csv.DictWriter(sc.streams.stdout, CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    sc.streams.stdout.flush()


@command(app, "report")
def report(
    ctx: typer.Context,
    html: Path = typer.Option(
        ..., "--html", metavar="FILE", help="The HTML file to write (- for stdout)."
    ),
    since: str = _since_option("90d"),
    metric: Metric = _metric_option(),
    db: Optional[Path] = _db_option(),
):
    """Write one HTML page: the totals and a chart per track.

    No network and no JavaScript: inline SVG charts, readable in light and dark mode.

    \b
    Examples:
      $ sc stats report --html stats.html
      $ sc stats report --html likes.html --metric likes --since 365d
    """
    run_report(app_context(ctx), ReportOptions(html, since, metric, db))


@record
class ReportOptions:
    html: Path
    since: str = "90d"
    metric: str = "plays"
    db: Path | None = None


def run_report(sc: AppContext, o: ReportOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.fsutil import atomic_write
    from sccli.core.stats import series as S
    from sccli.core.stats.report import build_report, check_target

    to_stdout = str(o.html) == "-"  # as everywhere, `-` is the standard stream
    if not to_stdout:
        check_target(o.html)
    now = sc.env.clock()
    start, m = S.parse_since(o.since, now), S.metric_index(o.metric)
    with open_db(sc, o.db) as d:
        found = S.load_series(d, start)
    page = build_report(found, m, start, now)
    if to_stdout:
        sc.streams.stdout.write(page)
        sc.streams.stdout.flush()
    else:
        try:
            atomic_write(o.html, page.encode("utf-8"), mode=0o644)
        except OSError as e:
            raise UsageError(f"cannot write {o.html}: {e.strerror or e}") from None
    sc.info(
        f"wrote {'the page to stdout' if to_stdout else o.html}: {len(found)} track(s), {METRICS[m]} since {S.iso(start)}"
    )


@command(app, "export")
def export(
    ctx: typer.Context,
    csv_file: Path = typer.Option(
        ..., "--csv", metavar="FILE", help="The CSV to append to (made, with a header, if new)."
    ),
    db: Optional[Path] = _db_option(),
):
    """Append the snapshots a CSV file lacks, a row per track.

    Rows already there are not written again, so a nightly job can snapshot, export and
    commit the file to git.

    \b
    Examples:
      $ sc stats export --csv stats.csv
      $ sc stats snapshot && sc stats export --csv stats.csv
    """
    run_export(app_context(ctx), ExportOptions(csv_file, db))


@record
class ExportOptions:
    csv: Path
    db: Path | None = None


def run_export(sc: AppContext, o: ExportOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.stats.export import append_csv

    if str(o.csv) == "-":  # appending needs the file's last row: a stream has none
        raise UsageError(
            "--csv - : export appends to a file", hint="`sc stats show --csv` prints to stdout"
        )
    with open_db(sc, o.db) as d:
        n = append_csv(d, o.csv)
    sc.info(f"appended {n} row(s) to {o.csv}")
