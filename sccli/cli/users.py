"""`sc users`: find and show users."""

import typer

from sccli.cli.context import get_app
from sccli.cli.output import output_options
from sccli.cli.params import all_option, limit_option, limit_or_all

app = typer.Typer(help="Find and show users.", no_args_is_help=True)


@app.command("search")
@output_options
def search(
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
    from sccli.core.resources import search as search_kind

    sc = get_app()
    sc.out.items(search_kind(sc.client, "users", query, limit=limit_or_all(limit, every)), "user")


@app.command("get")
@output_options
def get(user: str = typer.Argument(..., metavar="USER", help="User id, URN or URL.")):
    """Show one user.

    \b
    Examples:
      $ sc users get https://soundcloud.com/sandbox-user
    """
    from sccli.core.refs import fetch

    sc = get_app()
    sc.out.one(fetch(sc.client, user, ("user",)), "user")
