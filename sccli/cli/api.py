"""`sc api`: the raw escape hatch, like `gh api`."""

from __future__ import annotations

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import command
from sccli.core.record import record

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
    run_api(app_context(ctx), ApiOptions(list(args), list(field or []), paginate))


@record
class ApiOptions:
    args: list[str]  # [METHOD] PATH
    fields: list[str]  # KEY=VALUE
    paginate: bool


def run_api(sc: AppContext, o: ApiOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.rawapi import api_target, build_fields, page_size

    args = o.args
    if len(args) == 1:
        method, path = "GET", args[0]
    elif len(args) == 2 and args[0].upper() in METHODS:
        method, path = args[0].upper(), args[1]
    else:
        raise UsageError(f"expected [METHOD] PATH with METHOD one of {', '.join(METHODS)}")
    path = api_target(path)
    params, body = build_fields(method, o.fields)
    if o.paginate:
        if method != "GET":
            raise UsageError("--paginate works with GET only")
        pages = sc.client.paginate(path, params, page_size=page_size(params))
        sc.out.items(pages, document=True)
        return
    result = sc.client.call(method, path, params=params or None, json=body)
    if result is not None:
        sc.out.one(result)
