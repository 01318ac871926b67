"""Progress on stderr when it is a terminal, and nothing at all when it is not."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sccli.cli.context import AppContext


def _console(sc: AppContext) -> Any:
    from rich.console import Console

    return Console(
        file=sc.streams.stderr,
        force_terminal=True,
        no_color=bool(sc.env.environ.get("NO_COLOR")),
    )


@contextlib.contextmanager
def byte_progress(
    sc: AppContext, total: int, label: str
) -> Iterator[Callable[[int, int], None] | None]:
    if not sc.streams.stderr_tty:
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from sccli.render import safe_text

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=_console(sc),
        transient=True,
    ) as bar:
        task = bar.add_task(safe_text(label).replace("[", "\\["), total=total)
        yield lambda done, _total: bar.update(task, completed=min(done, total))


@contextlib.contextmanager
def spinner(sc: AppContext, label: str) -> Iterator[Callable[[str], None] | None]:
    if not sc.streams.stderr_tty:
        yield None
        return
    with _console(sc).status(label) as status:
        yield lambda state: status.update(f"{label}: {state}")


@contextlib.contextmanager
def step_progress(sc: AppContext) -> Iterator[tuple[Callable[[str], None], Any]]:
    """For a command of several steps and uploads (`release push`): a log for each finished
    step, and a factory of upload bars. On a terminal: a bar per upload under an overall one,
    the steps printed above them; elsewhere one line per finished step and no bars."""
    if not sc.streams.stderr_tty:
        yield sc.info, None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from sccli.render import safe_text

    def label(text: str) -> str:
        return safe_text(text).replace("[", "\\[")

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        console=_console(sc),
        transient=True,
    ) as bars:
        overall = bars.add_task("all uploads", total=0)
        lock = threading.Lock()

        @contextlib.contextmanager
        def upload(name: str, size: int) -> Iterator[Callable[[int, int], None]]:
            task = bars.add_task(label(name), total=size)
            with lock:
                bars.update(overall, total=(bars.tasks[overall].total or 0) + size)
            seen = [0]

            def tick(done: int, _total: int) -> None:
                with lock:
                    bars.update(task, completed=min(done, size))
                    bars.advance(overall, max(min(done, size) - seen[0], 0))
                    seen[0] = max(seen[0], min(done, size))

            try:
                yield tick
            finally:
                bars.remove_task(task)

        yield (lambda line: bars.console.print(label(sc.scrub(line)), highlight=False)), upload
