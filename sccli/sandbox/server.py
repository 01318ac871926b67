"""Serving the sandbox: a threaded werkzeug server, standalone or in a background thread."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from sccli.sandbox.app import Sandbox


class _QuietHandler(WSGIRequestHandler):
    # HTTP/1.1 keep-alive, as the real API speaks it.
    protocol_version = "HTTP/1.1"

    def log_request(self, code="-", size="-"):
        # URLs can carry an authorization code: log method, path and status only.
        if self.server.log_requests:  # type: ignore[attr-defined]
            path = self.path.split("?", 1)[0]
            logging.getLogger("sccli.sandbox").info("%s %s %s", self.command, path, code)


class SandboxServer:
    def __init__(
        self,
        data_dir: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        redirect_uri: str | None = None,
        log_requests: bool = False,
    ):
        self.app = Sandbox(data_dir, redirect_uri=redirect_uri)
        self.httpd: BaseWSGIServer = make_server(
            host, port, self.app, threaded=True, request_handler=_QuietHandler
        )
        self.httpd.log_requests = log_requests  # type: ignore[attr-defined]
        self.host = host
        self.port = self.httpd.server_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> SandboxServer:
        # A short poll interval: stop() returns in 50 ms, not 500 (a test suite stops it often).
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.05,), name="sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
