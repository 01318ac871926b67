"""Authentication end to end: PKCE login, failures, refresh under rotation, token reuse, stores."""

import json
import socket
import stat
import subprocess
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import SANDBOX_APP, SC_CMD, default_sigint, free_port, require, sandbox_env


class Login:
    """`sc auth login --no-browser` running in the background, with the URL it printed."""

    def __init__(self, sandbox, home, *extra, env=None):
        self.port = free_port()
        e = sandbox_env(sandbox, home, home / "login-token.json", **(env or {}))
        self.args = [
            "auth",
            "login",
            "--no-browser",
            "--port",
            str(self.port),
            "--timeout",
            "60",
            *extra,
        ]
        self.proc = subprocess.Popen(
            SC_CMD + self.args,
            env=e,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            preexec_fn=default_sigint,
        )
        self.lines = []
        self.url = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.lines.append(line)
            if line.startswith("http"):
                self.url = line.strip()
                break
        assert self.url, "".join(self.lines)
        self.params = {k: v[0] for k, v in parse_qs(urlsplit(self.url).query).items()}

    def consent(self, decision="allow", **override) -> str:
        """Do what the browser does on Allow/Deny; return the Location it is sent to."""
        form = {**self.params, **override, "decision": decision}
        r = requests.post(
            self.params and self.url.split("?")[0], data=form, allow_redirects=False, timeout=10
        )
        assert r.status_code == 302, r.text
        return r.headers["Location"]

    def deliver(self, location: str) -> None:
        requests.get(location, timeout=10)

    def finish(self, sandbox=None):
        out, err = self.proc.communicate(timeout=60)
        from conftest import Result

        res = Result(self.args, self.proc.returncode, out, "".join(self.lines) + err)
        if sandbox is not None:
            sandbox.runs.append(res)
        return res


def test_login_with_pkce_and_status(sandbox, home, sc):
    login = Login(sandbox, home)
    assert login.params["code_challenge_method"] == "S256" and login.params["state"]
    assert login.params["redirect_uri"] == f"http://127.0.0.1:{login.port}/callback"
    page = requests.get(login.url, timeout=10)
    assert page.status_code == 200 and "Allow" in page.text and "sccli sandbox app" in page.text
    login.deliver(login.consent())
    res = login.finish(sandbox)
    assert res.code == 0, res
    assert "logged in as sandbox-user" in res.stderr
    token_file = home / "login-token.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    st = sc("auth", "status", "--json", env={"SC_TOKEN_FILE": str(token_file)})
    assert st.code == 0, st
    assert st.json["user"] == "sandbox-user" and st.json["source"] == "file"
    assert "access_token" not in st.stdout


def test_deny_exits_4(sandbox, home):
    login = Login(sandbox, home)
    login.deliver(login.consent("deny"))
    res = login.finish(sandbox)
    assert res.code == 4, res
    assert "denied" in res.stderr


def test_wrong_state_is_ignored_and_the_login_goes_on(sandbox, home):
    login = Login(sandbox, home)
    location = login.consent()
    forged = requests.get(location.replace("state=", "state=forged"), timeout=10)
    assert forged.status_code == 400 and "Login failed" in forged.text
    login.deliver(location)
    res = login.finish(sandbox)
    assert res.code == 0, res


def test_replayed_code_exits_4(sandbox, home):
    first = Login(sandbox, home)
    location = first.consent()
    first.deliver(location)
    assert first.finish(sandbox).code == 0
    second = Login(sandbox, home)
    code = parse_qs(urlsplit(location).query)["code"][0]
    second.deliver(f"{second.params['redirect_uri']}?code={code}&state={second.params['state']}")
    res = second.finish(sandbox)
    assert res.code == 4, res
    assert "invalid_grant" in res.stderr


def test_wrong_verifier_exits_4(sandbox, home):
    login = Login(sandbox, home)
    # A code bound to somebody else's challenge: our verifier cannot match it.
    other = "A" * 43
    login.deliver(login.consent(code_challenge=other))
    res = login.finish(sandbox)
    assert res.code == 4, res
    assert "verifier" in res.stderr


def test_authorize_rejects_bad_parameters(sandbox):
    base = {
        "client_id": "sandbox",
        "redirect_uri": "http://127.0.0.1:5000/callback",
        "response_type": "code",
        "code_challenge": "A" * 43,
        "code_challenge_method": "S256",
    }
    for bad in (
        {"client_id": "x"},
        {"redirect_uri": "http://evil.example/cb"},
        {"response_type": "token"},
        {"code_challenge_method": "plain"},
        {"code_challenge": ""},
    ):
        r = requests.get(sandbox.url + "/authorize", params={**base, **bad}, timeout=10)
        assert r.status_code == 400 and "error" in r.text


def token_file_with(home, body: dict):
    path = home / "ci-token.json"
    path.write_text(json.dumps(body))
    path.chmod(0o600)
    return path


def test_reused_refresh_token_exits_4(sandbox, home, sc):
    tok = sandbox.user_token()
    r = sandbox.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tok["refresh_token"],
            "client_id": "sandbox",
            "client_secret": "sandbox-secret",
        },
    )
    assert r.status_code == 200  # someone else already spent it
    path = token_file_with(home, tok)
    res = sc("auth", "refresh", env={"SC_TOKEN_FILE": str(path)})
    assert res.code == 4, res
    assert "invalid_grant" in res.stderr and "sc auth login" in res.stderr


def test_expired_token_is_refreshed_transparently_and_rotation_saved(sandbox, home, sc):
    sandbox.config(token_lifetime=2)
    path = token_file_with(home, sandbox.user_token())
    old_refresh = json.loads(path.read_text())["refresh_token"]
    time.sleep(2.5)
    res = sc("tracks", "list", "--limit", "1", "--json", env={"SC_TOKEN_FILE": str(path)})
    assert res.code == 0, res
    assert sandbox.stats()["tokens_issued"].get("refresh_token") == 1
    saved = json.loads(path.read_text())
    assert saved["refresh_token"] != old_refresh
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_four_parallel_processes_after_expiry_refresh_once(sandbox, home, sc):
    sandbox.config(token_lifetime=3)
    path = token_file_with(home, sandbox.user_token())
    time.sleep(3.5)
    sandbox.config(
        token_lifetime=3599
    )  # the refreshed token lives long: one refresh, however slow the start
    results = []

    def one():
        results.append(
            sc("tracks", "list", "--limit", "1", "--json", env={"SC_TOKEN_FILE": str(path)})
        )

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.code for r in results] == [0, 0, 0, 0], results
    assert sandbox.stats()["tokens_issued"].get("refresh_token") == 1


def test_a_401_forces_one_refresh_and_one_retry(sandbox, home, sc):
    path = token_file_with(home, sandbox.user_token())
    sandbox.fault(path="/me/tracks", status=401)
    res = sc("tracks", "list", "--limit", "1", "--json", env={"SC_TOKEN_FILE": str(path)})
    assert res.code == 0, res
    assert sandbox.stats()["tokens_issued"].get("refresh_token") == 1
    assert sandbox.count("GET /me/tracks") == 2


def test_twenty_client_credentials_searches_mint_one_token(sandbox, sc):
    for _ in range(20):
        assert sc("tracks", "search", "buskers", "--limit", "1").code == 0
    assert sandbox.stats()["tokens_issued"] == {"client_credentials": 1}


def test_client_credentials_rate_limit_has_the_real_body(sandbox, sc, home):
    sandbox.config(cc_per_ip_1h=1)
    assert sc("tracks", "search", "x", "--limit", "1").code == 0
    r = sc("tracks", "search", "x", env={"SC_TOKEN_FILE": str(home / "other.json")})
    assert r.code == 5, r
    assert "client-credentials-exchange" in r.stderr and "UTC" in r.stderr


def test_client_credentials_login_and_me_is_401(sandbox, sc, home):
    r = sc("auth", "login", "--client-credentials")
    assert r.code == 0, r
    assert "app" in r.stderr
    st = sc("auth", "status", "--json")
    assert st.code == 0 and st.json["user"] is None and st.json["kind"].startswith("app")
    me = sc("api", "/me")
    assert me.code == 4


def test_with_token_accepts_json_and_bare(sandbox, sc, home):
    path = home / "stdin-token.json"
    tok = sandbox.user_token()
    r = sc("auth", "login", "--with-token", input=json.dumps(tok), env={"SC_TOKEN_FILE": str(path)})
    assert r.code == 0, r
    saved = json.loads(path.read_text())
    assert (
        saved["refresh_token"] == tok["refresh_token"]
        and saved["user"]["username"] == "sandbox-user"
    )
    path2 = home / "bare.json"
    r = sc(
        "auth",
        "login",
        "--with-token",
        input=sandbox.user_token()["access_token"] + "\n",
        env={"SC_TOKEN_FILE": str(path2)},
    )
    assert r.code == 0 and json.loads(path2.read_text())["access_token"]
    bad = sc("auth", "login", "--with-token", input="", env={"SC_TOKEN_FILE": str(path2)})
    assert bad.code == 2


def test_auth_token_prints_the_token_and_logout_removes_it(sandbox, sc, home):
    path = token_file_with(home, sandbox.user_token())
    env = {"SC_TOKEN_FILE": str(path)}
    r = sc("auth", "token", env=env)
    assert r.code == 0 and r.stdout.strip() == json.loads(path.read_text())["access_token"]
    out = sc("auth", "logout", env=env)
    assert out.code == 0 and not path.exists()
    st = sc("auth", "status", env=env, app=False)
    assert st.code == 4


def test_access_token_env_touches_no_store(sandbox, sc, home):
    path = home / "never.json"
    tok = sandbox.user_token()["access_token"]
    r = sc(
        "tracks",
        "list",
        "--limit",
        "1",
        "--json",
        env={"SC_ACCESS_TOKEN": tok, "SC_TOKEN_FILE": str(path)},
    )
    assert r.code == 0, r
    assert not path.exists()
    st = sc("auth", "status", "--json", env={"SC_ACCESS_TOKEN": tok})
    assert st.json["source"] == "environment"


def test_no_keyring_is_a_clear_error_not_plaintext(sandbox, sc, home):
    r = sc(
        "auth",
        "login",
        "--with-token",
        input="x" * 30,
        app=False,
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert r.code != 0
    assert "--insecure-storage" in r.stderr and "SC_TOKEN_FILE" in r.stderr
    assert not list((home / "config").rglob("*.json"))
    ok = sc(
        "auth",
        "login",
        "--with-token",
        "--insecure-storage",
        input=sandbox.user_token()["access_token"],
        app=False,
    )
    assert ok.code == 0, ok
    f = home / "config" / "tokens" / "default.json"
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert sc("tracks", "list", "--limit", "1", app=False).code == 0  # found again without flags


def test_profiles_keep_accounts_apart(sandbox, sc, home):
    tok = sandbox.user_token()["access_token"]
    assert (
        sc(
            "--profile",
            "work",
            "auth",
            "login",
            "--with-token",
            "--insecure-storage",
            input=tok,
            app=False,
        ).code
        == 0
    )
    assert sc("--profile", "work", "auth", "status", app=False).code == 0
    assert sc("auth", "status", app=False).code == 4
    assert sc("auth", "status", app=False, env={"SC_PROFILE": "work"}).code == 0


# -- real systems: a browser and the OS keyring ------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("button,code", [("allow", 0), ("deny", 4)])
def test_real_browser_login(sandbox, home, sc, chrome, button, code):
    login = Login(sandbox, home)
    chrome.get(login.url)
    assert "sandbox-user" in chrome.page_source
    chrome.find_element("id", button).click()
    res = login.finish(sandbox)
    assert res.code == code, res
    if code == 0:
        assert "Logged in" in chrome.page_source
        st = sc("auth", "status", "--json", env={"SC_TOKEN_FILE": str(home / "login-token.json")})
        assert st.json["user"] == "sandbox-user"
    else:
        assert "denied" in res.stderr


@pytest.mark.keyring
def test_real_os_keyring(sandbox, home, tmp_path):
    require("dbus-run-session")
    require("gnome-keyring-daemon")
    tok = sandbox.user_token()
    (tmp_path / "tok.json").write_text(json.dumps(tok))
    env = sandbox_env(sandbox, home, app=False, PYTHON_KEYRING_BACKEND=None)
    sc = " ".join(SC_CMD)
    script = f"""
set -e
export $(echo -n sccli-test | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)
{sc} auth login --with-token < {tmp_path / "tok.json"}
{sc} auth status --json > {tmp_path / "status.json"}
{sys.executable} -c "import keyring; print(type(keyring.get_keyring()).__module__); print(keyring.get_password('sccli', 'default'))" > {tmp_path / "kr.txt"}
"""
    p = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    for s in (tok["access_token"], tok["refresh_token"]):
        assert s not in p.stdout and s not in p.stderr
    backend, stored = (tmp_path / "kr.txt").read_text().splitlines()[:2]
    assert "SecretService" in backend
    assert json.loads(stored)["refresh_token"] == tok["refresh_token"]
    status = json.loads((tmp_path / "status.json").read_text())
    assert status["source"] == "keyring" and status["user"] == "sandbox-user"
    assert not list(home.rglob("*.json")), "nothing may be written in plaintext"


def test_paste_fallback_when_the_port_is_taken(sandbox, home):
    """Where no listener can work, the person pastes the URL the browser was sent to."""
    port = free_port()
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", port))
    blocker.listen()
    try:
        e = sandbox_env(sandbox, home, home / "paste.json")
        proc = subprocess.Popen(
            SC_CMD + ["auth", "login", "--port", str(port)],
            env=e,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=default_sigint,
        )
        url, seen = None, []
        while url is None:
            line = proc.stderr.readline()
            assert line, "sc ended before printing the URL"
            seen.append(line)
            if line.startswith("http"):
                url = line.strip()
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        r = requests.post(
            url.split("?")[0],
            data={**params, "decision": "allow"},
            allow_redirects=False,
            timeout=10,
        )
        out, err = proc.communicate(r.headers["Location"] + "\n", timeout=60)
        assert proc.returncode == 0, err
        assert "falling back to pasting" in "".join(seen) and "logged in as sandbox-user" in err
        assert json.loads((home / "paste.json").read_text())["user"]["username"] == "sandbox-user"
    finally:
        blocker.close()


def test_a_hanging_keyring_times_out(sandbox, sc):
    tests_dir = str(__import__("pathlib").Path(__file__).parent)
    start = time.monotonic()
    r = sc(
        "auth",
        "login",
        "--with-token",
        input="x" * 30,
        app=False,
        env={"PYTHON_KEYRING_BACKEND": "slow_keyring.HangingKeyring", "PYTHONPATH": tests_dir},
        subprocess=True,  # the keyring backend is chosen per process
    )
    assert time.monotonic() - start < 30
    assert r.code != 0 and "did not answer" in r.stderr and "SC_TOKEN_FILE" in r.stderr


def test_interrupt_exits_130_without_a_traceback(sandbox, home):
    import signal

    login = Login(sandbox, home)  # waiting for the browser
    login.proc.send_signal(signal.SIGINT)
    res = login.finish(sandbox)
    assert res.code == 130, res
    assert "Traceback" not in res.stderr


# -- the protocol on requests-oauthlib (core/oauth.py) ------------------------------------------


def s256(verifier: str) -> str:
    import base64
    import hashlib

    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def core_auth(sandbox, tmp_path, debug=None):
    """An Authenticator on the sandbox, with a memory store, built as the CLI builds it."""
    from sccli.core.auth import Authenticator
    from sccli.core.client import Client
    from sccli.core.config import Settings
    from sccli.core.tokens import MemoryStore

    settings = Settings(
        api_url=sandbox.url,
        auth_url=sandbox.url,
        client_id=SANDBOX_APP[0],
        client_secret=SANDBOX_APP[1],
        data_dir=tmp_path,
    )
    client = Client(settings, debug=debug)
    auth = Authenticator(settings, MemoryStore(), client)
    client.tokens = auth
    return auth


def test_authorization_url_is_s256_and_the_exchange_sends_its_verifier(sandbox, tmp_path):
    from sccli.core.login import LoginSession, parse_callback_url

    auth = core_auth(sandbox, tmp_path)
    sent = []
    send = auth.client.send
    auth.client.send = lambda method, url, **kw: (
        sent.append((url, kw.get("data"))) or send(method, url, **kw)
    )
    redirect = "http://127.0.0.1:9/callback"
    session = LoginSession(auth, *SANDBOX_APP, redirect)
    query = {k: v[0] for k, v in parse_qs(urlsplit(session.url).query).items()}
    assert session.url.startswith(sandbox.url + "/authorize?")
    assert query["code_challenge_method"] == "S256" and query["response_type"] == "code"
    assert query["client_id"] == "sandbox" and query["redirect_uri"] == redirect
    assert query["state"] == session.state and "code_verifier" not in query
    consent = requests.post(
        sandbox.url + "/authorize", data={**query, "decision": "allow"}, allow_redirects=False
    )
    rec = session.finish(parse_callback_url(consent.headers["Location"]))
    assert rec.user["username"] == "sandbox-user" and rec.refresh_token
    token_posts = [parse_qs(data) for url, data in sent if url.endswith("/oauth/token")]
    assert len(token_posts) == 1
    form = {k: v[0] for k, v in token_posts[0].items()}
    assert form["grant_type"] == "authorization_code" and form["redirect_uri"] == redirect
    assert 43 <= len(form["code_verifier"]) <= 128
    assert s256(form["code_verifier"]) == query["code_challenge"]
    assert auth.client.scrub(form["code_verifier"]) == "***"  # never shown, even by --debug


def test_debug_log_of_a_refresh_shows_no_secret(sandbox, sc, home, caplog):
    import logging

    tok = sandbox.user_token()
    path = token_file_with(home, tok)
    with caplog.at_level(logging.DEBUG):
        r = sc("--debug", "auth", "refresh", env={"SC_TOKEN_FILE": str(path)})
    assert r.code == 0, r
    saved = json.loads(path.read_text())
    assert saved["refresh_token"] != tok["refresh_token"]  # rotated, and kept
    assert "grant_type=refresh_token" in r.stderr
    assert "client_secret=***" in r.stderr and "refresh_token=***" in r.stderr
    assert '"access_token": "***"' in r.stderr  # the answer, logged redacted
    assert "Authorization: Basic" not in r.stderr  # SoundCloud: credentials in the body
    logged = r.stderr + "\n".join(rec.getMessage() for rec in caplog.records)
    for secret in (
        tok["access_token"],
        tok["refresh_token"],
        saved["access_token"],
        saved["refresh_token"],
        SANDBOX_APP[1],
    ):
        assert secret not in logged


@pytest.mark.parametrize(
    "fault,env,code,words",
    [
        ({"status": 502, "body": "html"}, {}, 1, "HTML page (502 Bad Gateway)"),
        ({"status": 429}, {}, 5, "rate limited"),
        ({"status": 503}, {}, 1, "503 Service Unavailable"),
        ({"drop": True}, {}, 6, "dropped"),
        (None, {"SC_CLIENT_SECRET": "wrong-secret"}, 4, "invalid_client"),
    ],
)
def test_token_endpoint_failures_map_to_exit_codes(sandbox, sc, fault, env, code, words):
    if fault:
        sandbox.fault(path="/oauth/token", times=-1, **fault)
    r = sc("tracks", "search", "x", "--limit", "1", env=env)
    assert r.code == code, r
    assert words in r.stderr
    assert len([line for line in r.stderr.splitlines() if line.startswith("error:")]) == 1
    assert "Traceback" not in r.stderr and "<html" not in r.stderr.lower()


def test_oauth_errors_keep_their_messages():
    from sccli.core.errors import AuthError, RateLimited, ServerError
    from sccli.core.oauth import token_error

    def err(status, body, grant="refresh_token"):
        return token_error(status, {"Content-Type": "application/json"}, json.dumps(body), grant)

    e = err(400, {"error": "invalid_grant"})
    assert isinstance(e, AuthError) and "already used or revoked" in e.message
    e = err(400, {"error": "invalid_grant"}, "authorization_code")
    assert "PKCE verifier does not match" in e.message and e.exit_code == 4
    e = err(400, {"error": "invalid_scope", "error_description": "no such scope"})
    assert (
        isinstance(e, AuthError)
        and e.message == "token request refused: invalid_scope (no such scope)"
    )
    assert isinstance(err(429, {"error": "slow_down"}), RateLimited)
    assert isinstance(err(500, {"error": "server_error"}), ServerError)


def test_plain_http_is_allowed_only_for_loopback(sandbox, sc, home):
    import os

    from sccli.core.oauth import _LoopbackTransport, is_loopback

    var = "OAUTHLIB_INSECURE_TRANSPORT"
    assert var not in os.environ
    assert all(map(is_loopback, ("127.0.0.1", "127.8.0.1", "localhost", "::1", "[::1]")))
    assert not any(map(is_loopback, ("10.0.0.1", "example.com", "", "localhost.example")))
    transport = _LoopbackTransport()
    with transport.allow("http://127.0.0.1:1/oauth/token"):
        with transport.allow("http://localhost:1/oauth/token"):
            assert os.environ[var] == "1"
        assert os.environ[var] == "1"  # the outer call is still running
    assert var not in os.environ
    with transport.allow("https://secure.soundcloud.com/oauth/token"):
        assert var not in os.environ  # https needs no exception
    # A real run on the loopback sandbox leaves nothing set behind it...
    assert sc("tracks", "search", "x", "--limit", "1").code == 0
    assert var not in os.environ
    # ...and plain http to any other host is refused before anything is sent.
    fresh = {"SC_AUTH_URL": "http://auth.example.invalid", "SC_TOKEN_FILE": str(home / "n.json")}
    r = sc("tracks", "search", "x", env=fresh)
    assert r.code == 2, r
    assert "plain http" in r.stderr and "auth.example.invalid" in r.stderr
