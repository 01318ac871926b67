"""Progress on stderr when it is a terminal, and nothing at all when it is not."""

from __future__ import annotations

import contextlib
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
