"""Progress on stderr when it is a terminal, and nothing at all when it is not."""

import contextlib


@contextlib.contextmanager
def byte_progress(sc, total: int, label: str):
    if not sc.stderr_tty:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done, _total: bar.update(task, completed=min(done, total))


@contextlib.contextmanager
def spinner(sc, label: str):
    if not sc.stderr_tty:
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status(label) as status:
        yield lambda state: status.update(f"{label}: {state}")
