"""The bodies every resource's commands share: search by words, one user, a user's lists and
the lists about one track, set or user. Command modules import this (and core), never each
other, so no command module depends on another resource's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from sccli.cli.context import AppContext
from sccli.core.record import record

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


@record
class SearchOptions:
    kind: Kind
    query: str | None
    limit: int | None


def run_search(sc: AppContext, o: SearchOptions) -> None:
    """Users or sets by words (tracks have their own filters: tracks.search_tracks)."""
    from sccli.core.resources import search
    from sccli.render import no_match

    found = search(sc.client, o.kind.plural, o.query, limit=o.limit)
    sc.out.items(found, o.kind.name, limited=o.limit, empty=no_match(o.kind.name, o.query))


@record
class ShowUserOptions:
    user: str | None  # None: you


def run_show_user(sc: AppContext, o: ShowUserOptions) -> None:
    """One user's record, yours when no USER is named (`sc me`, `sc users get`)."""
    from sccli.core.refs import fetch
    from sccli.core.users import me

    user = fetch(sc.client, o.user, ("user",), default="user") if o.user else me(sc.client)
    sc.out.one(user, "user")


@record
class UserListOptions:
    """A list under /me/<what>, or /users/{urn}/<what> when a USER is named (`sort`: newest
    or oldest first, for tracks)."""

    user: str | None
    what: str
    kind: str
    limit: int | None
    sort: str | None = None

    @classmethod
    def tracks_or_sets(
        cls, user: str | None, what: str, playlists: bool, limit: int | None
    ) -> UserListOptions:
        """`likes` or `reposts`: of tracks, or of sets with --playlists."""
        kind = "playlist" if playlists else "track"
        return cls(user, f"{what}/{kind}s", kind, limit)


def run_user_list(sc: AppContext, o: UserListOptions) -> None:
    from sccli.core.refs import to_urn
    from sccli.core.resources import of_user

    urn = to_urn(sc.client, o.user, ("user",)) if o.user else None
    found = of_user(sc.client, urn, o.what, limit=o.limit, sort=o.sort)
    sc.out.items(found, o.kind, limited=o.limit)


@record
class AboutOptions:
    """A list hanging off one track, set or user: /<subject>s/{urn}/<what>, shown as `kind`."""

    ref: str
    subject: str
    what: str
    kind: str
    limit: int | None


def run_about(sc: AppContext, o: AboutOptions) -> None:
    from sccli.core.library import about
    from sccli.core.refs import to_urn

    urn = to_urn(sc.client, o.ref, (o.subject,))
    sc.out.items(about(sc.client, urn, o.what, limit=o.limit), o.kind, limited=o.limit)
