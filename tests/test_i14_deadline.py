"""Issue 14, item 19: every connection is under the total deadline, at any --jobs (above 10
the Client used to mount a plain adapter, and a trickling server held sc for ever)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from audio import make_wav
from conftest import base_env, run_inprocess
from test_network import Hostile, answer

pytestmark = pytest.mark.slow  # each case waits out real deadlines
TRICKLE_FOR = 40.0  # seconds the server trickles one answer: far past the deadline


def trickle_forever(line: str, sock: socket.socket) -> None:
    """Reads answer at once (an empty page; /me, a user); a write gets headers, then a byte a
    second of a body that would take TRICKLE_FOR seconds."""
    if line.startswith("GET"):
        me = b'{"urn": "soundcloud:users:1", "kind": "user", "id": 1, "username": "u"}'
        page = b'{"collection": [], "next_href": null}'
        sock.sendall(answer("200 OK", me if line.split()[1] == "/me" else page))
        return
    whole = answer("200 OK", b'{"collection": [], "next_href": null}' + b" " * 100)
    head = whole.index(b"\r\n\r\n") + 4
    sock.sendall(whole[:head])
    end = time.monotonic() + TRICKLE_FOR
    for i in range(head, len(whole)):
        if time.monotonic() > end:
            return
        sock.sendall(whole[i : i + 1])
        time.sleep(1.0)


@pytest.fixture
def slow_server():
    server = Hostile(trickle_forever)
    yield server
    server.stop()


def timed(home, url, args):
    env = {**base_env(home), "SC_API_URL": url, "SC_ACCESS_TOKEN": "x", "SC_TIMEOUT": "2"}
    out: dict = {}

    def go() -> None:
        out["r"] = run_inprocess(args, env, None)

    start = time.monotonic()
    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(TRICKLE_FOR + 10)
    return out.get("r"), time.monotonic() - start


@pytest.mark.parametrize("jobs", ["2", "12", "16"])
def test_i14_19_deadline_at_any_jobs_for_uploads(home, tmp_path, slow_server, jobs):
    files = [str(make_wav(tmp_path / f"{i}.wav", seconds=0.1, rate=8000)) for i in range(3)]
    r, took = timed(home, slow_server.url, ["tracks", "upload", *files, "--jobs", jobs])
    assert r is not None and took < 20, f"--jobs {jobs} took {took:.0f}s"
    assert r.code in (1, 6), r
    assert "Traceback" not in r.stderr


def test_i14_19_deadline_at_any_jobs_for_release_push(home, tmp_path, slow_server):
    folder = tmp_path / "rel"
    folder.mkdir()
    lines = ["[release]", 'title = "Slow"']
    for i in range(3):
        make_wav(folder / f"{i}.wav", seconds=0.1 + i * 0.1, rate=8000)
        lines += ["[[track]]", f'file = "{i}.wav"', f'title = "T{i}"']
    (folder / "release.toml").write_text("\n".join(lines) + "\n")
    args = ["release", "push", str(folder / "release.toml"), "--jobs", "12"]
    r, took = timed(home, slow_server.url, args)
    assert r is not None and took < 20, f"took {took:.0f}s"
    assert r.code in (1, 6), r
