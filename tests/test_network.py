"""Hostile servers on loopback: each misbehaviour ends in one line on stderr and the documented
exit code, never a traceback and never a hang (issue #9, items 12 and 13 and the edges)."""

from __future__ import annotations

import socket
import socketserver
import subprocess
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from audio import make_wav
from conftest import base_env, run_inprocess, sandbox_env

# A behaviour answers one request: it gets the request line and the connection's socket.
Behaviour = Callable[[str, socket.socket], None]
LIMIT = 8.0  # seconds any hostile answer may last at most: the servers stop by themselves


class Hostile:
    def __init__(self, behave: Behaviour):
        self.behave = behave
        self.requests: list[str] = []
        self.heads: list[str] = []  # each request's line and headers, for behaviours that read them
        hostile = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(LIMIT)
                try:
                    while True:  # keep-alive: one request after another on this connection
                        head = _read_head(self.request)
                        if not head:
                            return
                        line = head.split("\r\n", 1)[0]
                        hostile.requests.append(line)
                        hostile.heads.append(head)
                        hostile.behave(line, self.request)
                except OSError:
                    return

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _read_head(sock: socket.socket) -> str:
    """The request line and headers; a body (Content-Length) is read and dropped."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return ""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    text = head.decode("latin-1")
    length = 0
    for h in text.split("\r\n")[1:]:
        name, _, value = h.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return text


@pytest.fixture
def hostile() -> Iterator[Callable[[Behaviour], Hostile]]:
    made: list[Hostile] = []

    def make(behave: Behaviour) -> Hostile:
        made.append(Hostile(behave))
        return made[-1]

    yield make
    for h in made:
        h.stop()


@pytest.fixture
def sc(home):
    """`sc` in-process, with no sandbox: each test points it at its own hostile server."""

    def run(*args: str, env: dict | None = None):
        return run_inprocess(list(args), {**base_env(home), **(env or {})}, None)

    return run


def answer(status: str, body: bytes, ctype: str = "application/json", extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
    return (head + extra + "\r\n").encode() + body


def at(server: Hostile, **env: str) -> dict:
    return {"SC_API_URL": server.url, "SC_ACCESS_TOKEN": "x", **env}


def one_line(r) -> str:
    """The run's error line: exactly one, maybe with a hint, never a traceback."""
    assert "Traceback" not in r.stderr, r
    lines = [x for x in r.stderr.splitlines() if x.strip() and not x.startswith("hint: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), r
    return lines[0]


# -- item 12: a redirect loop ends -------------------------------------------------------------


def test_a_redirect_loop_stops_after_10_with_exit_6(sc, hostile):
    def loop(line: str, sock: socket.socket) -> None:
        server_seen = len(server.requests)
        if server_seen > 50:  # sc is not stopping: end it here, as a failure
            sock.sendall(answer("200 OK", b'{"collection": []}'))
        else:
            sock.sendall(answer("302 Found", b"", extra="Location: /again\r\n"))

    server = hostile(loop)
    r = sc("tracks", "search", "loop", "--json", env=at(server))
    assert r.code == 6, r
    assert "redirect" in one_line(r)
    assert len(server.requests) == 11  # the request and 10 redirects


# -- item 13: a total deadline, however slowly the bytes come -----------------------------------


def trickle(part: str) -> Behaviour:
    """Send an answer a byte every 0.2 s (for at most LIMIT seconds)."""

    def behave(line: str, sock: socket.socket) -> None:
        body = b'{"collection": [], "next_href": null}' + b" " * 200
        whole = answer("200 OK", body)
        cut = 0 if part == "headers" else whole.index(b"\r\n\r\n") + 4
        sock.sendall(whole[:cut])
        end = time.monotonic() + LIMIT
        for i in range(cut, len(whole)):
            if time.monotonic() > end:
                return
            sock.sendall(whole[i : i + 1])
            time.sleep(0.2)

    return behave


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_server_is_cut_off_at_the_deadline(sc, hostile, part):
    server = hostile(trickle(part))
    start = time.monotonic()
    r = sc("tracks", "search", "slow", "--json", env=at(server, SC_TIMEOUT="1"))
    took = time.monotonic() - start
    assert r.code == 6, r
    assert "within 1s" in one_line(r) and "SC_TIMEOUT" in r.stderr
    assert took < 4, f"took {took:.1f}s"
    assert len(server.requests) == 1  # a server that slow is not asked again


def test_an_upload_that_stalls_is_cut_off_and_reported_not_uploaded(sc, hostile, tmp_path):
    def stall_posts(line: str, sock: socket.socket) -> None:
        if line.startswith("POST"):
            time.sleep(LIMIT)  # takes the upload and never answers
        else:
            sock.sendall(answer("200 OK", b'{"collection": [], "next_href": null}'))

    server = hostile(stall_posts)
    audio = make_wav(tmp_path / "stalled.wav", seconds=0.2)
    start = time.monotonic()
    r = sc("tracks", "upload", str(audio), env=at(server, SC_TIMEOUT="1"))
    assert r.code == 6, r
    assert "not uploaded" in one_line(r)
    assert time.monotonic() - start < 5
    assert [x.split()[0] for x in server.requests].count("POST") == 1


def test_the_upload_deadline_grows_with_the_size():
    from sccli.core.client import Client
    from sccli.core.config import Settings
    from sccli.core.upload import upload_deadline

    client = Client(Settings(timeout=60))
    assert upload_deadline(client, 0) == 60
    assert upload_deadline(client, 256 * 1024 * 100) == 160  # 100 s at 256 KB/s on top


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan"])
def test_an_invalid_sc_timeout_is_a_usage_error(sc, value):
    r = sc("tracks", "search", "x", env={"SC_TIMEOUT": value})
    assert r.code == 2, r
    assert "SC_TIMEOUT" in one_line(r)


# -- answers that are not what the API sends ---------------------------------------------------

HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad</h1></body></html>"


def fixed(raw: bytes, close: bool = False) -> Behaviour:
    def behave(line: str, sock: socket.socket) -> None:
        sock.sendall(raw)
        if close:
            sock.shutdown(socket.SHUT_RDWR)

    return behave


ANY_READ = [["tracks", "search", "x"], ["tracks", "get", "123"]]
CASES = {
    "html-502": (fixed(answer("502 Bad Gateway", HTML, "text/html")), 1, "HTML page"),
    "html-404": (fixed(answer("404 Not Found", HTML, "text/html")), 3, "not found"),
    "html-429": (fixed(answer("429 Too Many Requests", HTML, "text/html")), 5, "rate limited"),
    "truncated": (
        fixed(answer("200 OK", b'{"collection": [')[:-3] + b"x", close=True),
        6,
        "dropped",
    ),
    "bad-json": (fixed(answer("200 OK", b'{"collection": [')), 1, "expected JSON"),
    "html-200": (fixed(answer("200 OK", HTML, "text/html")), 1, "expected JSON"),
    "empty-200": (fixed(answer("200 OK", b"")), 1, "empty answer"),
}
PAGES = {  # what only a listing can get wrong
    "collection-not-a-list": b'{"collection": 5}',
    "items-not-objects": b'{"collection": [1, "a", null]}',
    "next-href-not-a-url": b'{"collection": [], "next_href": 5}',
    "a-bare-number": b"5",
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("args", ANY_READ, ids=["search", "get"])
def test_a_strange_answer_is_one_line_and_the_documented_code(sc, hostile, case, args):
    behave, code, words = CASES[case]
    server = hostile(behave)
    r = sc(*args, "--json", env=at(server))
    assert r.code == code, r
    assert words.lower() in one_line(r).lower()


@pytest.mark.parametrize("case", sorted(PAGES))
def test_a_page_of_the_wrong_shape_is_an_api_error(sc, hostile, case):
    server = hostile(fixed(answer("200 OK", PAGES[case])))
    r = sc("tracks", "search", "x", "--all", "--json", env=at(server))
    assert r.code == 1, r
    assert "unexpected response" in one_line(r)


# -- item 14: the reader of stdout goes away ---------------------------------------------------


def sc_process(sandbox, home, *args: str) -> subprocess.Popen:
    from conftest import SC_CMD

    env = sandbox_env(sandbox, home, home / "app-token.json")
    return subprocess.Popen(
        SC_CMD + list(args),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def quiet_end(p: subprocess.Popen) -> None:
    err = p.stderr.read().decode() if p.stderr else ""
    code = p.wait(timeout=60)
    assert code in (0, 141), (code, err)
    assert err == "", err


def test_a_reader_that_leaves_after_one_line_ends_sc_quietly(sandbox, home):
    """`sc tracks search "" --all --ndjson | head -1`, with a real pipe."""
    p = sc_process(sandbox, home, "tracks", "search", "", "--all", "--ndjson")
    assert p.stdout is not None
    first = p.stdout.readline()
    p.stdout.close()  # the reader is gone; far more than a pipe's buffer is still to come
    assert first.strip(), first
    quiet_end(p)


@pytest.mark.parametrize("output", ["--json", "--table"])  # sc's own writes, and rich's
def test_a_reader_gone_before_the_first_byte_ends_sc_quietly(sandbox, home, output):
    """A small output, and no reader from the start: the first write or flush breaks."""
    p = sc_process(sandbox, home, "tracks", "get", "soundcloud:tracks:300009", output)
    assert p.stdout is not None
    p.stdout.close()
    quiet_end(p)
