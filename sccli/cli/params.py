"""Options several commands share, defined once."""

from typing import Literal

import typer

from sccli.core.values import ACCESS_VALUES, LICENSES, SHARING_VALUES

SHARING = SHARING_VALUES

# Literal types become click choices: validated, listed in --help, offered by completion.
License = Literal[LICENSES]  # type: ignore[valid-type]
Sharing = Literal[SHARING]  # type: ignore[valid-type]
Access = Literal[ACCESS_VALUES]  # type: ignore[valid-type]


def license_option(help_text: str = "License: one of the eight SoundCloud license values."):
    return typer.Option(None, "--license", help=help_text)


def sharing_option(default: str | None = None, help_text: str = "public or private."):
    return typer.Option(default, "--sharing", help=help_text)


def limit_option(default: int = 50):
    return typer.Option(
        default, "--limit", "-L", min=1, metavar="N", help="How many results to print."
    )


def all_option():
    return typer.Option(
        False, "--all", help="Every result, following every page (streams with --ndjson)."
    )


def access_option():
    return typer.Option(
        None,
        "--access",
        metavar="LEVEL",
        help="Access level to include (repeatable): playable, preview or blocked.",
    )


def limit_or_all(limit: int, every: bool) -> int | None:
    return None if every else limit


def yes_option():
    return typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")
