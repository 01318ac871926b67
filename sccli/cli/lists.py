"""The bodies every resource's commands share: search by words, one user, a user's lists and
the lists about one track, set or user. Command modules import this (and core), never each
other, so no command module depends on another resource's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from sccli.cli.context import AppContext

if TYPE_CHECKING:
    from sccli.core.kinds import Kind

SUBJECT_HELP = {
    "track": "Track id, URN, URL or permalink.",
    "playlist": "Set id, URN, URL or permalink.",
    "user": "User id, URN, URL or username.",
}


def subject_argument(kind: str) -> Any:  # typer's ArgumentInfo, as a parameter's default
    """The one TRACK, PLAYLIST or USER a list is about."""
    return typer.Argument(..., metavar=kind.upper(), help=SUBJECT_HELP[kind])


def user_argument() -> Any:
    """An optional USER: you by default."""
    return typer.Argument(
        None, metavar="USER", help="User id, URN, URL or username (default: you)."
    )


def run_search(sc: AppContext, kind: Kind, query: str | None, limit: int | None) -> None:
    """Users or sets by words (tracks have their own filters: tracks.search_tracks)."""
    from sccli.core.resources import search
    from sccli.render import no_match

    found = search(sc.client, kind.plural, query, limit=limit)
    sc.out.items(found, kind.name, limited=limit, empty=no_match(kind.name, query))


def show_user(sc: AppContext, ref: str | None) -> None:
    """One user's record, yours when no USER is named (`sc me`, `sc users get`)."""
    from sccli.core.refs import fetch
    from sccli.core.users import me

    user = fetch(sc.client, ref, ("user",), default="user") if ref else me(sc.client)
    sc.out.one(user, "user")


def run_user_list(
    sc: AppContext,
    user: str | None,
    what: str,
    kind: str,
    limit: int | None,
    sort: str | None = None,
) -> None:
    """A list under /me/<what>, or /users/{urn}/<what> when a USER is named (`sort`: newest
    or oldest first, for tracks)."""
    from sccli.core.refs import to_urn
    from sccli.core.resources import of_user

    urn = to_urn(sc.client, user, ("user",)) if user else None
    sc.out.items(of_user(sc.client, urn, what, limit=limit, sort=sort), kind, limited=limit)


def run_about(
    sc: AppContext, ref: str, subject: str, what: str, kind: str, limit: int | None
) -> None:
    """A list hanging off one track, set or user: /<subject>s/{urn}/<what>, shown as `kind`."""
    from sccli.core.library import about
    from sccli.core.refs import to_urn

    urn = to_urn(sc.client, ref, (subject,))
    sc.out.items(about(sc.client, urn, what, limit=limit), kind, limited=limit)
