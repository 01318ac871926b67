"""The output flags every resource-printing command shares, added by one decorator."""

from __future__ import annotations

import functools
import inspect
from typing import Optional

import typer

from sccli.cli.context import get_app

_P = inspect.Parameter
_OPTIONS = [
    (
        "out_json",
        bool,
        typer.Option(
            False,
            "--json",
            help="Print one JSON document (the API's objects).",
            rich_help_panel="Output",
        ),
    ),
    (
        "out_ndjson",
        bool,
        typer.Option(
            False,
            "--ndjson",
            help="Print one JSON object a line, as pages arrive.",
            rich_help_panel="Output",
        ),
    ),
    (
        "out_table",
        bool,
        typer.Option(
            False,
            "--table",
            help="Print a table even when stdout is not a terminal.",
            rich_help_panel="Output",
        ),
    ),
    (
        "out_tsv",
        bool,
        typer.Option(
            False,
            "--tsv",
            help="Print tab-separated rows of the table's columns, no header (for cut, awk, read).",
            rich_help_panel="Output",
        ),
    ),
    (
        "out_fields",
        Optional[str],
        typer.Option(
            None,
            "--fields",
            metavar="A,B",
            help="Keep only these keys (dotted paths allowed: user.username).",
            rich_help_panel="Output",
        ),
    ),
    (
        "out_query",
        Optional[str],
        typer.Option(
            None,
            "--query",
            "-q",
            metavar="JMESPATH",
            help="Apply a JMESPath expression to the JSON before printing.",
            rich_help_panel="Output",
        ),
    ),
]


def with_options(options, take, provides=()):
    """A decorator adding `options` (name, annotation, typer.Option) to a command's signature.

    On each call the options' values are taken out of the keyword arguments and handed to
    `take`; the dict it returns fills the command's parameters named in `provides`, which
    are hidden from the command line.
    """

    def decorate(fn):
        sig = inspect.signature(fn)
        names = [name for name, _, _ in options]
        extra = [_P(n, _P.KEYWORD_ONLY, default=d, annotation=a) for n, a, d in options]
        params = [p for p in sig.parameters.values() if p.name not in provides]

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            given = {name: kwargs.pop(name) for name in names}
            kwargs.update(take(given) or {})
            return fn(*args, **kwargs)

        wrapper.__signature__ = sig.replace(parameters=[*params, *extra])  # type: ignore[attr-defined]
        wrapper.__annotations__ = {
            **{k: v for k, v in fn.__annotations__.items() if k not in provides},
            **{n: a for n, a, _ in options},
        }
        return wrapper

    return decorate


def _configure_output(opts: dict) -> None:
    get_app().configure_output(
        json=opts["out_json"],
        ndjson=opts["out_ndjson"],
        table=opts["out_table"],
        tsv=opts["out_tsv"],
        fields=opts["out_fields"],
        query=opts["out_query"],
    )


# Give a command --json, --ndjson, --table, --tsv, --fields and --query; configure the renderer.
output_options = with_options(_OPTIONS, _configure_output)
