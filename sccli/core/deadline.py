"""A total deadline for one HTTP exchange: connect, send and read, however slowly bytes come.

requests' timeouts bound each socket operation, so a server that trickles a byte every few
seconds never trips them and holds `sc` for as long as it likes. Here the connections of sc's
session register their socket with the exchange running on their thread; when its deadline
passes, a timer shuts the socket down, which wakes the blocked send or receive at once, and the
Client reports a timeout (exit 6). Nothing is left running behind: the socket is dead.
"""

from __future__ import annotations

import contextlib
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
        self._at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(self._at - time.monotonic(), 0.0)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(sock)
            else:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> Deadline:
        _running.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _running.deadline = None


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
