"""`sc config`: per-profile settings in the config file."""

from __future__ import annotations

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import command
from sccli.core.config import CONFIG_KEYS

app = typer.Typer(help="Read and change settings, per profile.", no_args_is_help=True)
KEY = typer.Argument(..., metavar="KEY", help="One of: " + ", ".join(CONFIG_KEYS) + ".")


def config_file(sc: AppContext, *, repair: bool = False):  # noqa: ANN201 - ConfigFile, lazily
    from sccli.core.config import ConfigFile, config_path

    return ConfigFile(config_path(sc.env.environ), repair=repair)


def _say_dropped(sc: AppContext, dropped: list[str]) -> None:
    """A repair is said out loud: the lines it left out, as they were (escaped on a terminal)."""
    for line in dropped:
        sc.info(f"dropped a stray line from the config file: {line[:200]!r}")


@command(app, "get")
def get(ctx: typer.Context, key: str = KEY):
    """Print one setting of the profile (exit 1 when it is not set).

    \b
    Examples:
      $ sc config get sharing
    """
    sc = app_context(ctx)
    value = config_file(sc).get(sc.settings.profile, key)
    if value is None:
        raise typer.Exit(1)
    sc.echo(value)


@command(app, "set")
def set_(
    ctx: typer.Context,
    key: str = KEY,
    value: str = typer.Argument(..., metavar="VALUE", help="The new value."),
):
    """Change one setting of the profile. The value is checked before it is written.

    \b
    Examples:
      $ sc config set sharing public
      $ sc config set redirect-port 8765
    """
    sc = app_context(ctx)
    cfg = config_file(sc, repair=True)
    stored = cfg.set(sc.settings.profile, key, value)
    _say_dropped(sc, cfg.dropped)
    sc.info(f"{key} = {stored} (profile {sc.settings.profile})")


@command(app, "unset")
def unset(ctx: typer.Context, key: str = KEY):
    """Remove one setting of the profile, so the default applies again.

    \b
    Examples:
      $ sc config unset sharing
    """
    from sccli.core.config import config_path, unset_key

    sc = app_context(ctx)
    _say_dropped(sc, unset_key(config_path(sc.env.environ), sc.settings.profile, key))


@command(app, "list", OUTPUT)
def list_(ctx: typer.Context):
    """List the profile's settings.

    \b
    Examples:
      $ sc config list
      $ sc config list --json
    """
    sc = app_context(ctx)
    values = config_file(sc).profile(sc.settings.profile)
    if sc.out.options.plain_table:
        for k, v in values.items():
            sc.echo(f"{k}={v}")
    else:
        sc.out.one(values)


@command(app, "path")
def path(ctx: typer.Context):
    """Print the config file's path.

    \b
    Examples:
      $ sc config path
    """
    from sccli.core.config import config_path

    sc = app_context(ctx)
    sc.echo(str(config_path(sc.env.environ)))
