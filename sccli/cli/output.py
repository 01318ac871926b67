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


def output_options(fn):
    """Give a command --json, --ndjson, --table, --fields and --query, and configure the renderer."""
    sig = inspect.signature(fn)
    extra = [
        _P(name, _P.KEYWORD_ONLY, default=default, annotation=ann)
        for name, ann, default in _OPTIONS
    ]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        opts = {name: kwargs.pop(name) for name, _, _ in _OPTIONS}
        get_app().configure_output(
            json=opts["out_json"],
            ndjson=opts["out_ndjson"],
            table=opts["out_table"],
            fields=opts["out_fields"],
            query=opts["out_query"],
        )
        return fn(*args, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=[*sig.parameters.values(), *extra])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {**fn.__annotations__, **{n: a for n, a, _ in _OPTIONS}}
    return wrapper
