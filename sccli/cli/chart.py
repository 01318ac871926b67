"""`sc stats show --plot`: a line chart in the terminal, drawn by plotext (imported here only,
since it costs a command a few tenths of a second to load)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sccli.cli.context import AppContext
    from sccli.core.stats.series import Series

MAX_LINES = 6  # more lines than this are a tangle: the tracks with the highest counts win
HEIGHT = 20


def _width(sc: AppContext) -> int:
    try:
        width = int(sc.env.environ.get("COLUMNS") or 0)
    except ValueError:
        width = 0
    return min(max(width or 100, 40), 240)


def _form(times: list[float]) -> str:
    """Dates alone over days; hours too within a couple of days."""
    return "%Y-%m-%d" if max(times) - min(times) > 2 * 86400 else "%m-%d %H:%M"


def plot_series(sc: AppContext, chosen: list[Series], metric: int, since: float) -> None:
    """One line per track (hidden counts left out) of `metric` since `since`, on stdout."""
    import plotext

    from sccli.core.stats import METRICS
    from sccli.render import safe_text

    lines = [(s, [(t, v) for t, v in s.points(metric, since) if v is not None]) for s in chosen]
    lines = [(s, pts) for s, pts in lines if pts]
    if len(lines) > MAX_LINES:
        lines.sort(key=lambda x: -x[1][-1][1])
        sc.info(f"drawing the {MAX_LINES} tracks with the most {METRICS[metric]} of {len(lines)}")
        lines = lines[:MAX_LINES]
    if not lines:
        sc.info(f"no {METRICS[metric]} to draw: every count is hidden")
        return
    form = _form([t for _, pts in lines for t, _ in pts])
    # Tracks with 200 and 200,000 plays share no useful scale: several lines show what each
    # gained since its first point, one line its counts.
    gains = len(lines) > 1
    what = f"{METRICS[metric]} gained" if gains else METRICS[metric]
    fig = plotext.figure
    fig.clear.all()  # plotext keeps one figure per process: start from nothing
    fig.plot_size(_width(sc), HEIGHT)
    fig.title(f"{what} since {datetime.fromtimestamp(since, timezone.utc):%Y-%m-%d}")
    fig.date(0).activate(form=form)
    for s, pts in lines:
        xs = [datetime.fromtimestamp(t, timezone.utc).strftime(form) for t, _ in pts]
        base = pts[0][1] if gains else 0
        label = safe_text(s.track.title or s.track.urn)[:40]
        fig.draw(fig.signal(xs, [v - base for _, v in pts]).label(label).lines())
    color = sc.out.is_tty and not sc.env.environ.get("NO_COLOR")
    sc.streams.stdout.write(fig.build().string(colorless=not color) + "\n")
    sc.streams.stdout.flush()
