"""Options several commands share, defined once, and the groups that carry them."""

import functools
from collections.abc import Callable
from typing import Any, Literal

import typer
from typer.core import TyperCommand

from sccli.cli import _click as click
from sccli.core.record import record
from sccli.core.values import ACCESS_VALUES, LICENSES, SHARING_VALUES

SHARING = SHARING_VALUES

# Literal types become click choices: validated, listed in --help, offered by completion.
License = Literal[LICENSES]  # type: ignore[valid-type]
Sharing = Literal[SHARING]  # type: ignore[valid-type]
Access = Literal[ACCESS_VALUES]  # type: ignore[valid-type]


@record
class NoOptions:
    """The options of a command that takes none (`sc config path`, `sc auth status`)."""


def license_option(help_text: str = "License: one of the eight SoundCloud license values."):
    return typer.Option(None, "--license", help=help_text)


def sharing_option(default: str | None = None, help_text: str = "public or private."):
    return typer.Option(default, "--sharing", help=help_text)


def limit_option(default: int = 50):
    return typer.Option(
        default, "--limit", "-L", min=1, metavar="N", help="How many results to print."
    )


def all_option():
    return typer.Option(
        False, "--all", help="Every result, following every page (streams with --ndjson)."
    )


def access_option():
    return typer.Option(
        None,
        "--access",
        metavar="LEVEL",
        help="Access level to include (repeatable): playable, preview or blocked.",
    )


def limit_or_all(limit: int, every: bool) -> int | None:
    return None if every else limit


def jobs_option(default: int = 1, help_text: str = "Work on N items at a time."):
    return typer.Option(default, "--jobs", "-j", min=1, max=16, metavar="N", help=help_text)


def quiet_option():
    return typer.Option(
        False, "--quiet", help="Do not warn that the API call behind this command is deprecated."
    )


def template_option(help_text: str):
    """File names from track fields, for `sync` and `tracks download` (core/names)."""
    return typer.Option(None, "--template", "-t", metavar="TEMPLATE", help=help_text)


def archive_option(help_text: str):
    """The file that lists what was downloaded, for `sync` and `tracks download`."""
    return typer.Option(None, "--archive", metavar="FILE", help=help_text)


def tag_option(default: bool):
    return typer.Option(default, "--tag/--no-tag", help="Write tags and artwork into files.")


def yes_option():
    return typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")


class OptionGroup:
    """Options declared once (as a Typer function's parameters) for several commands.

    A command built with `command(app, name, GROUP, ...)` carries the group's options; before
    Typer calls the command, their values are taken out of its parameters and `build` turns
    them into one typed value, which the command reads with `GROUP.of(ctx)`.
    """

    def __init__(
        self,
        name: str,
        holder: Callable[..., None],
        build: Callable[[Any, dict[str, Any]], Any],
    ):
        self.name = name
        self.holder = holder
        self.build = build

    @functools.cached_property
    def params(self) -> tuple[click.Parameter, ...]:
        t = typer.Typer(add_completion=False)
        t.command()(self.holder)
        return tuple(typer.main.get_command(t).params)

    def take(self, ctx: click.Context) -> None:
        given = {p.name: ctx.params.pop(p.name) for p in self.params if p.name}
        ctx.meta[f"sc.{self.name}"] = self.build(ctx, given)

    def of(self, ctx: click.Context) -> Any:
        return ctx.meta[f"sc.{self.name}"]


def _command_class(groups: tuple[OptionGroup, ...]) -> type[TyperCommand]:
    class GroupedCommand(TyperCommand):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for g in groups:
                self.params.extend(g.params)

        def invoke(self, ctx: click.Context) -> Any:
            for g in groups:
                g.take(ctx)
            return super().invoke(ctx)

    return GroupedCommand


def command(app: typer.Typer, name: str, *groups: OptionGroup, **kwargs: Any) -> Any:
    """`app.command(name)`, carrying the option groups given."""
    return app.command(name, cls=_command_class(groups) if groups else None, **kwargs)
