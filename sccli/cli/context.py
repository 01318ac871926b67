"""One context per invocation: settings, the renderer, and a Client created on first use."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from sccli.cli import _click as click

if TYPE_CHECKING:
    from sccli.core.auth import Authenticator
    from sccli.core.client import Client
    from sccli.core.config import Settings
    from sccli.render import Renderer


class AppContext:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._client: Client | None = None
        self._auth: Authenticator | None = None
        self._out: Renderer | None = None
        self._sandbox = None
        self.output_opts: dict[str, Any] = {}

    # -- streams ---------------------------------------------------------------------------------
    @property
    def stderr_tty(self) -> bool:
        return sys.stderr.isatty()

    def info(self, message: str) -> None:
        """A message for the person, on stderr (never stdout, which is for data)."""
        click.echo(self.scrub(message), err=True)

    def scrub(self, text: str) -> str:
        return self._client.scrub(text) if self._client else text

    # -- output ----------------------------------------------------------------------------------
    def configure_output(
        self,
        *,
        json: bool,
        ndjson: bool,
        table: bool,
        tsv: bool,
        fields: str | None,
        query: str | None,
    ) -> None:
        from sccli.core.errors import UsageError

        chosen = [
            m
            for m, on in (("json", json), ("ndjson", ndjson), ("table", table), ("tsv", tsv))
            if on
        ]
        if len(chosen) > 1:
            raise UsageError("choose one of --json, --ndjson, --table and --tsv")
        mode = chosen[0] if chosen else self.settings.output
        field_list = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
        self.output_opts = {"mode": mode, "fields": field_list, "query": query}
        self._out = None

    @property
    def out(self) -> Renderer:
        if self._out is None:
            from sccli.render import Renderer

            self._out = Renderer(**(self.output_opts or {"mode": self.settings.output}))
        return self._out

    # -- the client ------------------------------------------------------------------------------
    @property
    def client(self) -> Client:
        if self._client is None:
            from sccli.core.auth import Authenticator
            from sccli.core.client import Client
            from sccli.core.tokens import open_store

            if self.settings.sandbox:
                self._start_sandbox()
            debug = (lambda line: click.echo(line, err=True)) if self.settings.debug else None
            self._client = Client(self.settings, debug=debug)
            self._auth = Authenticator(self.settings, open_store(self.settings), self._client)
            self._client.tokens = self._auth
            if self.settings.sandbox:
                from sccli.core.login import sandbox_login_if_needed

                sandbox_login_if_needed(self._auth)
        return self._client

    @property
    def auth(self) -> Authenticator:
        self.client  # noqa: B018 - builds the authenticator alongside
        assert self._auth is not None
        return self._auth

    def _start_sandbox(self) -> None:
        from sccli import sandbox
        from sccli.sandbox.server import SandboxServer

        self._sandbox = SandboxServer(self.settings.data_dir / "sandbox").start()
        from dataclasses import replace

        self.settings = replace(
            self.settings,
            api_url=self._sandbox.url,
            auth_url=self._sandbox.url,
            client_id=sandbox.CLIENT_ID,
            client_secret=sandbox.CLIENT_SECRET,
            # Real credentials never meet the sandbox, and its tokens never land in real stores.
            access_token=None,
            token_file=None,
        )

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None


def get_app() -> AppContext:
    ctx = click.get_current_context()
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj
