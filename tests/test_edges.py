"""Trust at the edges (issue #9): each class of bug the fuzz suite finds, pinned by a test.

Hostile values are usage errors (exit 2, one line); broken token files are no login (exit 4);
a broken config is exit 2, and `sc config unset` / `sc config path` still work; data from
the API never reaches a terminal raw; the login listener takes only this login's callback;
tables fit the terminal.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import requests
from conftest import Result, free_port
from world import World, assert_contract, open_world

HOSTILE_TITLE = "pwned \x1b]0;pwned\x07\x1b[31m red"
OSC, RED = "\x1b]0;pwned\x07", "\x1b[31m"
ESCAPED = "\\x1b]0;pwned\\x07\\x1b[31m"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    yield from open_world(tmp_path_factory)


def one_error_line(r: Result, code: int, *needles: str) -> None:
    assert r.code == code, r
    assert_contract(r)
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error: ") and len(lines) <= 2, r
    for needle in needles:
        assert needle in lines[0], r


def requests_sent(world: World) -> int:
    return world.sandbox.stats()["requests_total"]


# -- hostile values are usage errors ------------------------------------------------------------
@pytest.mark.parametrize("query", ["sum(@)", "length(nope)", "&title", "{a: &title}", "nope(@)"])
def test_a_query_that_fails_at_run_time_is_one_short_line(world, query):
    r = world.run("tracks", "search", "buskers", "--limit", "2", "--query", query)
    one_error_line(r, 2, "--query")
    assert len(r.stderr) < 300, r  # not the whole JSON value JMESPath's message quotes


@pytest.mark.parametrize("ref", ["²", "١٢٣", pytest.param("9" * 5000, id="5000-digits")])
def test_only_ascii_digits_make_an_id(world, ref):
    r = world.run("tracks", "get", ref)
    assert r.code in (2, 3), r  # refused, or (5000 nines) a well-formed id nothing has
    one_error_line(r, r.code)


@pytest.mark.parametrize("limit", ["1.5", "0", "-3", "", "x"])
def test_paginate_page_size_is_a_whole_number(world, limit):
    before = requests_sent(world)
    r = world.run("api", "/tracks", "-f", f"limit={limit}", "--paginate")
    one_error_line(r, 2, "limit")
    assert requests_sent(world) == before


@pytest.mark.parametrize(
    "args",
    [
        ("tracks", "search", "--duration-from", "9" * 400),
        ("tracks", "search", "--duration-to", "9" * 400 + "ms"),
        ("tracks", "search", "--duration-from", "9" * 300 + ":00:00"),
        ("comment", "300009", "hi", "--at", "9" * 400),
        ("comment", "300009", "hi", "--at", "1e309"),
        ("playlists", "add", "900001", "300010", "--at", "9" * 400),
    ],
)
def test_huge_numbers_are_usage_errors(world, args):
    one_error_line(world.run(*args), 2)


@pytest.mark.parametrize("url", ["http://[::1", "http://", "ftp://example.com", "http://a b"])
def test_an_api_url_that_does_not_parse_is_a_usage_error(world, url):
    one_error_line(world.run("--api-url", url, "tracks", "get", "1"), 2, "URL")
    if url != "http://a b":  # `sc api` takes a whole URL too
        one_error_line(world.run("api", url), 2, "URL")


@pytest.mark.parametrize(
    "args",
    [
        ("tracks", "upload", "x" * 300 + ".wav"),
        ("tracks", "update", "300001", "--artwork", "x" * 300 + ".png"),
    ],
)
def test_a_file_name_too_long_is_a_usage_error(world, args):
    one_error_line(world.run(*args), 2)


@pytest.mark.parametrize(
    "args",
    [
        ("tracks", "search", "--created-from", "0999-01-01"),
        ("tracks", "search", "--created-to", "0001-12-31 10:00"),
        ("tracks", "update", "300001", "--release-date", "0500-01-01"),
    ],
)
def test_years_below_1000_are_refused_before_any_request(world, args):
    before = requests_sent(world)
    one_error_line(world.run(*args), 2, "year")
    assert requests_sent(world) == before


@pytest.mark.parametrize("group", ["tracks", "users", "playlists"])
def test_query_mistaken_for_search_words_says_what_query_is(world, group):
    before = requests_sent(world)
    r = world.run(group, "search", "--query", "buskers")
    one_error_line(r, 2, "JMESPath")
    assert "before the options" in r.stderr and "'[].buskers'" in r.stderr
    assert requests_sent(world) == before


# -- token files, config files ------------------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff\xfe\x89PNG binary",
        b"12345",
        b"-7",
        b'{"access_token": "abc", "refresh_token": "x"',  # cut short
        b'{"access_token": 5}',
        b'{"access_token": "ok", "expires_at": "soon", "kind": "user"}',
        '{"access_token": "caf\u00e9"}'.encode(),  # no header can carry it
        b"[1, 2]",
    ],
)
@pytest.mark.parametrize("args", [("tracks", "list", "--limit", "1"), ("like", "300010")])
def test_a_token_file_without_a_token_is_exit_4(world, tmp_path, content, args):
    token = tmp_path / "token.json"
    token.write_bytes(content)
    token.chmod(0o600)
    one_error_line(world.run(*args, env={"SC_TOKEN_FILE": str(token)}), 4, "token")


def test_a_non_ascii_access_token_in_the_environment_is_exit_4(world):
    r = world.run("tracks", "list", env={"SC_ACCESS_TOKEN": "tök€n"})
    one_error_line(r, 4, "SC_ACCESS_TOKEN")


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"\x00\xff\xfe\xfd binary", "config file"),
        (b"api-url = https://api.example.com\n", "config file"),  # no [section]
        (b"[default]\nsharing = public\n[default]\n", "config file"),
        (b"[default]\nredirect-port = abc\n", "redirect-port"),
        ("[default]\nredirect-port = \u00b2\n".encode(), "redirect-port"),
        (b"[default]\napi-url = http://\n", "api-url"),
        (b"[default]\noutput = fancy\n", "output"),
    ],
)
def test_a_broken_config_is_exit_2_and_unset_and_path_still_work(world, tmp_path, content, needle):
    cfg_dir = tmp_path / "cfg"
    cfg_dir.mkdir()
    (cfg_dir / "config.ini").write_bytes(content)
    env = {"SC_CONFIG_DIR": str(cfg_dir)}
    r = world.run("tracks", "search", "buskers", "--limit", "1", env=env)
    one_error_line(r, 2, needle)
    assert r.stderr.splitlines()[1].startswith("hint: ")
    path = world.run("config", "path", env=env)
    assert path.code == 0 and path.stdout.strip() == str(cfg_dir / "config.ini"), path
    for key in ("redirect-port", "api-url", "output"):
        assert world.run("config", "unset", key, env=env).code == 0


def test_unset_takes_the_bad_value_out_and_keeps_the_rest(world, tmp_path):
    cfg = tmp_path / "config.ini"
    cfg.write_bytes(b"\xff junk\n[default]\nsharing = public\nredirect-port = abc\n  more\n")
    env = {"SC_CONFIG_DIR": str(tmp_path)}
    assert world.run("config", "unset", "redirect-port", env=env).code == 0
    assert cfg.read_bytes() == b"[default]\nsharing = public\n\n"  # the stray line dropped
    cfg.write_text("[default]\nsharing = public\nredirect-port = abc\n")
    assert world.run("tracks", "search", "buskers", "--limit", "1", env=env).code == 2
    assert world.run("config", "unset", "redirect-port", env=env).code == 0
    assert world.run("tracks", "search", "buskers", "--limit", "1", env=env).code == 0
    assert world.run("config", "get", "sharing", env=env).stdout == "public\n"


@pytest.mark.parametrize("url", ["http://", "https://", "http://[::1", "http:// x", "example.com"])
def test_config_set_refuses_a_url_without_a_host(world, tmp_path, url):
    env = {"SC_CONFIG_DIR": str(tmp_path)}
    one_error_line(world.run("config", "set", "api-url", url, env=env), 2, "api-url")
    assert not (tmp_path / "config.ini").exists()


def test_an_unwritable_config_dir_is_exit_2(world, tmp_path):
    (tmp_path / "a-file").write_text("")
    env = {"SC_CONFIG_DIR": str(tmp_path / "a-file" / "sc")}
    r = world.run("config", "set", "sharing", "public", env=env)
    one_error_line(r, 2, "cannot write config file")


# -- --debug never leaks what a server echoes ---------------------------------------------------
class EchoServer:
    """An API that answers every request with `status` and a body quoting its token back."""

    def __init__(self, status: int, headers: dict[str, str] | None = None):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                auth = self.headers.get("Authorization", "")
                body = json.dumps({"message": f"bad {auth}; token {auth.split(' ')[-1]}"}).encode()
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_debug_traceback_passes_through_the_scrubber(world):
    token = "sekrit-access-token-0123456789"
    echo = EchoServer(400)
    try:
        r = world.run(
            "--debug", "api", "/me", env={"SC_API_URL": echo.url, "SC_ACCESS_TOKEN": token}
        )
    finally:
        echo.close()
    assert r.code == 1 and "Traceback" in r.stderr, r
    assert token not in r.stderr and token not in r.stdout
    assert "token ***" in r.stderr


@pytest.mark.parametrize("retry_after", ["\u00b2", "9" * 20])
def test_a_hostile_retry_after_is_still_exit_5(world, retry_after):
    echo = EchoServer(429, {"Retry-After": retry_after})
    try:
        r = world.run("api", "/me", env={"SC_API_URL": echo.url, "SC_ACCESS_TOKEN": "tok-12345678"})
    finally:
        echo.close()
    one_error_line(r, 5, "rate limited")


# -- escapes never reach a terminal raw (item 17) -----------------------------------------------
@pytest.fixture(scope="module")
def hostile(world, tmp_path_factory) -> dict:
    """A public track whose file name, title and a comment carry terminal escapes; uploaded
    with stderr on a terminal, so the upload's progress and messages are checked too."""
    from audio import make_wav

    folder = tmp_path_factory.mktemp("hostile")
    wav = make_wav(folder / f"{OSC}{RED}take.wav", seconds=0.2, rate=8000)
    args = ("tracks", "upload", str(wav), "--title", HOSTILE_TITLE, "--sharing", "public")
    upload = world.run(*args, "--if-absent", "--json", tty="stderr")
    assert upload.code == 0, upload
    urn = upload.json["urn"]
    comment = world.run("comment", urn, f"nice {OSC}{RED} body", "--json")
    assert comment.code == 0, comment
    return {"urn": urn, "upload": upload, "comment": comment.json}


def assert_escaped(text: str) -> None:
    assert OSC not in text and RED not in text and "\x07" not in text, repr(text)
    assert ESCAPED in text, repr(text)


def test_upload_progress_and_messages_are_escaped(hostile):
    r = hostile["upload"]
    assert "uploading" in r.stderr and f"uploaded {hostile['urn']}" in r.stderr, r
    assert OSC not in r.stderr and RED not in r.stderr, repr(r.stderr)
    assert "\\x1b]0;pwned\\x07" in r.stderr  # the file name, as the progress bar shows it


def test_json_keeps_the_title_exact(world, hostile):
    for tty in (None, "stdout"):
        r = world.run("tracks", "get", hostile["urn"], "--json", tty=tty)
        assert json.loads(r.stdout)["title"] == HOSTILE_TITLE
        assert OSC not in r.stdout  # JSON escapes control characters itself
    body = world.run("tracks", "comments", hostile["urn"], "--json").json[0]["body"]
    assert body == f"nice {OSC}{RED} body"


@pytest.mark.parametrize(
    "args",
    [
        ("tracks", "get", "{urn}"),  # a record
        ("tracks", "search", "pwned"),  # a table
        ("tracks", "list", "--limit", "200"),
        ("tracks", "comments", "{urn}"),
        ("tracks", "get", "{urn}", "--fields", "title", "--raw"),
        ("tracks", "search", "pwned", "--tsv"),
        ("tracks", "search", "pwned", "--query", "[].title"),
    ],
)
def test_tables_records_and_raw_output_escape_on_a_terminal(world, hostile, args):
    args = [a.replace("{urn}", hostile["urn"]) for a in args]
    r = world.run(*args, tty="stdout", env={"COLUMNS": "400"})
    assert r.code == 0, r
    if "--query" in args:  # JSON on a terminal: still JSON, \u escapes and all
        assert HOSTILE_TITLE in r.json
        return
    assert_escaped(r.stdout)


def test_api_error_text_is_escaped_on_a_terminal(world):
    r = world.run("api", f"/tracks/{quote(OSC + RED)}x", tty="stderr")
    assert r.code == 3, r
    assert_escaped(r.stderr)
    piped = world.run("api", f"/tracks/{quote(OSC + RED)}x")
    assert OSC in piped.stderr  # a log file gets the server's words as they were


# -- the login listener takes only this login's callback (item 20) ------------------------------
class InProcessLogin:
    """`sc auth login --no-browser` run in-process on a thread, stderr on a faked terminal;
    the test plays the browser with plain HTTP requests to the listener."""

    def __init__(self, world: World, token_file: Path):
        from conftest import _Stream

        from sccli.cli.app import main
        from sccli.cli.context import Environment, Streams

        self.world = world
        self.port = free_port()
        self.args = ["auth", "login", "--no-browser", "--port", str(self.port), "--timeout", "30"]
        err = _Stream(tty=True)
        self.streams = Streams(_Stream(""), _Stream(), err, stderr_tty=True)
        env = Environment(self.streams, world.env({"SC_TOKEN_FILE": str(token_file)}))
        self.code: int | None = None

        def run() -> None:
            self.code = main(self.args, env)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while "state=" not in err.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        url = next(line for line in err.getvalue().splitlines() if line.startswith("http"))
        self.params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

    def callback(self, **query: str) -> requests.Response:
        url = f"http://127.0.0.1:{self.port}/callback?" + urlencode(query)
        return requests.get(url, timeout=30)

    def consent(self) -> str:
        """What the browser does on Allow: the Location the sandbox sends it to."""
        form = {**self.params, "decision": "allow"}
        r = requests.post(
            self.world.sandbox.url + "/authorize", data=form, allow_redirects=False, timeout=10
        )
        return r.headers["Location"]

    def finish(self) -> Result:
        self.thread.join(30)
        res = Result(
            self.args, self.code, self.streams.stdout.getvalue(), self.streams.stderr.getvalue()
        )
        self.world.runs.append(res)  # scanned for secrets with the module's other runs
        return res


def test_a_callback_without_this_logins_state_is_ignored(world, tmp_path):
    login = InProcessLogin(world, tmp_path / "login.json")
    for forged in ({"error": "access_denied"}, {"error": "x", "state": "forged"}, {"code": "c"}):
        page = login.callback(**forged)
        assert page.status_code == 400 and "Login failed" in page.text, page.text
        assert "Logged in" not in page.text
    assert login.thread.is_alive()  # still waiting for the real answer
    page = requests.get(login.consent(), timeout=30)
    assert page.status_code == 200 and "Logged in" in page.text
    r = login.finish()
    assert r.code == 0 and "logged in as sandbox-user" in r.stderr, r


def test_the_page_says_login_failed_when_sc_rejects_the_callback(world, tmp_path):
    login = InProcessLogin(world, tmp_path / "login.json")
    page = login.callback(state=login.params["state"], code="not-a-real-code")
    assert page.status_code == 400 and "Login failed" in page.text and "Logged in" not in page.text
    r = login.finish()
    assert r.code == 4 and "invalid_grant" in r.stderr, r
    assert not (tmp_path / "login.json").exists()


def test_the_callbacks_error_is_escaped_on_a_terminal(world, tmp_path):
    login = InProcessLogin(world, tmp_path / "login.json")
    page = login.callback(state=login.params["state"], error=OSC + RED)
    assert "Login failed" in page.text
    r = login.finish()
    assert r.code == 4, r
    error = r.stderr.splitlines()[-2:]
    assert error[0].startswith("error: authorization failed") and ESCAPED in error[0], r
    assert OSC not in r.stderr and RED not in r.stderr


def test_a_pasted_url_with_a_non_ascii_state_is_refused(world):
    from sccli.core.auth import Authenticator
    from sccli.core.client import Client
    from sccli.core.config import Settings
    from sccli.core.errors import AuthError
    from sccli.core.login import LoginSession
    from sccli.core.tokens import MemoryStore

    url = world.sandbox.url
    settings = Settings(api_url=url, auth_url=url)
    client = Client(settings)
    auth = Authenticator(settings, MemoryStore(), client)
    session = LoginSession(auth, "sandbox", "sandbox-secret", "http://127.0.0.1:9/callback")
    with pytest.raises(AuthError, match="state does not match"):
        session.finish({"state": "caf\u00e9", "error": "x"})


def test_a_callback_that_comes_before_the_wait_begins_is_taken(world):
    """The browser may answer as soon as the URL is shown, before sc starts waiting: the
    receiver knows its login from then on (a race that once left `sc auth login` hanging)."""
    from sccli.core.auth import Authenticator
    from sccli.core.client import Client
    from sccli.core.config import Settings
    from sccli.core.errors import AuthError
    from sccli.core.login import LoginSession, LoopbackReceiver
    from sccli.core.tokens import MemoryStore

    settings = Settings(api_url=world.sandbox.url, auth_url=world.sandbox.url)
    client = Client(settings)
    auth = Authenticator(settings, MemoryStore(), client)
    receiver = LoopbackReceiver(free_port())
    session = LoginSession(auth, "sandbox", "sandbox-secret", receiver.redirect_uri)
    receiver.expect(session)  # what `sc auth login` does before it prints the URL
    callback = f"{receiver.redirect_uri}?code=not-a-code&state={session.state}"
    answers: list[int] = []
    browser = threading.Thread(
        target=lambda: answers.append(requests.get(callback, timeout=30).status_code)
    )
    browser.start()
    time.sleep(0.3)  # the callback is in before the wait begins
    with pytest.raises(AuthError, match="authorization code was refused"):
        receiver.receive(session, timeout=5)
    browser.join(10)
    assert answers == [400]  # the page says the login failed, as it did


# -- tables people can read (item 21) ---------------------------------------------------------
def test_search_at_80_columns_never_wraps_a_row(world):
    from rich.cells import cell_len

    r = world.run("tracks", "search", "buskers", tty="stdout", env={"COLUMNS": "80"})
    assert r.code == 0, r
    lines = r.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), r.stdout
    header, rule, *rows = lines
    assert header.split()[:2] == ["URN", "TITLE"] and set(rule) == {"─"}
    assert len(rows) == 50  # the default --limit: one line per row
    assert all(
        row.startswith("soundcloud:tracks:3") and row.split()[0][-1].isdigit() for row in rows
    )
    assert any("…" in row for row in rows)  # long titles shortened, not wrapped
    assert "more results: use --limit" in r.stderr and "--all" in r.stderr


def test_more_results_is_said_only_when_the_list_was_cut(world):
    few = world.run("tracks", "search", "pwned", tty="stdout")
    assert few.code == 0 and "more results" not in few.stderr, few
    every = world.run("tracks", "list", "--limit", "1", "--all", tty="stdout")
    assert every.code == 0 and len(every.stdout.splitlines()) > 3, every
    assert "more results" not in every.stderr
    piped = world.run("tracks", "search", "buskers", "--limit", "3")
    assert piped.code == 0 and piped.stderr == ""  # a script gets no notice on stderr


def _render(rows: list[dict], width: int) -> list[str]:
    import io

    from sccli.render import OutputOptions, Renderer

    out = io.StringIO()
    renderer = Renderer(
        OutputOptions("table"), out, is_tty=True, environ={"NO_COLOR": "1", "COLUMNS": str(width)}
    )
    renderer.items(rows, "track")
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [40, 60, 80, 132])
def test_wide_characters_and_long_titles_fit_the_width(width):
    from rich.cells import cell_len

    titles = ["東京の夜明けの歌 " * 6, "🎸" * 40, "plain " * 20, "short"]
    rows = [
        {
            "urn": f"soundcloud:tracks:{300000 + i}",
            "title": t,
            "user": {"username": "someone-with-a-long-name"},
            "duration": 61000,
            "license": "cc-by-nc-sa",
            "playback_count": 1234567,
        }
        for i, t in enumerate(titles)
    ]
    lines = _render(rows, width)
    assert len(lines) == 2 + len(rows)
    assert all(cell_len(line) <= width for line in lines), "\n".join(lines)
    assert all(f"soundcloud:tracks:{300000 + i}" in lines[2 + i] for i in range(len(rows)))


def test_fit_columns_drops_the_least_important_then_shortens_text():
    from sccli.render import Column, fit_columns

    cols = [Column(h, lambda r: "", p) for p, h in enumerate(("URN", "TITLE", "USER", "PLAYS"))]
    cells = [["soundcloud:tracks:1", "T" * 50, "U" * 20, "1,000"]]
    kept = fit_columns(cols, cells, 80)
    assert [c.header for c in kept] == ["URN", "TITLE", "USER", "PLAYS"]
    assert sum(c.width for c in kept) + 3 * (len(kept) - 1) <= 80
    assert kept[0].width == len("soundcloud:tracks:1")  # an identifier is never cut
    narrow = fit_columns(cols, cells, 50)
    # PLAYS went first, then USER, before the title was cut below a readable room.
    assert [c.header for c in narrow] == ["URN", "TITLE"]
    assert narrow[1].width == 50 - 3 - len("soundcloud:tracks:1")  # the rest is the title's
    assert sum(c.width for c in narrow) + 3 * (len(narrow) - 1) <= 50


@pytest.mark.parametrize(
    "args",
    [
        ["playlists", "create", "x\udcffy"],
        ["comment", "300012", "bad \udcff body"],
        ["tracks", "update", "300012", "--title", "t\udce9"],
    ],
)
def test_text_that_is_not_utf8_is_refused_before_anything_is_sent(user_sc, sandbox, args):
    """Bytes from a Latin-1 terminal reach Python as lone surrogates; JSON would carry them as
    \\udcff and the server store that. The Client refuses them first: exit 2, no request."""
    before = sandbox.stats()["requests"]
    r = user_sc(*args)
    assert r.code == 2 and 'cannot be sent: "' in r.stderr, r
    assert "\\xff" in r.stderr or "\\xe9" in r.stderr, r
    writes = {k: v for k, v in sandbox.stats()["requests"].items() if k.split()[0] != "GET"}
    assert writes == {k: v for k, v in before.items() if k.split()[0] != "GET"}, writes


def test_a_file_name_that_is_not_utf8_uploads_under_a_given_title(user_sc, tmp_path):
    from audio import make_wav

    path = make_wav(tmp_path / "ok.wav").rename(tmp_path / "caf\udce9.wav")
    r = user_sc("tracks", "upload", str(path), "--title", "Cafe", "--sharing", "private", "--json")
    assert r.code == 0 and json.loads(r.stdout)["title"] == "Cafe", r


def test_a_set_without_a_title_is_refused_before_it_is_sent(user_sc, sandbox):
    before = sandbox.stats()["requests"].get("POST /playlists", 0)
    r = user_sc("playlists", "create", "  ")
    assert r.code == 2 and "a set needs a title" in r.stderr, r
    assert sandbox.stats()["requests"].get("POST /playlists", 0) == before
