"""`sc sandbox`: run or reset the local imitation of the SoundCloud API."""

from __future__ import annotations

from pathlib import Path

import typer

from sccli.cli import _click as click
from sccli.cli.context import AppContext, app_context
from sccli.cli.params import command
from sccli.core.record import record

app = typer.Typer(help="Run or reset the local SoundCloud sandbox.", no_args_is_help=True)


def _data_dir(sc: AppContext, data: Path | None) -> Path:
    return data if data else sc.settings.data_dir / "sandbox"


@command(app, "serve")
def serve(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (not loopback: needs --public)."
    ),
    public: bool = typer.Option(
        False,
        "--public",
        help="Allow a --host other than loopback; anyone who can reach it can use the sandbox.",
    ),
    port: int = typer.Option(
        8787, "--port", "-p", min=0, max=65535, help="Port (0: any free port)."
    ),
    data: Path | None = typer.Option(
        None,
        "--data",
        metavar="DIR",
        help="State directory (default: the user data dir's sandbox/).",
    ),
    redirect_uri: str | None = typer.Option(
        None,
        "--redirect-uri",
        metavar="URI",
        help="Demand exactly this redirect URI, as SoundCloud does (default: any http://127.0.0.1:PORT/callback).",
    ),
    token_lifetime: int | None = typer.Option(
        None,
        "--token-lifetime",
        min=1,
        metavar="SECONDS",
        help="Lifetime of issued access tokens (default 3599).",
    ),
    seed_tracks: int | None = typer.Option(
        None,
        "--seed-tracks",
        min=0,
        metavar="N",
        help="Seed N made-up tracks instead of the usual 1,200 (forgets other state), for tests at scale.",
    ),
    log: bool = typer.Option(
        False, "--log", help="Log each request's method, path and status to stderr."
    ),
):
    """Serve the sandbox API and OAuth pages until interrupted.

    Point sc (or any script) at it with SC_API_URL and SC_AUTH_URL; its app is
    client_id `sandbox` and its user `sandbox-user`. Test controls live under /_sandbox/.

    \b
    Examples:
      $ sc sandbox serve --port 8787 --data ./sandbox-state
    """
    opts = ServeOptions(host, public, port, data, redirect_uri, token_lifetime, seed_tracks, log)
    run_serve(app_context(), opts)


@record
class ServeOptions:
    host: str = "127.0.0.1"
    public: bool = False  # a --host other than loopback is allowed
    port: int = 8787
    data: Path | None = None
    redirect_uri: str | None = None
    token_lifetime: int | None = None
    seed_tracks: int | None = None
    log: bool = False


def run_serve(sc: AppContext, o: ServeOptions) -> None:
    import ipaddress
    import logging

    from sccli.core.errors import SccliError, UsageError
    from sccli.sandbox.server import SandboxServer, StateBusy

    host, port = o.host, o.port
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not o.public:
        raise UsageError(
            f"--host {host} is not loopback: anyone who can reach it could use the sandbox",
            "add --public if that is what you want",
        )
    if o.log:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        server = SandboxServer(
            _data_dir(sc, o.data),
            host,
            port,
            redirect_uri=o.redirect_uri,
            log_requests=o.log,
            seed_tracks=o.seed_tracks,
        )
    except StateBusy as e:
        raise SccliError(str(e)) from None
    except OSError as e:
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    if not loopback:
        click.echo(
            f"warning: listening on {host}, not loopback: anyone who can reach it can use the "
            "sandbox (its /_sandbox/ controls still answer loopback clients only)",
            err=True,
        )
    if o.token_lifetime:
        server.app.store.set_setting("token_lifetime", o.token_lifetime)
    click.echo(f"sandbox listening on {server.url}", err=True)
    click.echo(
        f"  export SC_API_URL={server.url} SC_AUTH_URL={server.url} SC_CLIENT_ID=sandbox", err=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@command(app, "reset")
def reset(
    data: Path | None = typer.Option(
        None,
        "--data",
        metavar="DIR",
        help="State directory (default: the user data dir's sandbox/).",
    ),
):
    """Put the sandbox back to its seed data.

    Uploads, logins and tokens are forgotten.

    \b
    Examples:
      $ sc sandbox reset
    """
    run_reset(app_context(), ResetOptions(data))


@record
class ResetOptions:
    data: Path | None = None  # the state directory; None: the user data dir's sandbox/


def run_reset(sc: AppContext, o: ResetOptions) -> None:
    import shutil

    from sccli.core.errors import SccliError, UsageError
    from sccli.sandbox.lock import DirLock

    target = _data_dir(sc, o.data)
    if target.exists():
        if not (target / "sandbox.db").exists():
            raise UsageError(
                f"{target} does not look like sandbox state (no sandbox.db); not removing it"
            )
        lock = DirLock(target)
        if not lock.acquire(exclusive=True):
            raise SccliError(f"{target} is in use by a running sandbox server; stop it first")
        try:
            shutil.rmtree(target)
        finally:
            lock.release()
    click.echo(f"sandbox state reset ({target})", err=True)
