"""`sc auth app import | show`: your SoundCloud app, as SoundCloud's `sc-api-auth` prints it
(sccli.core.apps keeps it)."""

from __future__ import annotations

from pathlib import Path

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import NoOptions, command
from sccli.core.record import record

app = typer.Typer(
    help="Your SoundCloud app: import what sc-api-auth printed, show it.", no_args_is_help=True
)


@command(app, "import")
def import_(
    ctx: typer.Context,
    file: str = typer.Argument(
        ..., metavar="FILE|-", help="The JSON sc-api-auth printed; - reads it from stdin."
    ),
    insecure_storage: bool = typer.Option(
        False, "--insecure-storage", help="Keep the secret in a 0600 file, not the OS keyring."
    ),
):
    """Store your app, so `sc auth login` needs no flags.

    Takes the JSON SoundCloud's sign-in tool sc-api-auth prints when it registers your app
    ({client_id, client_secret, name, website, redirect_uri}). The secret goes where the
    profile's tokens go (the OS keyring, else a 0600 file); client_id and the redirect URI
    go to the config, and login then listens exactly where the redirect URI says.

    \b
    Examples:
      $ sc auth app import app.json
      $ sc auth app import - < app.json
    """
    run_import(app_context(ctx), ImportOptions(file, insecure_storage))


@record
class ImportOptions:
    file: str  # a path, or - for stdin
    insecure: bool = False


def _read(sc: AppContext, file: str) -> str:
    """The JSON given: a regular file, or stdin, each of a bounded size (fsutil)."""
    from sccli.core.errors import UsageError
    from sccli.core.fsutil import read_capped, read_small

    try:
        if file == "-":
            if sc.streams.stdin_tty:  # else it would wait, silent, for what is never coming
                sc.info("reading the app's JSON from stdin; end with Ctrl-D")
            return read_capped(sc.streams.stdin)
        return read_small(Path(file)).decode("utf-8")  # a device (/dev/zero) is refused
    except FileNotFoundError:
        raise UsageError(f"no such file: {file}") from None
    except (OSError, UnicodeDecodeError) as e:
        name = "stdin" if file == "-" else file
        raise UsageError(f"cannot read {name}: {getattr(e, 'strerror', None) or e}") from None


def run_import(sc: AppContext, o: ImportOptions) -> None:
    from sccli.cli.config import config_file
    from sccli.core.apps import parse_app, save_app
    from sccli.core.errors import StoreError

    found = parse_app(_read(sc, o.file))
    try:
        where = save_app(sc.settings, found, insecure=o.insecure)
    except StoreError as e:
        e.hint = "`sc auth app import --insecure-storage` keeps the secret in a 0600 file"
        raise
    cfg, profile = config_file(sc), sc.settings.profile
    cfg.set(profile, "client-id", found.client_id)
    if found.redirect_uri:
        cfg.set(profile, "redirect-uri", found.redirect_uri)
    elif cfg.get(profile, "redirect-uri") is not None:
        cfg.unset(profile, "redirect-uri")  # another app's: it would not match this one
    name = f"{found.name} " if found.name else ""
    sc.info(
        f"stored the app {name}({found.client_id}) for profile {profile}: its secret in the "
        f"{where}; `sc auth login` needs no flags now"
    )
    if not found.redirect_uri:
        from sccli.core.login import default_redirect_uri

        sc.info(register_hint(default_redirect_uri(sc.settings.redirect_port)))


def register_hint(uri: str) -> str:
    """The one line that says what redirect URI to register, when the app names none."""
    return (
        f"note: your app has no redirect URI sc knows of: register {uri} for it (or "
        "`sc config set redirect-uri URI` to the one it has)"
    )


@command(app, "show", OUTPUT)
def show(ctx: typer.Context):
    """Show the app stored for this profile, without its secret.

    \b
    Examples:
      $ sc auth app import app.json && sc auth app show
      $ sc auth app import app.json && sc auth app show --json
    """
    run_show(app_context(ctx), NoOptions())


def run_show(sc: AppContext, _: NoOptions) -> None:
    from sccli.core.apps import load_app
    from sccli.core.errors import NotFound

    found = load_app(sc.settings)
    if found is None:
        raise NotFound(
            f"no app is stored for profile {sc.settings.profile}",
            hint="`sc auth app import FILE` takes the JSON sc-api-auth printed",
        )
    sc.out.one({"profile": sc.settings.profile, **found.shown()})
