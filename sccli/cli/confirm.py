"""Deleting with care: a prompt on a terminal, --yes everywhere else."""

from __future__ import annotations

from sccli.cli import _click as click
from sccli.cli.context import AppContext
from sccli.core.errors import SccliError, UsageError


def confirm_or_abort(sc: AppContext, question: str, yes: bool) -> None:
    if yes:
        return
    if not sc.streams.stdin_tty:
        raise UsageError("refusing to delete without confirmation: pass --yes")
    if not click.confirm(question, default=False, err=True):
        raise SccliError("cancelled: nothing was deleted")
