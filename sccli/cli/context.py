"""One context per invocation, injected: streams, environment, sleep, settings, output, client.

`Environment` is what an invocation takes from the outside world (httpie's Environment, gh's
Factory); `main()` builds the real one and tests build their own. The root callback turns it
into an `AppContext` in `ctx.obj`, whose store, authenticator and Client are made on first use,
so `sc --help` touches neither the network nor the keyring.
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
    context: AppContext | None = None  # made by the root command from all of the above

    def flag(self, name: str) -> bool:
        return self.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class AppContext:
    """Everything a command needs, decided once per invocation."""

    def __init__(self, env: Environment, settings: Settings):
        self.env = env
        self.streams = env.streams
        self.settings = settings
        self.output: OutputOptions | None = None
        self.insecure_storage = False  # `auth login --insecure-storage`: a 0600 file, no keyring
        self._out: Renderer | None = None
        self._store: TokenStore | None = None
        self._client: Client | None = None
        self._auth: Authenticator | None = None
        self._sandbox: SandboxServer | None = None

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
        if self._client:
            text = self._client.scrub(text)
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

    # -- the client ------------------------------------------------------------------------------
    @property
    def store(self) -> TokenStore:
        if self._store is None:
            from sccli.core.tokens import open_store

            self._store = open_store(
                self.sandboxed_settings(), insecure=self.insecure_storage, warn=self.info
            )
        return self._store

    @property
    def client(self) -> Client:
        if self._client is None:
            from sccli.core.auth import Authenticator
            from sccli.core.client import Client

            settings = self.sandboxed_settings()
            debug = self._debug_line if settings.debug else None
            self._client = Client(settings, debug=debug, sleep=self.env.sleep)
            self._auth = Authenticator(settings, self.store, self._client)
            self._client.tokens = self._auth
            if settings.sandbox:
                from sccli.core.login import sandbox_login_if_needed

                sandbox_login_if_needed(self._auth)
        return self._client

    @property
    def auth(self) -> Authenticator:
        self.client  # noqa: B018 - builds the authenticator alongside
        assert self._auth is not None
        return self._auth

    def _debug_line(self, line: str) -> None:
        self.streams.stderr.write(line + "\n")

    def sandboxed_settings(self) -> Settings:
        """--sandbox: start the embedded server once and point the settings at it."""
        if self.settings.sandbox and self._sandbox is None:
            from sccli import sandbox
            from sccli.sandbox.server import SandboxServer

            server = SandboxServer(self.settings.data_dir / "sandbox").start()
            self._sandbox = server
            self.settings = self.settings.for_sandbox(
                server.url, sandbox.CLIENT_ID, sandbox.CLIENT_SECRET
            )
        return self.settings

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None


def app_context(ctx: click.Context | None = None) -> AppContext:
    """The invocation's context, from a Typer command's `ctx` (or the current click context)."""
    obj = (ctx or click.get_current_context()).find_root().obj
    assert isinstance(obj, AppContext)
    return obj
