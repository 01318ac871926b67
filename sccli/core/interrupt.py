"""Ctrl-C held over steps that must end whole: the first one is noted and acted on once the
step in flight has its answer (a write cut off may still land on the server, unseen); a second
one interrupts at once."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from types import FrameType


class Held:
    def __init__(self, note: Callable[[], None]):
        self.pending = False
        self._note = note

    def handler(self, _signum: int, _frame: FrameType | None) -> None:
        if self.pending:
            raise KeyboardInterrupt  # asked twice: at once
        self.pending = True
        self._note()

    def check(self) -> None:
        """Raise the noted Ctrl-C, now that the step in flight is over."""
        if self.pending:
            raise KeyboardInterrupt


@contextmanager
def held_interrupt(note: Callable[[], None]) -> Iterator[Held]:
    """Hold SIGINT in this block (only the main thread can; a SIGINT ignored stays ignored)."""
    held = Held(note)
    previous = None
    if threading.current_thread() is threading.main_thread():
        current = signal.getsignal(signal.SIGINT)
        if current is not signal.SIG_IGN:
            previous = signal.signal(signal.SIGINT, held.handler)
    try:
        yield held
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


# Ctrl-C reaches only the main thread. While worker threads send or receive a body, this is
# how they hear of it: each checks between blocks and stops (an upload cut off mid-body is
# never created by the server; one whose body was all sent waits for its answer).
CANCEL = threading.Event()


class Cancelled(KeyboardInterrupt):
    """A transfer stopped between blocks, because Ctrl-C was pressed while it ran in a worker."""


def check_cancel() -> None:
    if CANCEL.is_set():
        raise Cancelled


@contextmanager
def workers_stop_on_interrupt(pool: Executor) -> Iterator[None]:
    """Around work handed to `pool`: on Ctrl-C (or the work's consumer going away), tell the
    transfers in flight to stop, drop what has not begun, and wait for the workers."""
    CANCEL.clear()
    try:
        yield
    except (KeyboardInterrupt, GeneratorExit):
        CANCEL.set()
        pool.shutdown(wait=True, cancel_futures=True)
        CANCEL.clear()
        raise
