"""`sc users`: find and show users."""

from __future__ import annotations

import typer

from sccli.cli.context import app_context
from sccli.cli.lists import (
    AboutOptions,
    SearchOptions,
    ShowUserOptions,
    run_about,
    run_search,
    run_show_user,
    subject_argument,
)
from sccli.cli.output import OUTPUT
from sccli.cli.params import all_option, command, limit_option, limit_or_all
from sccli.core.kinds import USER

app = typer.Typer(help="Find and show users.", no_args_is_help=True)


@command(app, "search", OUTPUT)
def search(
    ctx: typer.Context,
    query: str | None = typer.Argument(
        None, metavar="QUERY", help="Words to look for in user names."
    ),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """Search users.

    \b
    Examples:
      $ sc users search harbour --limit 5
    """
    run_search(app_context(ctx), SearchOptions(USER, query, limit_or_all(limit, every)))


@command(app, "get", OUTPUT)
def get(
    ctx: typer.Context,
    user: str | None = typer.Argument(
        None, metavar="USER", help="User id, URN, URL or username (default: you)."
    ),
):
    """Show one user, you by default.

    \b
    Examples:
      $ sc users get https://soundcloud.com/sandbox-user
      $ sc users get
    """
    run_show_user(app_context(ctx), ShowUserOptions(user))


@command(app, "related", OUTPUT)
def related(
    ctx: typer.Context,
    user: str = subject_argument("user"),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List artists like a user, as SoundCloud recommends them.

    \b
    Examples:
      $ sc users related northern-canal-1 --limit 5
    """
    opts = AboutOptions(user, "user", "related", "user", limit_or_all(limit, every))
    run_about(app_context(ctx), opts)


@command(app, "links", OUTPUT)
def links(
    ctx: typer.Context,
    user: str = subject_argument("user"),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List the links on a user's profile (website, social networks).

    \b
    Examples:
      $ sc users links soundcloud:users:1001
      $ sc users links northern-canal-1 --fields service,url
    """
    opts = AboutOptions(user, "user", "web-profiles", "web-profile", limit_or_all(limit, every))
    run_about(app_context(ctx), opts)
