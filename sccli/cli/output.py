"""The output flags, decided once into a typed `OutputOptions` before a command runs.

Commands that print resources carry the OUTPUT group (see params.command): --json, --ndjson,
--table, --tsv, --fields, --query and --raw are taken out before Typer calls the function and
decided into the invocation's context, so a bad --query is refused before any request.
"""

from typing import Any, Optional

import typer

from sccli.cli import _click as click
from sccli.cli.params import OptionGroup
from sccli.render import OutputOptions


def _output_flags(
    out_json: bool = typer.Option(
        False, "--json", help="Print one JSON document (the API's objects)."
    ),
    out_ndjson: bool = typer.Option(
        False, "--ndjson", help="Print one JSON object a line, as pages arrive."
    ),
    out_table: bool = typer.Option(
        False, "--table", help="Print a table even when stdout is not a terminal."
    ),
    out_tsv: bool = typer.Option(
        False,
        "--tsv",
        help="Print tab-separated rows of the table's columns, no header (for cut, awk, read).",
    ),
    out_fields: Optional[str] = typer.Option(
        None,
        "--fields",
        metavar="A,B",
        help="Keep only these keys (dotted paths allowed: user.username).",
    ),
    out_query: Optional[str] = typer.Option(
        None,
        "--query",
        "-q",
        metavar="JMESPATH",
        help="Apply a JMESPath expression to the JSON before printing.",
    ),
    out_raw: bool = typer.Option(
        False,
        "--raw",
        "-r",
        help="Print strings bare, like jq -r (with --query or a single --fields name).",
    ),
) -> None:
    """The output flags, declared once; Typer turns them into click parameters below."""


def _decide(ctx: click.Context, given: dict[str, Any]) -> OutputOptions:
    from sccli.cli.context import app_context

    sc = app_context(ctx)
    output = OutputOptions.decide(
        default=sc.settings.output,
        stdout_tty=sc.streams.stdout_tty,
        **{name.removeprefix("out_"): value for name, value in given.items()},
    )
    sc.decide_output(output)
    return output


OUTPUT = OptionGroup("output", _output_flags, _decide)
