"""A total deadline for one HTTP exchange: connect, send and read, however slowly bytes come.

requests' timeouts bound each socket operation, so a server that trickles a byte every few
seconds never trips them and holds `sc` for as long as it likes. Here the connections of sc's
session register their socket with the exchange running on their thread; when its deadline
passes, a watchdog thread shuts the socket down, which wakes the blocked send or receive at
once, and the Client reports a timeout (exit 6). Nothing is left running behind: the socket is
dead.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sccli.core.errors import NetworkError

_running = threading.local()  # the Deadline of the exchange this thread is in, if any


class DeadlinePassed(NetworkError):
    """The exchange took longer than its deadline: not retried, since a server this slow
    would only hold sc for another full deadline."""


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self.at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(sock)
            else:
                self._sockets.append(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> Deadline:
        _running.deadline = self
        _WATCHDOG.add(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _WATCHDOG.discard(self)
        _running.deadline = None


class _Watchdog:
    """One thread per process expires every Deadline that is due (a thread per exchange
    would cost more than a small request to a near server)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._pending: set[Deadline] = set()
        self._thread: threading.Thread | None = None

    def add(self, deadline: Deadline) -> None:
        with self._cond:
            self._pending.add(deadline)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sc-deadline", daemon=True)
                self._thread.start()
            self._cond.notify()

    def discard(self, deadline: Deadline) -> None:
        with self._cond:
            self._pending.discard(deadline)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for due in [d for d in self._pending if d.at <= now]:
                    self._pending.discard(due)
                    due.expire()
                nearest = min((d.at for d in self._pending), default=None)
                self._cond.wait(None if nearest is None else nearest - now)


_WATCHDOG = _Watchdog()


def _after_fork() -> None:
    global _WATCHDOG
    _WATCHDOG = _Watchdog()  # the parent's thread (and maybe its held lock) did not come along


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for TLS: SSLSocket.shutdown would drop its SSL object
    # under the feet of the thread that is reading through it.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _register(conn: Any) -> None:
    deadline = getattr(_running, "deadline", None)
    sock = getattr(conn, "sock", None)
    if deadline is not None and isinstance(sock, socket.socket):
        deadline.watch(sock)


class _Watched:
    """Mixed into urllib3's connections: tell the running exchange which socket it uses."""

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        _register(self)

    def request(self, *args: Any, **kwargs: Any) -> Any:
        _register(self)  # a kept-alive connection, connected during an earlier exchange
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """requests' adapter, with pools whose connections a Deadline can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        return manager
