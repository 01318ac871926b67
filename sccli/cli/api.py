"""`sc api`: the raw escape hatch, like `gh api`."""

import typer

from sccli.cli.context import app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import command

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")


app = typer.Typer()  # its commands sit at the top level: the registry names each one


@command(app, "api", OUTPUT)
def api(
    ctx: typer.Context,
    args: list[str] = typer.Argument(
        ..., metavar="[METHOD] PATH", help="HTTP method (default GET) and the API path or URL."
    ),
    field: list[str] | None = typer.Option(
        None,
        "--field",
        "-f",
        metavar="KEY=VALUE",
        help="A parameter: query string for GET and DELETE, JSON body otherwise. Dotted keys nest: track.title=x.",
    ),
    paginate: bool = typer.Option(
        False, "--paginate", help="Follow next_href and print the concatenated collection."
    ),
):
    """Call the SoundCloud API directly and print the JSON.

    \b
    Examples:
      $ sc api /me
      $ sc api /tracks -f q=buskers -f limit=3
      $ sc api /tracks -f q=buskers --paginate --ndjson --query '[].title'
    """
    from sccli.core.errors import UsageError
    from sccli.core.rawapi import api_target, build_fields, page_size

    if len(args) == 1:
        method, path = "GET", args[0]
    elif len(args) == 2 and args[0].upper() in METHODS:
        method, path = args[0].upper(), args[1]
    else:
        raise UsageError(f"expected [METHOD] PATH with METHOD one of {', '.join(METHODS)}")
    path = api_target(path)
    params, body = build_fields(method, field or [])
    sc = app_context(ctx)
    if paginate:
        if method != "GET":
            raise UsageError("--paginate works with GET only")
        pages = sc.client.paginate(path, params, page_size=page_size(params))
        sc.out.items(pages, document=True)
        return
    result = sc.client.call(method, path, params=params or None, json=body)
    if result is not None:
        sc.out.one(result)
