"""`sc users`: find and show users."""

from __future__ import annotations

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.library import about_command
from sccli.cli.output import OUTPUT
from sccli.cli.params import all_option, command, limit_option, limit_or_all

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
    run_search(app_context(ctx), "users", query, limit_or_all(limit, every))


def run_search(sc: AppContext, kind: str, query: str | None, limit: int | None) -> None:
    """`users` or `playlists` by words: shared with `sc playlists search`."""
    from sccli.core.resources import search as search_kind

    found = search_kind(sc.client, kind, query, limit=limit)
    sc.out.items(found, kind[:-1], limited=limit)


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
    run_get(app_context(ctx), user)


def run_get(sc: AppContext, ref: str | None) -> None:
    from sccli.core.refs import fetch

    user = (
        fetch(sc.client, ref, ("user",), default="user")
        if ref
        else sc.client.get("/me", need=("urn",))
    )
    sc.out.one(user, "user")


about_command(
    app,
    "related",
    "user",
    "related",
    "user",
    """List artists like a user, as SoundCloud recommends them.

    \b
    Examples:
      $ sc users related northern-canal-1 --limit 5
    """,
)
about_command(
    app,
    "links",
    "user",
    "web-profiles",
    "web-profile",
    """List the links on a user's profile (website, social networks).

    \b
    Examples:
      $ sc users links soundcloud:users:1001
      $ sc users links northern-canal-1 --fields service,url
    """,
)
