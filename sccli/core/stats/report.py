"""`sc stats report --html`: one self-contained page, the totals and a chart per track.

No network and no script: inline SVG drawn from CSS colours that follow the reader's light
or dark mode, and a Content-Security-Policy that lets nothing else in.
"""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from pathlib import Path

from sccli.core.errors import UsageError
from sccli.core.stats import METRICS
from sccli.core.stats.series import PERIODS, Series, iso, totals
from sccli.core.stats.store import TrackInfo

W, H = 640, 180
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 14, 30  # room for the axis labels

STYLE = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d1d1f; --muted: #585c61;
  --line: #c2410c; --grid: #c9c9c9; --card: #f4f4f5; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #121214; --fg: #ececee; --muted: #a8a8ad; --line: #fb923c; --grid: #3f3f46;
    --card: #1f1f23; } }
body { background: var(--bg); color: var(--fg); margin: 2rem auto; max-width: 60rem;
  padding: 0 1rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
a { color: var(--line); }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
p.meta, .muted { color: var(--muted); }
section { background: var(--card); border-radius: 10px; padding: .8rem 1rem; margin: 1rem 0; }
h2 { font-size: 1.1rem; margin: 0 0 .4rem; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: .15rem .7rem; }
th:first-child, td:first-child { text-align: left; padding-left: 0; }
svg.chart { display: block; width: 100%; height: auto; margin-top: .5rem; }
svg.chart .line { fill: none; stroke: var(--line); stroke-width: 2; }
svg.chart .dot { fill: var(--line); }
svg.chart .axis { stroke: var(--grid); stroke-width: 1; }
svg.chart text { fill: var(--muted); font-size: 12px; }
"""


def _num(value: int | None) -> str:
    return "hidden" if value is None else f"{value:,}"


def _signed(value: int | None) -> str:
    return "–" if value is None else f"{value:+,}"


def _day(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%d")


def chart(points: list[tuple[float, int | None]], label: str) -> str:
    """An SVG line chart of the points; a hidden count breaks the line."""
    known = [(t, v) for t, v in points if v is not None]
    t0, t1 = known[0][0], known[-1][0]
    lo, hi = min(v for _, v in known), max(v for _, v in known)
    if hi == lo:
        lo, hi = lo - 1, hi + 1  # a flat line sits in the middle
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def xy(t: float, v: int) -> str:
        x = LEFT + (pw * (t - t0) / (t1 - t0) if t1 > t0 else pw)
        return f"{x:.1f},{TOP + ph * (hi - v) / (hi - lo):.1f}"

    path, pen = [], "M"
    for t, v in points:
        if v is None:
            pen = "M"
            continue
        path.append(f"{pen}{xy(t, v)}")
        pen = "L"
    x_last, y_last = xy(*known[-1]).split(",")
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<line class="axis" x1="{LEFT}" y1="{TOP + ph}" x2="{W - RIGHT}" y2="{TOP + ph}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{hi:,}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + ph}" text-anchor="end">{lo:,}</text>',
        f'<text x="{LEFT}" y="{H - 8}">{_day(t0)}</text>',
        f'<text x="{W - RIGHT}" y="{H - 8}" text-anchor="end">{_day(t1)}</text>',
    ]
    if len(known) > 1:
        parts.append(f'<path class="line" d="{" ".join(path)}"/>')
    parts.append(f'<circle class="dot" cx="{x_last}" cy="{y_last}" r="3.5"/>')
    return "".join(parts) + "</svg>"


def _title(track: TrackInfo) -> str:
    name = escape(track.title or track.urn)
    url = track.permalink_url
    return f'<a href="{escape(url)}">{name}</a>' if url.startswith("https://") else name


def _track_section(s: Series, metric: int, since: float) -> str:
    cells = "".join(f"<td>{_num(v)}</td>" for v in s.counts[-1])
    changes = "".join(f"<td>{_signed(s.change(metric, p))}</td>" for _, p in PERIODS)
    points = s.points(metric, since)
    name = METRICS[metric]
    drawn = (
        chart(points, f"{name} of {s.track.title or s.track.urn}")
        if any(v is not None for _, v in points)
        else f'<p class="muted">{name}: hidden (quiet mode)</p>'
    )
    return (
        f'<section class="track" data-urn="{escape(s.track.urn)}"><h2>{_title(s.track)}</h2>'
        f"<table><tr>{''.join(f'<th>{m}</th>' for m in METRICS)}"
        f"{''.join(f'<th>{name} +{p}</th>' for p, _ in PERIODS)}</tr>"
        f"<tr>{cells}{changes}</tr></table>{drawn}</section>"
    )


def _totals_section(series: list[Series], metric: int, since: float) -> str:
    latest = [
        sum(s.counts[-1][i] or 0 for s in series) if series else 0 for i in range(len(METRICS))
    ]
    curve: list[tuple[float, int | None]] = list(totals(series, metric, since))
    drawn = chart(curve, f"{METRICS[metric]} of all tracks") if curve else ""
    whole = Series(TrackInfo("all"), [t for t, _ in curve], [(v,) for _, v in curve])
    changes = [whole.change(0, p) if curve else None for _, p in PERIODS]
    head = "".join(f"<th>{m}</th>" for m in METRICS)
    head += "".join(f"<th>{METRICS[metric]} +{p}</th>" for p, _ in PERIODS)
    cells = "".join(f"<td>{v:,}</td>" for v in latest)
    cells += "".join(f"<td>{_signed(c)}</td>" for c in changes)
    return (
        f'<section class="totals"><h2>All {len(series)} tracks</h2>'
        f"<table><tr>{head}</tr><tr>{cells}</tr></table>{drawn}</section>"
    )


def check_target(path: Path) -> None:
    """The page may replace a page, never another kind of file (a typo would lose it)."""
    try:
        if not path.parent.is_dir():  # a typo in the folder: make none
            raise UsageError(f"cannot write the report to {path}: no folder {path.parent}")
        if not path.exists():
            return
        if not path.is_file():
            raise UsageError(f"cannot write the report to {path}: not a regular file")
        with path.open("rb") as f:
            head = f.read(64).lstrip().lower()
    except OSError as e:
        raise UsageError(f"cannot write the report to {path}: {e.strerror or e}") from None
    if head and not head.startswith((b"<!doctype html", b"<html")):
        raise UsageError(
            f"{path} is not an HTML page: not overwriting it",
            hint="give the report a new file name, or a .html file to replace",
        )


def build_report(series: list[Series], metric: int, since: float, now: float) -> str:
    """The whole page, tracks with the most of `metric` first."""
    name = METRICS[metric]
    ordered = sorted(series, key=lambda s: -(s.counts[-1][metric] or 0))
    body = [
        f"<h1>{name.title()} over time</h1>",
        f'<p class="meta">Since {_day(since)}; made {iso(now)} by sc stats report. '
        "Hidden counts (quiet mode) are left out of the totals.</p>",
        _totals_section(series, metric, since),
        *(_track_section(s, metric, since) for s in ordered),
    ]
    if not series:
        body.append('<p class="muted">No snapshots in this period: run sc stats snapshot.</p>')
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="color-scheme" content="light dark">'
        f"<title>{name.title()} over time</title><style>{STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
