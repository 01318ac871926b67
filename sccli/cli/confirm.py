"""Deleting with care: a prompt on a terminal, --yes everywhere else."""

import sys

from sccli.cli import _click as click
from sccli.core.errors import UsageError


def confirm_or_abort(question: str, yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError("refusing to delete without confirmation: pass --yes")
    if not click.confirm(question, default=False, err=True):
        raise click.Abort()


def delete_confirmed(sc, urn: str, label: str, yes: bool) -> None:
    """The body of every `delete` verb: confirm, delete, say so."""
    from sccli.core.content import delete

    confirm_or_abort(f"Delete {label} {urn}?", yes)
    delete(sc.client, urn)
    sc.info(f"deleted {urn}")
