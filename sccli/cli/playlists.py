"""`sc playlists`: sets (playlists and albums)."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Any, List, Literal, Optional

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.lists import (
    AboutOptions,
    SearchOptions,
    UserListOptions,
    run_about,
    run_search,
    run_user_list,
    subject_argument,
)
from sccli.cli.output import OUTPUT
from sccli.cli.params import (
    Sharing,
    all_option,
    command,
    jobs_option,
    limit_option,
    limit_or_all,
    sharing_option,
    yes_option,
)
from sccli.core.record import record
from sccli.core.values import SET_TYPES

app = typer.Typer(help="Create and manage sets (playlists and albums).", no_args_is_help=True)

SetType = Literal[SET_TYPES]  # type: ignore[valid-type]
PLAYLIST = typer.Argument(..., metavar="PLAYLIST", help="Set id, URN, URL or permalink.")


def track_urns(sc: AppContext, refs: list[str]) -> list[str]:
    from sccli.cli.batch import Refs
    from sccli.core.refs import to_urn

    return [to_urn(sc.client, r, ("track",)) for r in Refs.expand(sc, refs).items]


def playlist_urn(sc: AppContext, ref: str) -> str:
    from sccli.core.refs import to_urn

    return to_urn(sc.client, ref, ("playlist",), default="playlist")


@command(app, "search", OUTPUT)
def search(
    ctx: typer.Context,
    query: str | None = typer.Argument(
        None, metavar="QUERY", help="Words to look for in set titles."
    ),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """Search sets.

    \b
    Examples:
      $ sc playlists search buskers
    """
    from sccli.core.kinds import PLAYLIST

    run_search(app_context(ctx), SearchOptions(PLAYLIST, query, limit_or_all(limit, every)))


@record
class CreateOptions:
    title: str
    description: str | None = None
    sharing: str | None = None
    set_type: str | None = None
    tracks: list[str] = field(default_factory=list)
    if_absent: bool = False


@command(app, "create", OUTPUT)
def create(
    ctx: typer.Context,
    title: str = typer.Argument(..., metavar="TITLE", help="The set's title."),
    description: str | None = typer.Option(None, "--description", help="Description."),
    sharing: Sharing | None = sharing_option(
        None, "public or private (default: config `sharing`, else private)."
    ),
    set_type: SetType | None = typer.Option(None, "--type", help="album or playlist."),
    track: list[str] | None = typer.Option(
        None, "--track", "-t", help="Track id, URN or URL to include (repeatable, in order)."
    ),
    if_absent: bool = typer.Option(
        False,
        "--if-absent",
        help="Do nothing (and print the existing set) if you have a set of this title and type.",
    ),
):
    """Create a set.

    \b
    Examples:
      $ sc playlists create "Tour 2026" --type album --track 300001 --track 300002
      $ sc playlists create "Night Ferry" --type album --if-absent
    """
    opts = CreateOptions(title, description, sharing, set_type, track or [], if_absent)
    run_create(app_context(ctx), opts)


def run_create(sc: AppContext, o: CreateOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.playlists import create_playlist, create_playlist_if_absent

    if not o.title.strip():
        raise UsageError("a set needs a title")

    urns = track_urns(sc, o.tracks)
    sharing = o.sharing or sc.settings.sharing
    given: dict[str, Any] = {"description": o.description, "sharing": sharing, "tracks": urns}
    if o.if_absent:
        p, made = create_playlist_if_absent(sc.client, o.title, set_type=o.set_type, **given)
    else:
        p, made = create_playlist(sc.client, o.title, set_type=o.set_type, **given), True
    if made:
        sc.info(f"created {p.get('urn')} with {len(urns)} track(s)")
    else:
        sc.info(f"not created: you already have {p.get('urn')} titled {o.title!r}")
    sc.out.one(p, "playlist")


@record
class UpdateOptions:
    """The set's fields to change (None: not given, not sent) and new artwork, if any."""

    playlist: str
    fields: dict[str, Any]
    artwork: Path | None = None


@command(app, "update", OUTPUT)
def update(
    ctx: typer.Context,
    playlist: str = PLAYLIST,
    title: str | None = typer.Option(None, "--title", help="New title."),
    description: str | None = typer.Option(None, "--description", help="Description."),
    sharing: Sharing | None = sharing_option(None, "public or private."),
    set_type: SetType | None = typer.Option(None, "--type", help="album or playlist."),
    release_date: str | None = typer.Option(
        None, "--release-date", metavar="YYYY-MM-DD", help="Release date."
    ),
    artwork: Path | None = typer.Option(
        None, "--artwork", metavar="IMAGE", help="Artwork: a JPEG or PNG file."
    ),
):
    """Change a set's details. Only the options given are sent, in one write.

    \b
    Examples:
      $ sc playlists update 900001 --title "Tour 2027" --type album
      $ sc playlists update 900001 --release-date 2026-12-01 --artwork cover.png
    """
    opts = UpdateOptions(
        playlist,
        {
            "title": title,
            "description": description,
            "sharing": sharing,
            "set_type": set_type,
            "release_date": release_date,
        },
        artwork,
    )
    run_update(app_context(ctx), opts)


def run_update(sc: AppContext, o: UpdateOptions) -> None:
    from sccli.core.playlists import update_playlist
    from sccli.core.timefmt import parse_release_date
    from sccli.core.upload import check_artwork

    # Every value is checked before the set is even looked up: a bad one is exit 2, no request.
    art = check_artwork(o.artwork) if o.artwork else None
    fields = dict(o.fields)
    if fields.get("release_date"):
        fields["release_date"] = parse_release_date(fields["release_date"])
    urn = playlist_urn(sc, o.playlist)
    p = update_playlist(sc.client, urn, fields, artwork=art)
    sc.info(f"updated {urn}")
    sc.out.one(p, "playlist")


@command(app, "reorder", OUTPUT)
def reorder(
    ctx: typer.Context,
    playlist: str = PLAYLIST,
    tracks: List[str] = typer.Argument(
        ..., metavar="TRACK...", help="Every track of the set, in the new order; - reads stdin."
    ),
):
    """Put a set's tracks in a new order, in one write.

    The tracks must be exactly the set's, each once (exit 2 otherwise).

    \b
    Examples:
      $ sc playlists reorder 900001 300006 300005 300004 300003 300002 300001
    """
    run_reorder(app_context(ctx), SetTracksOptions(playlist, tracks))


@record
class SetTracksOptions:
    """`reorder`, `add` and `remove`: one set, its tracks, and (`add`) where they go."""

    playlist: str
    tracks: list[str]
    at: int | None = None  # 1 is first; None: at the end


def run_reorder(sc: AppContext, o: SetTracksOptions) -> None:
    from sccli.core.playlists import reorder_playlist

    urn = playlist_urn(sc, o.playlist)
    p = reorder_playlist(sc.client, urn, track_urns(sc, o.tracks))
    sc.info(f"reordered {urn}")
    sc.out.one(p, "playlist")


@command(app, "add", OUTPUT)
def add(
    ctx: typer.Context,
    playlist: str = PLAYLIST,
    tracks: List[str] = typer.Argument(
        ..., metavar="TRACK...", help="Tracks to append, in order; - reads them from stdin."
    ),
    at: Optional[int] = typer.Option(
        None, "--at", min=1, help="Insert at this position (1 is first) instead of appending."
    ),
):
    """Add tracks to a set, skipping those already in it. One write, however many tracks.

    \b
    Examples:
      $ sc playlists add soundcloud:playlists:900001 300010 300011
      $ sc playlists add soundcloud:playlists:900001 300012 --at 1
    """
    run_add(app_context(ctx), SetTracksOptions(playlist, tracks, at))


def run_add(sc: AppContext, o: SetTracksOptions) -> None:
    from sccli.core.playlists import add_tracks

    urn = playlist_urn(sc, o.playlist)
    change = add_tracks(sc.client, urn, track_urns(sc, o.tracks), at=o.at)
    for u in change.skipped:
        sc.info(f"skipped {u}: already in the set")
    sc.info(f"added {len(change.changed)} track(s) to {urn}")
    sc.out.one(change.playlist, "playlist")


@command(app, "remove", OUTPUT)
def remove(
    ctx: typer.Context,
    playlist: str = PLAYLIST,
    tracks: List[str] = typer.Argument(
        ..., metavar="TRACK...", help="Tracks to take out; - reads them from stdin."
    ),
):
    """Remove tracks from a set. Naming a track that is not in it is an error.

    \b
    Examples:
      $ sc playlists remove soundcloud:playlists:900001 300002
    """
    run_remove(app_context(ctx), SetTracksOptions(playlist, tracks))


def run_remove(sc: AppContext, o: SetTracksOptions) -> None:
    from sccli.core.playlists import remove_tracks

    urn = playlist_urn(sc, o.playlist)
    change = remove_tracks(sc.client, urn, track_urns(sc, o.tracks))
    sc.info(f"removed {len(change.changed)} track(s) from {urn}")
    sc.out.one(change.playlist, "playlist")


@command(app, "get", OUTPUT)
def get(ctx: typer.Context, playlist: str = PLAYLIST):
    """Show a set with its tracks.

    \b
    Examples:
      $ sc playlists get soundcloud:playlists:900001
    """
    run_get(app_context(ctx), GetOptions(playlist))


@record
class GetOptions:
    playlist: str


def run_get(sc: AppContext, o: GetOptions) -> None:
    from sccli.core import resources

    p = resources.get(sc.client, playlist_urn(sc, o.playlist), show_tracks="true")
    sc.out.record(p, "playlist", nested=("tracks", "track"))


@command(app, "list", OUTPUT)
def list_(
    ctx: typer.Context,
    user: str | None = typer.Argument(
        None, metavar="USER", help="User id, URN, URL or username (default: you)."
    ),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List a user's sets, yours by default.

    \b
    Examples:
      $ sc playlists list
    """
    opts = UserListOptions(user, "playlists", "playlist", limit_or_all(limit, every))
    run_user_list(app_context(ctx), opts)


@command(app, "delete", OUTPUT)
def delete(
    ctx: typer.Context,
    playlists: List[str] = typer.Argument(
        ..., metavar="PLAYLIST...", help="Sets: id, URN, URL or permalink; - reads from stdin."
    ),
    yes: bool = yes_option(),
    jobs: int = jobs_option(),
):
    """Delete sets (their tracks stay).

    \b
    Examples:
      $ sc playlists delete soundcloud:playlists:900001 --yes
    """
    from sccli.cli.batch import DeleteOptions, run_delete
    from sccli.core.kinds import PLAYLIST

    run_delete(app_context(ctx), DeleteOptions(playlists, PLAYLIST, yes, jobs))


@command(app, "reposters", OUTPUT)
def reposters(
    ctx: typer.Context,
    playlist: str = subject_argument("playlist"),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List the users who reposted a set.

    \b
    Examples:
      $ sc playlists reposters soundcloud:playlists:900001
    """
    opts = AboutOptions(playlist, "playlist", "reposters", "user", limit_or_all(limit, every))
    run_about(app_context(ctx), opts)
