"""One sandbox and one home shared by a module's in-process runs, and what every run owes.

The fuzz suite and the edge tests run hundreds of invocations: a sandbox each would cost
most of the suite's budget, so a module shares one (`world` fixtures), and every run puts the
login and the config back as they were.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from conftest import Result, Sandbox, run_inprocess, sandbox_env

from sccli.sandbox.server import SandboxServer

DOCUMENTED_EXITS = {0, 1, 2, 3, 4, 5, 6, 130}


@dataclass
class World:
    """A sandbox, a home, and a logged-in token file that every run starts from."""

    sandbox: Sandbox
    home: Path
    runs: list[Result] = field(default_factory=list)
    token_text: str = ""

    @property
    def token_file(self) -> Path:
        return self.home / "token.json"

    def relogin(self) -> None:
        self.token_text = json.dumps(self.sandbox.user_token())
        self.token_file.write_text(self.token_text)
        self.token_file.chmod(0o600)

    def env(self, extra: dict | None = None) -> dict[str, str]:
        return sandbox_env(self.sandbox, self.home, self.token_file, **(extra or {}))

    def run(
        self, *args: str, env: dict | None = None, input: str | None = None, tty: str | None = None
    ) -> Result:
        """`sc` in-process; afterwards the login and the config are put back as they were, so
        one example's `auth logout` or `config set` cannot change what the next one sees."""
        res = run_inprocess(list(args), self.env(env), input, tty)
        self.runs.append(res)
        cfg = self.home / "config"
        if cfg.exists():
            shutil.rmtree(cfg)
        try:
            same = self.token_file.read_text() == self.token_text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            self.relogin()
        return res


def open_world(tmp_path_factory) -> Iterator[World]:
    """The body of a module's `world` fixture."""
    from conftest import seeded_state

    server = SandboxServer(seeded_state(tmp_path_factory)).start()
    w = World(Sandbox(server, server.url), tmp_path_factory.mktemp("world-home"))
    # Hundreds of runs without a login each mint an app token: keep the sandbox's
    # client-credentials rate limit out of the way (its own tests cover it).
    w.sandbox.config(cc_per_app_12h=1_000_000, cc_per_ip_1h=1_000_000)
    w.relogin()
    # Commands that write files where they are run (`tracks download` with no -o, or -o -)
    # write into the world's home, never into the checkout the suite runs from.
    cwd = os.getcwd()
    os.chdir(w.home)
    try:
        yield w
    finally:
        os.chdir(cwd)
    # As the `sandbox` fixture does: no run but `sc auth token` may print a secret it issued.
    issued = [s for s in w.sandbox.secrets() if len(s) >= 16]
    server.stop()
    for run in w.runs:
        if "token" in run.args and "auth" in run.args:
            continue
        for s in issued:
            assert s not in run.stdout and s not in run.stderr, f"secret leaked by sc {run.args}"


def assert_contract(r: Result, debug: bool = False) -> None:
    """What every run owes its caller, whatever it was given (`debug`: SC_DEBUG=1 was set)."""
    assert r.code in DOCUMENTED_EXITS, r
    r.stdout.encode("utf-8")  # what a real stdout would have refused mid-write (lone surrogates)
    if debug or "--debug" in r.args:
        return  # --debug adds the HTTP log and, on error, the traceback
    assert "Traceback" not in r.stderr, r
    # The boundary's last resort: an exception sc did not expect is a bug, even when caught.
    assert "run with --debug for the details" not in r.stderr, r
    if r.code == 0:
        assert "error:" not in r.stderr, r
        return
    # One `error:` line, then perhaps a `hint:`; before it only what was said on the way (a
    # write that succeeded says so before a later step fails).
    lines = r.stderr.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("error: ")]
    assert len(errors) == 1, r
    tail = lines[errors[0] + 1 :]
    while tail and tail[0].startswith("  "):  # several problems (a manifest's): one a line
        tail = tail[1:]
    assert tail == [] or (len(tail) == 1 and tail[0].startswith("hint: ")), r
