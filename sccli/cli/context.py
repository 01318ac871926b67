"""One context per invocation, injected: streams, environment, sleep, settings, output, client.

`Environment` is what an invocation takes from the outside world (httpie's Environment);
`main()` builds the real one and tests build their own. The root callback turns it into an
`AppContext` in `ctx.obj`. Its `Factory` (gh's) builds what talks to SoundCloud explicitly, in
order, when a command first asks: so `sc --help` touches neither the network nor the keyring.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from sccli.cli import _click as click

if TYPE_CHECKING:
    from sccli.core.auth import Authenticator
    from sccli.core.client import Client
    from sccli.core.config import Settings
    from sccli.core.tokens import TokenStore
    from sccli.render import OutputOptions, Renderer
    from sccli.sandbox.server import SandboxServer


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass
class Streams:
    stdin: IO[str]
    stdout: IO[str]
    stderr: IO[str]
    stdin_tty: bool = False
    stdout_tty: bool = False
    stderr_tty: bool = False

    @classmethod
    def system(cls) -> Streams:
        s = (sys.stdin, sys.stdout, sys.stderr)
        return cls(*s, *(_isatty(x) for x in s))


@dataclass
class Environment:
    """The outside world of one invocation."""

    streams: Streams = field(default_factory=Streams.system)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time

    def flag(self, name: str) -> bool:
        return self.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class Factory:
    """What talks to SoundCloud, built explicitly and in this order, each once, when a command
    first asks for it (gh's Factory):

    1. `api_settings()`: the settings requests use; with --sandbox, the sandbox is started
       and they point at it (its app, its own token file);
    2. `store()`: where the token is kept (`insecure`: a 0600 file, not the keyring);
    3. `authenticator()`: over a Client with no token of its own, for OAuth's endpoints;
    4. `client()`: the API's Client, given the authenticator; with --sandbox, the sandbox's
       built-in user is logged in.
    """

    def __init__(
        self,
        env: Environment,
        settings: Settings,
        *,
        debug: Callable[[str], None],
        warn: Callable[[str], None],
    ):
        import threading

        from sccli.core.redact import Scrubber

        self.env = env
        self.settings = settings
        self.scrubber = Scrubber()  # one for every Client of the invocation
        # A batch's --jobs workers may ask for the client first, all at once: one builds it.
        self._lock = threading.RLock()
        self._debug = debug
        self._warn = warn
        self._api_settings: Settings | None = None
        self._sandbox: SandboxServer | None = None
        self._store: TokenStore | None = None
        self._insecure: bool | None = None
        self._auth: Authenticator | None = None
        self._client: Client | None = None

    def api_settings(self) -> Settings:
        with self._lock:
            if self._api_settings is None:
                api = self.settings
                if self.settings.sandbox:
                    from sccli import sandbox
                    from sccli.sandbox.server import SandboxServer

                    self._sandbox = SandboxServer(self.settings.data_dir / "sandbox").start()
                    api = self.settings.for_sandbox(
                        self._sandbox.url, sandbox.CLIENT_ID, sandbox.CLIENT_SECRET
                    )
                self._api_settings = api
            return self._api_settings

    def store(self, *, insecure: bool = False) -> TokenStore:
        with self._lock:
            if self._store is None:
                from sccli.core.tokens import open_store

                self._insecure = insecure
                self._store = open_store(self.api_settings(), insecure=insecure, warn=self._warn)
            assert insecure in (False, self._insecure), "the store was opened before --insecure"
            return self._store

    def authenticator(self) -> Authenticator:
        with self._lock:
            if self._auth is None:
                from sccli.core.auth import Authenticator

                oauth = self._new_client(tokens=None)
                self._auth = Authenticator(self.api_settings(), self.store(), oauth)
            return self._auth

    def client(self) -> Client:
        with self._lock:
            if self._client is None:
                auth = self.authenticator()
                client = self._new_client(tokens=auth)
                if self.api_settings().sandbox:
                    from sccli.core.login import sandbox_login_if_needed

                    sandbox_login_if_needed(auth, client)
                self._client = client
            return self._client

    def _new_client(self, tokens: Authenticator | None) -> Client:
        from sccli.core.client import Client

        settings = self.api_settings()
        debug = self._debug if settings.debug else None
        return Client(settings, tokens, debug=debug, sleep=self.env.sleep, scrub=self.scrubber)

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None


class AppContext:
    """Everything a command needs, decided once per invocation. What talks to SoundCloud
    comes from its Factory: `sc.client`, `sc.auth` and `sc.store` are the Factory's steps."""

    def __init__(self, env: Environment, settings: Settings):
        self.env = env
        self.streams = env.streams
        self.settings = settings  # as resolved: flags, environment, config, defaults
        self.output: OutputOptions | None = None
        self._out: Renderer | None = None
        self.factory = Factory(env, settings, debug=self._debug_line, warn=self.info)

    # -- messages ---------------------------------------------------------------------------------
    def info(self, message: str) -> None:
        """A message for the person, on stderr (never stdout, which is for data)."""
        from sccli.render import safe_text

        text = self.scrub(message)
        self.streams.stderr.write((safe_text(text) if self.streams.stderr_tty else text) + "\n")
        self.streams.stderr.flush()

    def echo(self, text: str) -> None:
        """One line of data on stdout."""
        from sccli.render import safe_text

        self.streams.stdout.write((safe_text(text) if self.streams.stdout_tty else text) + "\n")
        self.streams.stdout.flush()

    def scrub(self, text: str) -> str:
        text = self.factory.scrubber(text)
        # Before the client exists too: the secrets the settings already hold.
        for secret in (self.settings.access_token, self.settings.client_secret):
            if secret and len(secret) >= 12:  # a real secret, not a word like "public"
                text = text.replace(secret, "***")
        return text

    @contextlib.contextmanager
    def after_write(self, created: dict) -> Iterator[None]:
        """Steps after a write that succeeded: if one fails, the created object still goes to
        stdout (JSON in a pipe) before the error, so a script can pick up where it stopped."""
        from sccli.core.errors import SccliError
        from sccli.core.refs import urn_kind

        try:
            yield
        except SccliError:
            urn = created.get("urn")
            self.out.one(created, urn_kind(urn) if isinstance(urn, str) and ":" in urn else None)
            self.info(f"created {urn}, but a later step failed:")
            raise

    # -- output -----------------------------------------------------------------------------------
    def decide_output(self, output: OutputOptions) -> None:
        self.output = output
        self._out = None

    @property
    def out(self) -> Renderer:
        if self._out is None:
            from sccli.render import OutputOptions, Renderer

            if self.output is None:
                self.output = OutputOptions.decide(
                    default=self.settings.output, stdout_tty=self.streams.stdout_tty
                )
            self._out = Renderer(
                self.output,
                self.streams.stdout,
                is_tty=self.streams.stdout_tty,
                environ=self.env.environ,
                notice=self.info,
            )
        return self._out

    # -- what the factory builds ----------------------------------------------------------------
    @property
    def client(self) -> Client:
        return self.factory.client()

    @property
    def auth(self) -> Authenticator:
        return self.factory.authenticator()

    @property
    def store(self) -> TokenStore:
        return self.factory.store()

    def _debug_line(self, line: str) -> None:
        self.streams.stderr.write(line + "\n")

    def close(self) -> None:
        self.factory.close()


def app_context(ctx: click.Context | None = None) -> AppContext:
    """The invocation's context, from a Typer command's `ctx` (or the current click context)."""
    obj = (ctx or click.get_current_context()).find_root().obj
    assert isinstance(obj, AppContext)
    return obj
