"""`sc config`: per-profile settings in the config file."""

from __future__ import annotations

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import NoOptions, command
from sccli.core.config import CONFIG_KEYS
from sccli.core.record import record

app = typer.Typer(help="Read and change settings, per profile.", no_args_is_help=True)


def _keys(incomplete: str) -> list[str]:
    return [k for k in CONFIG_KEYS if k.startswith(incomplete)]


def _values(ctx: typer.Context, incomplete: str) -> list[str]:
    """`sc config set sharing <TAB>`: the values a key takes, where they are few."""
    from sccli.core.settings_view import CHOICES

    key = ctx.params.get("key") or ""
    return [v for v in CHOICES.get(key, ()) if v.startswith(incomplete)]


KEY = typer.Argument(
    ...,
    metavar="KEY",
    autocompletion=_keys,
    help="One of: " + ", ".join(CONFIG_KEYS) + ".",
)


def config_file(sc: AppContext, *, repair: bool = False):  # noqa: ANN201 - ConfigFile, lazily
    from sccli.core.config import ConfigFile, config_path

    return ConfigFile(config_path(sc.env.environ), repair=repair)


def _say_dropped(sc: AppContext, dropped: list[str]) -> None:
    """A repair is said out loud: the lines it left out, as they were (escaped on a terminal)."""
    for line in dropped:
        sc.info(f"dropped a stray line from the config file: {line[:200]!r}")


def _entries(sc: AppContext) -> list:  # list[Entry], imported lazily
    from sccli.core.settings_view import entries

    values = config_file(sc).profile(sc.settings.profile)
    return entries(values, sc.env.environ, sc.settings.profile)


@command(app, "get")
def get(ctx: typer.Context, key: str = KEY):
    """Print one setting of the profile: its value, else its default.

    A key with no value and no default (client-id) says so and exits 1.

    \b
    Examples:
      $ sc config get sharing
    """
    run_get(app_context(ctx), KeyOptions(key))


@record
class KeyOptions:
    """`get` and `unset`: one KEY."""

    key: str


def run_get(sc: AppContext, o: KeyOptions) -> None:
    from sccli.core.config import check_key
    from sccli.core.errors import SccliError

    key = o.key
    check_key(key)
    entry = next(e for e in _entries(sc) if e.key == key)
    if entry.value is None:
        raise SccliError(
            f"{key} is not set and has no default", hint=f"set it with `sc config set {key} VALUE`"
        )
    sc.echo(entry.value)


@command(app, "set")
def set_(
    ctx: typer.Context,
    key: str = KEY,
    value: str = typer.Argument(
        ..., metavar="VALUE", autocompletion=_values, help="The new value."
    ),
):
    """Change one setting of the profile. The value is checked before it is written.

    \b
    Examples:
      $ sc config set sharing public
      $ sc config set redirect-port 8765
    """
    run_set(app_context(ctx), SetOptions(key, value))


@record
class SetOptions:
    key: str
    value: str


def run_set(sc: AppContext, o: SetOptions) -> None:
    cfg = config_file(sc, repair=True)
    stored = cfg.set(sc.settings.profile, o.key, o.value)
    _say_dropped(sc, cfg.dropped)
    sc.info(f"{o.key} = {stored} (profile {sc.settings.profile})")


@command(app, "unset")
def unset(ctx: typer.Context, key: str = KEY):
    """Remove one setting of the profile, so the default applies again.

    \b
    Examples:
      $ sc config unset sharing
    """
    run_unset(app_context(ctx), KeyOptions(key))


def run_unset(sc: AppContext, o: KeyOptions) -> None:
    from sccli.core.config import config_path, unset_key

    _say_dropped(sc, unset_key(config_path(sc.env.environ), sc.settings.profile, o.key))


@command(app, "list", OUTPUT)
def list_(ctx: typer.Context):
    """List every setting, its default and its origin.

    The origin is the environment, the profile's config file or the default, in the order
    sc resolves them (a flag, where there is one, wins over all three).

    \b
    Examples:
      $ sc config list
      $ sc config list --json
    """
    run_list(app_context(ctx), NoOptions())


def run_list(sc: AppContext, _: NoOptions) -> None:
    sc.out.items([e.to_json() for e in _entries(sc)], "setting")


@command(app, "path")
def path(ctx: typer.Context):
    """Print the config file's path.

    \b
    Examples:
      $ sc config path
    """
    run_path(app_context(ctx), NoOptions())


def run_path(sc: AppContext, _: NoOptions) -> None:
    from sccli.core.config import config_path

    sc.echo(str(config_path(sc.env.environ)))
