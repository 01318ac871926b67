"""`sc config`: per-profile settings in the config file."""

import typer

from sccli.cli.context import get_app
from sccli.cli.output import output_options

app = typer.Typer(help="Read and change settings, per profile.", no_args_is_help=True)


def _cfg():
    from sccli.core.config import ConfigFile, config_path

    return ConfigFile(config_path())


def _key_help() -> str:
    from sccli.core.config import CONFIG_KEYS

    return "; ".join(f"{k}: {d}" for k, (_, d) in CONFIG_KEYS.items())


@app.command("get")
def get(
    key: str = typer.Argument(
        ...,
        metavar="KEY",
        help="One of: api-url, auth-url, client-id, redirect-port, sharing, output.",
    ),
):
    """Print one setting of the profile (exit 1 when it is not set).

    \b
    Examples:
      $ sc config get sharing
    """
    sc = get_app()
    value = _cfg().get(sc.settings.profile, key)
    if value is None:
        raise typer.Exit(1)
    typer.echo(value)


@app.command("set")
def set_(
    key: str = typer.Argument(
        ...,
        metavar="KEY",
        help="One of: api-url, auth-url, client-id, redirect-port, sharing, output.",
    ),
    value: str = typer.Argument(..., metavar="VALUE", help="The new value."),
):
    """Change one setting of the profile.

    \b
    Examples:
      $ sc config set sharing public
      $ sc config set redirect-port 8765
    """
    sc = get_app()
    stored = _cfg().set(sc.settings.profile, key, value)
    sc.info(f"{key} = {stored} (profile {sc.settings.profile})")


@app.command("unset")
def unset(key: str = typer.Argument(..., metavar="KEY", help="The setting to remove.")):
    """Remove one setting of the profile, so the default applies again.

    \b
    Examples:
      $ sc config unset sharing
    """
    sc = get_app()
    _cfg().unset(sc.settings.profile, key)


@app.command("list")
@output_options
def list_():
    """List the profile's settings.

    \b
    Examples:
      $ sc config list
      $ sc config list --json
    """
    sc = get_app()
    values = _cfg().profile(sc.settings.profile)
    if sc.out.mode == "table" and not sc.out.query and not sc.out.fields:
        for k, v in values.items():
            typer.echo(f"{k}={v}")
    else:
        sc.out.one(values)


@app.command("path")
def path():
    """Print the config file's path.

    \b
    Examples:
      $ sc config path
    """
    from sccli.core.config import config_path

    typer.echo(str(config_path()))
