"""Fixtures: a sandbox on 127.0.0.1 per test, and `sc` run against it.

`sc` runs in-process: the real `main()` on an injected Environment (streams, environment,
sleep), as httpie's and gh's tests do. `subprocess=True` starts a real process instead, for
the tests where the process boundary is the point.
"""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from deprecated_ops import deprecated_calls

from sccli.sandbox.server import SandboxServer

# In-process runs read the keyring backend from the real environment: never the user's keyring.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

# The `sc` installed beside this interpreter (what `pip install .` made), else the module.
_BESIDE = Path(sys.executable).with_name("sc")
SC_CMD = [str(_BESIDE)] if _BESIDE.exists() else [sys.executable, "-m", "sccli"]
SANDBOX_APP = ("sandbox", "sandbox-secret")


@dataclass
class Result:
    args: list[str]
    code: int
    stdout: str
    stderr: str
    slept: list[float] = field(default_factory=list)  # what sc asked to sleep (in-process runs)

    @property
    def json(self):
        return json.loads(self.stdout)

    @property
    def ndjson(self):
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def __repr__(self):
        return f"<sc {' '.join(self.args)} -> {self.code}\nstdout: {self.stdout[:2000]}\nstderr: {self.stderr[:2000]}>"


@dataclass
class Sandbox:
    server: SandboxServer
    url: str
    runs: list[Result] = field(default_factory=list)

    def get(self, path: str, **kw):
        return requests.get(self.url + path, timeout=10, **kw)

    def post(self, path: str, **kw):
        return requests.post(self.url + path, timeout=10, **kw)

    def stats(self) -> dict:
        return self.get("/_sandbox/stats").json()

    def count(self, route: str) -> int:
        return self.stats()["requests"].get(route, 0)

    def fault(self, **spec) -> None:
        r = self.post("/_sandbox/faults", json=spec)
        assert r.status_code == 200, r.text

    def config(self, **settings) -> dict:
        return self.post("/_sandbox/config", json=settings).json()

    def secrets(self) -> list[str]:
        return self.get("/_sandbox/secrets").json()["secrets"]

    def user_token(self, client=SANDBOX_APP) -> dict:
        """Log sandbox-user in through the real consent form and code exchange, as a browser would."""
        import base64
        import hashlib
        import secrets as _s

        verifier = _s.token_urlsafe(48)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        redirect = "http://127.0.0.1:9/callback"
        form = {
            "client_id": client[0],
            "redirect_uri": redirect,
            "response_type": "code",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": "s",
            "decision": "allow",
        }
        r = self.post("/authorize", data=form, allow_redirects=False)
        code = parse_qs(urlsplit(r.headers["Location"]).query)["code"][0]
        r = self.post(
            "/oauth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect,
                "client_id": client[0],
                "client_secret": client[1],
                "code_verifier": verifier,
            },
        )
        assert r.status_code == 200, r.text
        return r.json()

    def app_token(self) -> str:
        r = self.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=SANDBOX_APP)
        return r.json()["access_token"]


# The tests that take seconds of their own go first, so two workers finish together.
SLOW_FILES = ("test_packaging.py", "test_kill.py", "test_release_kill.py")


def pytest_collection_modifyitems(config, items):
    def slow(item) -> bool:
        return item.path.name in SLOW_FILES or item.get_closest_marker("slow") is not None

    items.sort(key=lambda item: not slow(item))  # stable: the rest keep their order


_SEEDED: dict[str, Path] = {}


def seeded_state(tmp_path_factory) -> Path:
    """A fresh sandbox state directory. The seed is deterministic, so it is made once per
    process and copied: seeding costs a quarter of a second, a copy a few milliseconds."""
    import shutil

    if "template" not in _SEEDED:
        template = tmp_path_factory.mktemp("seed-template") / "state"
        SandboxServer(template).start().stop()
        (template / "server.lock").unlink(missing_ok=True)
        _without_own_relations(template)
        _SEEDED["template"] = template
    target = tmp_path_factory.mktemp("sandbox") / "state"
    shutil.copytree(_SEEDED["template"], target)
    return target


def _without_own_relations(state: Path) -> None:
    """The seed gives sandbox-user follows, likes, reposts and plays (so a fresh sandbox shows
    something). Tests of those relations start from none, so each sees exactly its own
    writes; a test that wants the seed as users get it resets the sandbox (`reseed`)."""
    import sqlite3

    from sccli.sandbox.library import LIBRARY_BASE

    db = sqlite3.connect(state / "sandbox.db")
    with db:
        for table in ("plays", "followings"):
            db.execute(f"DELETE FROM {table} WHERE user_id = 1001")
        # Her downloadable library (`sc sync`'s) stays: the sync tests start from it.
        for table in ("likes", "reposts"):
            db.execute(
                f"DELETE FROM {table} WHERE user_id = 1001"
                " AND NOT (kind = 'track' AND target_id >= ?)",
                (LIBRARY_BASE,),
            )
    db.close()


@pytest.fixture
def sandbox(tmp_path_factory):
    server = SandboxServer(seeded_state(tmp_path_factory)).start()
    sb = Sandbox(server, server.url)
    yield sb
    # No command but `sc auth token` may ever print a secret the sandbox issued.
    issued = [s for s in sb.secrets() if len(s) >= 16]
    # Nor may sc call a deprecated operation but the few it declares (`sc api` asks its own).
    if not any(_command_word(run.args) == "api" for run in sb.runs):
        called = deprecated_calls(sb.get("/_sandbox/requests").json()["requests"])
        assert not called, f"sc called deprecated operations: {called}"
    server.stop()
    for run in sb.runs:
        if run.args[-2:] == ["auth", "token"] or run.args[-1:] == ["token"] and "auth" in run.args:
            continue
        for s in issued:
            assert s not in run.stdout and s not in run.stderr, f"secret leaked by sc {run.args}"


def _command_word(args: list[str]) -> str | None:
    return next((a for a in args if not a.startswith("-")), None)


@pytest.fixture
def home(tmp_path) -> Path:
    d = tmp_path / "home"
    d.mkdir()
    return d


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SC_")}
    env.update(
        {
            "SC_CONFIG_DIR": str(home / "config"),
            "HOME": str(home),
            "NO_COLOR": "1",
            "COLUMNS": "120",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
    )
    env.pop("SSH_CONNECTION", None)
    return env


def sandbox_env(
    sandbox: Sandbox | SandboxServer | str,
    home: Path,
    token_file: Path | None = None,
    *,
    app: bool = True,
    **extra: str | None,
) -> dict[str, str]:
    """The environment of an `sc` pointed at a sandbox: base_env, the sandbox's URLs, its
    app's credentials (unless app=False) and a token file; `extra` last (None removes)."""
    url = sandbox if isinstance(sandbox, str) else sandbox.url
    e: dict[str, str | None] = {**base_env(home), "SC_API_URL": url, "SC_AUTH_URL": url}
    if app:
        e.update({"SC_CLIENT_ID": SANDBOX_APP[0], "SC_CLIENT_SECRET": SANDBOX_APP[1]})
    if token_file is not None:
        e["SC_TOKEN_FILE"] = str(token_file)
    e.update(extra)
    return {k: v for k, v in e.items() if v is not None}


@pytest.fixture
def sc(sandbox, home):
    """Run `sc` against the sandbox with the sandbox app's credentials (client credentials)."""

    def run(
        *args: str,
        env: dict | None = None,
        input: str | None = None,
        tty: bool = False,
        timeout: float = 120,
        app: bool = True,
        subprocess: bool = False,
        clock=None,
        cols: int = 120,
    ) -> Result:
        # Headless test machines have no keyring: cache the app token in a file, as CI would.
        token = home / "app-token.json" if app else None
        e = sandbox_env(sandbox, home, token, app=app, **(env or {}))
        stream = (tty if isinstance(tty, str) else "stdout") if tty else None
        if not subprocess:
            res = run_inprocess(list(args), e, input, stream, clock)
        elif stream:
            res = run_tty(list(args), e, timeout, stream, cols)
        else:
            res = run_plain(list(args), e, input, timeout)
        sandbox.runs.append(res)
        return res

    return run


@pytest.fixture
def user_sc(sc, sandbox, home):
    """`sc` logged in as sandbox-user, with the token in a SC_TOKEN_FILE like a CI job's."""
    token_file = home / "token.json"
    token_file.write_text(json.dumps(sandbox.user_token()))
    token_file.chmod(0o600)

    def run(*args: str, env: dict | None = None, **kw) -> Result:
        return sc(*args, env={"SC_TOKEN_FILE": str(token_file), **(env or {})}, **kw)

    run.token_file = token_file  # type: ignore[attr-defined]
    return run


def default_sigint() -> None:
    """For a child a test will interrupt: a suite started from a background job inherits
    SIGINT ignored, and then the child's Ctrl-C would never arrive (preexec_fn)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def free_port() -> int:
    """A free port below the ephemeral range: a server another test starts on port 0 (in this
    worker or the other) cannot be handed it between this check and the login's bind."""
    import random
    import socket

    for _ in range(200):
        port = random.randint(20000, 29999)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 29999")


class _Stream(io.StringIO):
    def __init__(self, text: str = "", tty: bool = False):
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def run_inprocess(args, env, input, tty_stream: str | None = None, clock=None) -> Result:
    """The real `main()` in this process, on an Environment the test owns (and its clock)."""
    from sccli.cli.app import main
    from sccli.cli.context import Environment, Streams

    ttys = set(tty_stream.split(",")) if tty_stream else set()  # e.g. "stdin,stderr"
    streams = Streams(
        stdin=_Stream(input or "", tty="stdin" in ttys),
        stdout=_Stream(tty="stdout" in ttys),
        stderr=_Stream(tty="stderr" in ttys),
        stdin_tty="stdin" in ttys,
        stdout_tty="stdout" in ttys,
        stderr_tty="stderr" in ttys,
    )
    env = {"COLUMNS": "120", **env} if tty_stream else env
    slept: list[float] = []

    def fast_sleep(seconds: float) -> None:
        """Back-offs and polls in tests: the same steps, a tenth of the wait, recorded."""
        slept.append(seconds)
        time.sleep(min(seconds / 10, 0.5))

    environment = Environment(streams=streams, environ=env, sleep=fast_sleep)
    if clock is not None:
        environment.clock = clock
    code = main(args, environment)
    return Result(args, code, streams.stdout.getvalue(), streams.stderr.getvalue(), slept)


def run_plain(args, env, input, timeout) -> Result:
    p = subprocess.run(
        SC_CMD + args,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=None if input is not None else subprocess.DEVNULL,
    )
    return Result(args, p.returncode, p.stdout, p.stderr)


def run_tty(args, env, timeout, stream: str = "stdout", cols: int = 120) -> Result:
    """One of stdout or stderr on a pseudo-terminal (a faked terminal) `cols` wide; the other
    captured apart."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    on_tty = stream == "stdout"
    p = subprocess.Popen(
        SC_CMD + args,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=slave if on_tty else subprocess.PIPE,
        stderr=subprocess.PIPE if on_tty else slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    other = (p.stderr if on_tty else p.stdout).read().decode()
    p.wait(timeout)
    os.close(master)
    faked = b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")
    return Result(args, p.returncode, faked if on_tty else other, other if on_tty else faked)


# -- real systems: a browser -------------------------------------------------------------------
def require(tool: str):
    """Skip without the tool, except where CI installed it (SC_REQUIRE_SYSTEM_TESTS)."""
    import shutil

    if shutil.which(tool):
        return
    if os.environ.get("SC_REQUIRE_SYSTEM_TESTS"):
        pytest.fail(f"{tool} is required here (.ci/run installs it)")
    pytest.skip(f"{tool} is not installed")


@pytest.fixture
def chrome():
    """Headless Chromium through chromedriver, its console kept (driver.get_log("browser"))."""
    require("chromium")
    require("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    yield driver
    driver.quit()
