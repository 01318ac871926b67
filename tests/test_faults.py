"""Faults injected by the sandbox end in the documented exit codes, with one readable line."""

TRACK = "soundcloud:tracks:300010"
ROUTE = "GET /tracks/<ref>"


def one_line_error(r):
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert lines and lines[0].startswith("error: "), r
    assert "Traceback" not in r.stderr
    return lines[0]


def test_503_twice_then_success(sc, sandbox):
    sandbox.fault(path=f"/tracks/{TRACK}", status=503, times=2)
    r = sc("tracks", "get", TRACK, "--json")
    assert r.code == 0, r
    assert r.json["urn"] == TRACK
    assert sandbox.count(ROUTE) == 3


def test_429_with_a_near_reset_waits_and_succeeds(sc, sandbox):
    sandbox.fault(path=f"/tracks/{TRACK}", status=429, reset_in=2)
    r = sc("tracks", "get", TRACK, "--json")
    assert r.code == 0, r
    assert max(r.slept) >= 1.0, r.slept  # it waited for the reset the server named
    assert sandbox.count(ROUTE) == 2


def test_429_with_a_far_reset_exits_5_and_says_when(sc, sandbox):
    sandbox.fault(path=f"/tracks/{TRACK}", status=429, reset_in=7200)
    r = sc("tracks", "get", TRACK)
    assert r.code == 5, r
    one_line_error(r)
    assert "UTC" in r.stderr and "in 1h" in r.stderr
    assert sandbox.count(ROUTE) == 1


def test_retry_after_header_is_honoured(sc, sandbox):
    sandbox.fault(path=f"/tracks/{TRACK}", status=429, retry_after=1, body="empty")
    r = sc("tracks", "get", TRACK, "--json")
    assert r.code == 0, r
    assert sandbox.count(ROUTE) == 2


def test_500_forever_exits_1_after_bounded_retries(sc, sandbox):
    sandbox.fault(path=f"/tracks/{TRACK}", status=500, times=-1)
    r = sc("tracks", "get", TRACK)
    assert r.code == 1, r
    assert "500" in one_line_error(r)
    assert 2 <= sandbox.count(ROUTE) <= 5


def test_html_502_page_is_readable(sc, sandbox):
    sandbox.fault(path=f"/tracks/{TRACK}", status=502, body="html", times=-1)
    r = sc("tracks", "get", TRACK)
    assert r.code == 1, r
    line = one_line_error(r)
    assert "502" in line and "HTML" in line and "<" not in line


def test_dropped_connection_exits_6(sc, sandbox):
    sandbox.fault(path=f"/tracks/{TRACK}", drop=True, times=-1)
    r = sc("tracks", "get", TRACK)
    assert r.code == 6, r
    assert "connection" in one_line_error(r)


def test_unreachable_server_exits_6(sc):
    r = sc(
        "tracks",
        "get",
        TRACK,
        env={"SC_API_URL": "http://127.0.0.1:9", "SC_ACCESS_TOKEN": "x" * 20},
    )
    assert r.code == 6, r
    assert "cannot connect" in one_line_error(r)


def test_404_exits_3(sc):
    r = sc("tracks", "get", "soundcloud:tracks:1")
    assert r.code == 3, r
    assert "not found" in one_line_error(r)


def test_no_token_exits_4_with_a_hint(sc, sandbox):
    r = sc("tracks", "search", "buskers", app=False)
    assert r.code == 4, r
    assert "not logged in" in one_line_error(r)
    assert "sc auth login" in r.stderr


def test_refused_token_exits_4(sc):
    r = sc(
        "tracks", "search", "buskers", app=False, env={"SC_ACCESS_TOKEN": "not-a-real-token-at-all"}
    )
    assert r.code == 4, r
    assert "SC_ACCESS_TOKEN" in r.stderr


def test_debug_shows_retries_but_no_secret(sc, sandbox):
    sandbox.fault(path=f"/tracks/{TRACK}", status=503, times=1)
    r = sc("--debug", "tracks", "get", TRACK, "--json")
    assert r.code == 0, r
    assert "503" in r.stderr and "retry" in r.stderr
    assert "Authorization: OAuth ***" in r.stderr
    for secret in sandbox.secrets():
        assert secret not in r.stderr


def test_repeated_next_href_stops_with_an_error(sc, sandbox):
    sandbox.fault(path="/tracks", method="GET", repeat_cursor=True, times=-1)
    r = sc("tracks", "search", "buskers", "--all", "--ndjson")
    assert r.code == 1, r
    assert "next_href" in one_line_error(r)
    assert sandbox.count("GET /tracks") == 1  # the repeated cursor is not followed
    assert len(r.ndjson) == 200  # what came before the loop was printed, as it streamed


def test_no_color_and_colour_on_a_terminal(sc):
    coloured = sc("tracks", "search", "buskers", "--limit", "2", tty=True, env={"NO_COLOR": None})
    assert "\x1b[" in coloured.stdout
    plain = sc("tracks", "search", "buskers", "--limit", "2", tty=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.stdout and "TITLE" in plain.stdout


def test_request_over_4_gb_is_refused_by_the_sandbox(sandbox):
    import http.client
    from urllib.parse import urlsplit

    u = urlsplit(sandbox.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.putrequest("POST", "/tracks")
    conn.putheader("Authorization", "OAuth " + sandbox.user_token()["access_token"])
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(4 * 2**30 + 2 * 2**20))  # 4 GB a file, and its fields
    conn.endheaders()
    resp = conn.getresponse()
    assert resp.status == 413 and "4 GB" in resp.read().decode()


def test_debug_adds_the_traceback_to_an_error(sc):
    plain = sc("tracks", "get", "soundcloud:tracks:1")
    assert "Traceback" not in plain.stderr
    traced = sc("--debug", "tracks", "get", "soundcloud:tracks:1")
    assert traced.code == 3
    assert "Traceback" in traced.stderr and traced.stderr.rstrip().splitlines()[-1].startswith(
        "error: not found"
    )
