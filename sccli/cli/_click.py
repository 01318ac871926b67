"""The click pieces `sc` needs, taken from the copy Typer (>= 0.26) carries, so types match."""

from typer import Abort, Exit, confirm, echo, prompt
from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._click.globals import get_current_context
from typer._click.shell_completion import get_completion_class
from typer.completion import completion_init

__all__ = [
    "Abort",
    "ClickException",
    "Command",
    "Context",
    "Exit",
    "NoArgsIsHelpError",
    "Parameter",
    "UsageError",
    "completion_init",
    "confirm",
    "echo",
    "get_completion_class",
    "get_current_context",
    "prompt",
]
