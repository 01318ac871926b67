"""Serving the sandbox: a threaded werkzeug server, standalone or in a background thread."""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from sccli.sandbox.app import Sandbox
from sccli.sandbox.lock import DirLock

REQUEST_TIMEOUT = 30.0  # seconds a connection may sit idle mid-request before it is dropped


class StateBusy(RuntimeError):
    """The state directory is being reset by another process."""


class _QuietHandler(WSGIRequestHandler):
    # HTTP/1.1 keep-alive, as the real API speaks it.
    protocol_version = "HTTP/1.1"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # URLs can carry an authorization code: log method, path and status only.
        if self.server.log_requests:  # type: ignore[attr-defined]
            path = self.path.split("?", 1)[0]
            logging.getLogger("sccli.sandbox").info("%s %s %s", self.command, path, code)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket; raises OSError (werkzeug's own binding would print and exit)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


class SandboxServer:
    def __init__(
        self,
        data_dir: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        redirect_uri: str | None = None,
        log_requests: bool = False,
        seed_tracks: int | None = None,
        request_timeout: float = REQUEST_TIMEOUT,
    ):
        # A slow client cannot hold a server thread forever: every socket read has a deadline.
        handler = type("SandboxRequestHandler", (_QuietHandler,), {"timeout": request_timeout})
        self.lock = DirLock(data_dir)
        if not self.lock.acquire():
            raise StateBusy(f"{data_dir} is being reset; try again")
        try:
            sock = listen(host, port)  # OSError (the port is taken) before any state is touched
            with sock:
                self.app = Sandbox(data_dir, redirect_uri=redirect_uri, seed_tracks=seed_tracks)
                self.httpd: BaseWSGIServer = make_server(
                    host, port, self.app, threaded=True, request_handler=handler, fd=sock.fileno()
                )
        except BaseException:
            self.lock.release()
            raise
        self.httpd.log_requests = log_requests  # type: ignore[attr-defined]
        self.host = host
        self.port = self.httpd.port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SandboxServer:
        # A short poll interval: stop() (a test's teardown) then takes milliseconds, not 0.5 s.
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.02,), name="sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def close(self) -> None:
        """Stop listening and let go of the state directory."""
        self.httpd.server_close()
        self.app.store.db.close()
        self.lock.release()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.close()
