"""A tiny HTTP server on 127.0.0.1 in a thread, answering with whatever a test's function
returns: for answers the sandbox's fault controls cannot make (a 206 nobody asked for, a
/resolve of the wrong shape, NaN in a body)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

Answer = Callable[[Request], Response]


@contextmanager
def serving(answer: Answer) -> Iterator[str]:
    """Serve `answer` until the block ends; yields the base URL."""

    @Request.application
    def app(request: Request) -> Response:
        return answer(request)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def json_answer(body: str | bytes, status: int = 200, **headers: str) -> Response:
    return Response(body, status=status, headers=headers, content_type="application/json")
