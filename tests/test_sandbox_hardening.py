"""The sandbox holds up: parallel writes all land, bad input gets the API's JSON 4xx, its
controls answer this machine only, a slow client cannot hold a thread, reset waits for the
server, WAV durations come from the header, and it seeds 20,000 tracks quickly."""

from __future__ import annotations

import socket
import struct
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from conftest import SC_CMD, base_env
from test_auth import free_port

from sccli.sandbox.server import SandboxServer

TRACK = "soundcloud:tracks:300010"


@pytest.fixture
def user(sandbox):
    """(base url, headers) for sandbox-user."""
    token = sandbox.user_token()["access_token"]
    return sandbox.url, {"Authorization": f"OAuth {token}"}


def wav_bytes(
    seconds: float, rate: int = 8000, marker: int = 0, extra_chunk: bool = False
) -> bytes:
    """8-bit mono PCM; `marker` makes each file's samples differ; optionally a LIST chunk first."""
    data = bytes((marker + i) % 256 for i in range(int(seconds * rate)))
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)
    chunks = fmt + (b"LIST" + struct.pack("<I", 5) + b"INFOx\x00" if extra_chunk else b"")
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def upload(url, headers, title, content: bytes):
    return requests.post(
        url + "/tracks",
        headers=headers,
        data={"track[title]": title},
        files={"track[asset_data]": (f"{title}.wav", content, "audio/wav")},
        timeout=30,
    )


def in_parallel(n: int, fn):
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(fn, range(n)))


# -- concurrency ---------------------------------------------------------------------------------
def test_fifty_parallel_comments_all_count(user):
    url, headers = user
    before = requests.get(f"{url}/tracks/{TRACK}", headers=headers, timeout=10).json()

    def post(i):
        body = {"comment": {"body": f"parallel {i}"}}
        return requests.post(
            f"{url}/tracks/{TRACK}/comments", json=body, headers=headers, timeout=30
        ).status_code

    assert in_parallel(50, post) == [201] * 50
    after = requests.get(f"{url}/tracks/{TRACK}", headers=headers, timeout=10).json()
    assert after["comment_count"] == before["comment_count"] + 50
    listed = requests.get(
        f"{url}/tracks/{TRACK}/comments",
        params={"limit": 200, "linked_partitioning": "true"},
        headers=headers,
        timeout=10,
    ).json()["collection"]
    assert sorted(c["body"] for c in listed if c["body"].startswith("parallel ")) == sorted(
        f"parallel {i}" for i in range(50)
    )


def test_twenty_parallel_set_creates_make_twenty_sets(user):
    url, headers = user

    def create(i):
        body = {"playlist": {"title": f"Parallel set {i}", "tracks": [{"urn": TRACK}]}}
        return requests.post(f"{url}/playlists", json=body, headers=headers, timeout=30)

    made = in_parallel(20, create)
    assert [r.status_code for r in made] == [201] * 20, [r.text for r in made]
    assert len({r.json()["urn"] for r in made}) == 20
    mine = requests.get(
        f"{url}/me/playlists",
        params={"limit": 200, "linked_partitioning": "true", "show_tracks": "false"},
        headers=headers,
        timeout=10,
    ).json()["collection"]
    assert sum(p["title"].startswith("Parallel set ") for p in mine) == 20


def test_ten_parallel_uploads_each_keep_their_own_audio(user):
    url, headers = user
    contents = [wav_bytes(0.5, marker=i) for i in range(10)]
    made = in_parallel(10, lambda i: upload(url, headers, f"parallel-{i}", contents[i]))
    assert [r.status_code for r in made] == [201] * 10, [r.text for r in made]
    tracks = [r.json() for r in made]
    assert len({t["id"] for t in tracks}) == 10
    for i, t in enumerate(tracks):
        assert t["title"] == f"parallel-{i}"
        audio = requests.get(f"{url}/cdn/{t['id']}/hls_mp3_128", timeout=10)
        assert audio.content == contents[i], f"track {i} serves another upload's audio"


def test_ids_of_deleted_tracks_and_sets_are_never_reused(user):
    url, headers = user
    first = upload(url, headers, "gone", wav_bytes(0.2)).json()
    assert requests.delete(f"{url}/tracks/{first['urn']}", headers=headers, timeout=10).ok
    second = upload(url, headers, "next", wav_bytes(0.2)).json()
    assert second["id"] > first["id"]
    body = {"playlist": {"title": "Gone set"}}
    set1 = requests.post(f"{url}/playlists", json=body, headers=headers, timeout=10).json()
    assert requests.delete(f"{url}/playlists/{set1['urn']}", headers=headers, timeout=10).ok
    set2 = requests.post(f"{url}/playlists", json=body, headers=headers, timeout=10).json()
    assert set2["id"] > set1["id"]


# -- bad input: the API's JSON 4xx, never an HTML 500 -------------------------------------------------
def multipart_without_a_name(field: str) -> tuple[bytes, str]:
    body = (
        b'--x\r\nContent-Disposition: form-data; name="' + field.encode() + b'"\r\n\r\nT\r\n'
        b"--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--x--\r\n"
    )
    return body, "multipart/form-data; boundary=x"


BIG = "1" + "0" * 25
CALLBACK = "http://127.0.0.1:5000/callback"
AUTHORIZE = {
    "client_id": "sandbox",
    "response_type": "code",
    "code_challenge": "A" * 43,
    "code_challenge_method": "S256",
}
BAD = {
    "huge track id": ("GET", f"/tracks/{BIG}", {}),
    "huge user urn": ("GET", f"/users/soundcloud:users:{BIG}", {}),
    "huge cdn id": ("GET", f"/cdn/{BIG}/hls_mp3_128", {}),
    "null urn in a set": (
        "POST",
        "/playlists",
        {"json": {"playlist": {"title": "x", "tracks": [{"urn": None}]}}},
    ),
    "infinite comment timestamp": (
        "POST",
        f"/tracks/{TRACK}/comments",
        {
            "data": '{"comment": {"body": "x", "timestamp": 1e400}}',
            "headers": {"Content-Type": "application/json"},
        },
    ),
    "resolve a bracket": ("GET", "/resolve", {"params": {"url": "["}}),
    "resolve a bad port": (
        "GET",
        "/resolve",
        {"params": {"url": "https://soundcloud.com:99999/a"}},
    ),
    "upload part without a name": ("POST", "/tracks", {"raw": "track[title]"}),
    "set part without a name": ("POST", "/playlists", {"raw": "playlist[title]"}),
    "limit of 5000 digits": ("GET", "/tracks", {"params": {"limit": "9" * 5000}}),
    "garbage cursor": ("GET", "/tracks", {"params": {"cursor": "!!", "linked_partitioning": 1}}),
    "config not a number": ("POST", "/_sandbox/config", {"json": {"follow_limit": "many"}}),
    "config infinite": (
        "POST",
        "/_sandbox/config",
        {"data": '{"token_lifetime": 1e400}', "headers": {"Content-Type": "application/json"}},
    ),
    "config unknown": ("POST", "/_sandbox/config", {"json": {"nope": 1}}),
    "fault of the wrong type": ("POST", "/_sandbox/faults", {"json": {"status": "x"}}),
    "fault with a negative delay": ("POST", "/_sandbox/faults", {"json": {"delay": -1}}),
    "redirect uri with a newline": (
        "GET",
        "/authorize",
        {"params": {**AUTHORIZE, "redirect_uri": CALLBACK + "\n"}},
    ),
    "redirect uri on port 99999": (
        "GET",
        "/authorize",
        {"params": {**AUTHORIZE, "redirect_uri": "http://127.0.0.1:99999/callback"}},
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gets_the_apis_json_4xx(user, case):
    url, headers = user
    method, path, kw = BAD[case]
    kw = dict(kw)
    if "raw" in kw:
        body, ctype = multipart_without_a_name(kw.pop("raw"))
        kw.update(data=body, headers={"Content-Type": ctype})
    kw["headers"] = {**headers, **kw.get("headers", {})}
    r = requests.request(method, url + path, timeout=10, allow_redirects=False, **kw)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert r.headers["Content-Type"].startswith("application/json"), r.text[:300]
    body = r.json()
    assert body["code"] == r.status_code and body["message"]


def test_an_unexpected_failure_is_a_json_500(sandbox, user, monkeypatch):
    url, headers = user

    def broken(uid):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sandbox.server.app.store, "user", broken)
    r = requests.get(url + "/me", headers=headers, timeout=10)
    assert r.status_code == 500
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["code"] == 500 and "disk on fire" not in r.text


# -- controls answer this machine only --------------------------------------------------------------
def test_controls_check_the_host_header(sandbox):
    port = sandbox.server.port
    for host, status in (
        (f"127.0.0.1:{port}", 200),
        (f"localhost:{port}", 200),
        ("localhost", 200),
        ("rebound.example", 403),
        (f"rebound.example:{port}", 403),
        (f"127.0.0.1.rebound.example:{port}", 403),
    ):
        r = requests.get(sandbox.url + "/_sandbox/stats", headers={"Host": host}, timeout=10)
        assert r.status_code == status, (host, r.text)
        if status == 403:
            assert r.json()["code"] == 403
    # The API itself does not care which name it is reached by.
    r = requests.get(sandbox.url + "/me", headers={"Host": "rebound.example"}, timeout=10)
    assert r.status_code == 401


def test_control_posts_need_a_json_content_type(sandbox):
    body = '{"path": "/tracks/soundcloud:tracks:300010", "status": 503, "times": 2}'
    for ctype in ("application/x-www-form-urlencoded", "text/plain", None):
        headers = {"Content-Type": ctype} if ctype else {}
        r = requests.post(sandbox.url + "/_sandbox/faults", data=body, headers=headers, timeout=10)
        assert r.status_code == 415 and r.json()["code"] == 415, ctype
    assert requests.get(sandbox.url + "/_sandbox/faults", timeout=10).json()["faults"] == []
    r = requests.post(
        sandbox.url + "/_sandbox/faults",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert r.status_code == 200 and r.json()["faults"][0]["times"] == 2


def test_controls_refuse_a_client_from_another_machine(sandbox):
    from werkzeug.test import Client

    client = Client(sandbox.server.app)
    remote = {"REMOTE_ADDR": "192.0.2.7"}
    r = client.get("/_sandbox/secrets", environ_base=remote, headers={"Host": "127.0.0.1"})
    assert r.status_code == 403 and r.json["code"] == 403
    assert "secrets" not in r.json
    assert client.get("/me", environ_base=remote).status_code == 401  # the API still answers
    local = client.get("/_sandbox/stats", environ_base={"REMOTE_ADDR": "::1"})
    assert local.status_code == 200


# -- slow clients -----------------------------------------------------------------------------------
def test_a_stalled_request_body_frees_its_thread(tmp_path):
    server = SandboxServer(tmp_path / "state", request_timeout=0.5).start()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
            s.sendall(
                b"POST /tracks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: OAuth x\r\n"
                b"Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n"
                + b"x"
                * 10
            )
            start = time.monotonic()
            answer = s.recv(65536)  # an answer, or the connection closed: either frees it
            waited = time.monotonic() - start
        assert waited < 5, waited
        assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:100]
        assert requests.get(server.url + "/_sandbox/stats", timeout=10).status_code == 200
    finally:
        server.stop()


# -- audio ------------------------------------------------------------------------------------------
def test_a_wavs_duration_comes_from_its_header(user):
    url, headers = user
    # 1.5 s of 8 kHz 8-bit mono is 12,000 bytes: bytes/16 would say 750 ms (or the 1 s floor).
    r = upload(url, headers, "timed", wav_bytes(1.5, extra_chunk=True))
    assert r.status_code == 201, r.text
    assert r.json()["duration"] == 1500


# -- sc sandbox serve / reset -----------------------------------------------------------------------
def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("error: ") and "Traceback" not in stderr, stderr
    return lines[0]


def test_reset_refuses_while_a_server_uses_the_state(home, tmp_path):
    data = tmp_path / "state"
    server = SandboxServer(data).start()
    try:
        r = subprocess.run(
            SC_CMD + ["sandbox", "reset", "--data", str(data)],
            env=base_env(home),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 1, r.stderr
        assert "in use" in one_line(r.stderr)
        assert (data / "sandbox.db").exists()
        assert requests.get(server.url + "/_sandbox/stats", timeout=10).status_code == 200
    finally:
        server.stop()
    r = subprocess.run(
        SC_CMD + ["sandbox", "reset", "--data", str(data)],
        env=base_env(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert not data.exists()


def test_serve_on_a_port_in_use_is_one_line_and_exit_2(home, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = subprocess.run(
            SC_CMD + ["sandbox", "serve", "--port", str(port), "--data", str(tmp_path / "s")],
            env=base_env(home),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert r.returncode == 2, r.stderr
    assert "cannot listen" in one_line(r.stderr)


def test_serve_on_another_host_needs_public_and_warns(home, tmp_path):
    data = str(tmp_path / "s")
    r = subprocess.run(
        SC_CMD + ["sandbox", "serve", "--host", "0.0.0.0", "--port", "0", "--data", data],
        env=base_env(home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "--public" in r.stderr, r.stderr
    assert "not loopback" in one_line(r.stderr)
    port = free_port()
    proc = subprocess.Popen(
        SC_CMD
        + ["sandbox", "serve", "--host", "0.0.0.0", "--public", "--port", str(port)]
        + ["--data", data, "--seed-tracks", "12"],
        env=base_env(home),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        warning = proc.stderr.readline()
        assert warning.startswith("warning: ") and "0.0.0.0" in warning, warning
        r = requests.post(
            f"http://127.0.0.1:{port}/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox", "sandbox-secret"),
            timeout=10,
        )
        token = r.json()["access_token"]
        found = requests.get(
            f"http://127.0.0.1:{port}/tracks",
            params={"access": "playable,preview,blocked", "limit": 200},
            headers={"Authorization": f"OAuth {token}"},
            timeout=10,
        ).json()
        assert len(found) == 12
    finally:
        proc.terminate()
        proc.wait(30)


def test_thousands_of_tracks_seed_and_page_to_the_end(tmp_path):
    """--seed-tracks at scale (bench/search_memory.py pages through 20,000 the same way)."""
    start = time.monotonic()
    server = SandboxServer(tmp_path / "big", seed_tracks=5000).start()
    seeded = time.monotonic() - start
    try:
        assert seeded < 10, f"seeding 5,000 tracks took {seeded:.1f}s"
        r = requests.post(
            server.url + "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox", "sandbox-secret"),
            timeout=10,
        )
        headers = {"Authorization": f"OAuth {r.json()['access_token']}"}
        params = {"access": "playable,preview,blocked", "limit": 200, "linked_partitioning": 1}
        url: str | None = server.url + "/tracks"
        seen = 0
        while url:
            page = requests.get(url, params=params, headers=headers, timeout=30).json()
            params = None
            seen += len(page["collection"])
            url = page.get("next_href")
        assert seen == 5000
    finally:
        server.stop()
