"""Unit tests of the Client (DESIGN: unit tests per module), against a scripted HTTP server on
127.0.0.1: the header, one refresh after a 401, retries of what is safe to repeat only,
pagination and its loop detection."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sccli.core.client import Client, RetryPolicy
from sccli.core.config import Settings


class Script:
    """Answers in order per path: (status, body); the last one repeats. Records requests."""

    def __init__(self):
        self.answers: dict[str, list[tuple[int, object]]] = {}
        self.seen: list[tuple[str, str, str | None]] = []

    def answer(self, method: str, path: str) -> tuple[int, object]:
        queue = self.answers.get(f"{method} {path}") or [(404, {"error": "no script"})]
        return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):  # quiet
            pass

        def _any(self):
            path = self.path.split("?")[0]
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            script.seen.append((self.command, self.path, self.headers.get("Authorization")))
            status, body = script.answer(self.command, path)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _any

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    script.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield script
    httpd.shutdown()
    httpd.server_close()


class Tokens:
    def __init__(self):
        self.current, self.refreshed = "tok-aaaaaaaaaaaa", 0

    def token(self) -> str:
        return self.current

    def refresh_after_401(self, rejected: str) -> str | None:
        self.refreshed += 1
        self.current = "tok-bbbbbbbbbbbb"
        return self.current


def client(server, tokens=None) -> Client:
    settings = Settings(api_url=server.url, auth_url=server.url)
    retry = RetryPolicy(attempts=3, base=0.001, cap=0.002)
    return Client(settings, tokens, retry=retry, sleep=lambda s: None)


def test_i16_21_client_sends_the_token_and_refreshes_once_after_a_401(server):
    server.answers["GET /me"] = [(401, {"error": "expired"}), (200, {"username": "me"})]
    tokens = Tokens()
    assert client(server, tokens).get("/me") == {"username": "me"}
    assert [h for _, _, h in server.seen] == ["OAuth tok-aaaaaaaaaaaa", "OAuth tok-bbbbbbbbbbbb"]
    assert tokens.refreshed == 1


def test_i16_21_client_without_tokens_sends_no_header(server):
    server.answers["GET /tracks"] = [(200, {"collection": []})]
    client(server).get("/tracks")
    assert server.seen[0][2] is None


def test_i16_21_client_retries_a_read_but_never_a_write(server):
    from sccli.core.errors import ServerError

    server.answers["GET /t"] = [(503, {}), (200, {"ok": 1})]
    assert client(server).get("/t") == {"ok": 1}
    server.answers["POST /t"] = [(503, {}), (201, {"ok": 1})]
    with pytest.raises(ServerError):
        client(server).request("POST", "/t", json={})
    assert [m for m, _, _ in server.seen].count("POST") == 1


def test_i16_21_client_follows_pages_and_stops_on_a_loop(server):
    from sccli.core.errors import ApiError

    nxt = f"{server.url}/items?cursor=2"
    server.answers["GET /items"] = [
        (200, {"collection": [{"n": 1}], "next_href": nxt}),
        (200, {"collection": [{"n": 2}], "next_href": None}),
    ]
    assert [x["n"] for x in client(server).paginate("/items")] == [1, 2]
    server.answers["GET /loop"] = [
        (200, {"collection": [{"n": 1}], "next_href": server.url + "/loop"})
    ]
    with pytest.raises(ApiError):
        list(client(server).paginate("/loop"))
