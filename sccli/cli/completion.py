"""`sc completion SHELL`: the shell completion script, generated from the app itself."""

from __future__ import annotations

from typing import Literal

import typer

from sccli.cli import _click as click
from sccli.cli.context import AppContext, app_context
from sccli.cli.params import command
from sccli.core.record import record

SHELLS = ("bash", "zsh", "fish")
Shell = Literal[SHELLS]  # type: ignore[valid-type]


app = typer.Typer()  # its commands sit at the top level: the registry names each one


def script(shell: str) -> str:

    from sccli.cli.app import command

    click.completion_init()
    cls = click.get_completion_class(shell)
    assert cls is not None
    return cls(command(), {}, "sc", "_SC_COMPLETE").source()


@command(app, "completion")  # prints a script, not resources: no output flags
def completion(shell: Shell = typer.Argument(..., metavar="SHELL", help="bash, zsh or fish.")):
    """Print the completion script for a shell.

    Load it for this session, or install it where your shell looks (see README).

    \b
    Examples:
      $ sc completion bash
      $ source <(sc completion bash)
    """
    run_completion(app_context(), CompletionOptions(shell))


@record
class CompletionOptions:
    shell: str  # one of SHELLS


def run_completion(sc: AppContext, o: CompletionOptions) -> None:
    sc.streams.stdout.write(script(o.shell))
