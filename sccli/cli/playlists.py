"""`sc playlists`: sets (playlists and albums)."""

from pathlib import Path
from typing import Literal

import typer

from sccli.cli.context import get_app
from sccli.cli.output import output_options
from sccli.cli.params import (
    Sharing,
    all_option,
    limit_option,
    limit_or_all,
    sharing_option,
    yes_option,
)

app = typer.Typer(help="Create and manage sets (playlists and albums).", no_args_is_help=True)

from sccli.core.values import SET_TYPES  # noqa: E402 - a constant, cheap to import

SetType = Literal[SET_TYPES]  # type: ignore[valid-type]


def _urns(sc, refs: list[str], kinds=("track",)) -> list[str]:
    from sccli.core.refs import to_urn

    return [to_urn(sc.client, r, kinds) for r in refs]


def _playlist_urn(sc, ref: str) -> str:
    from sccli.core.refs import to_urn

    return to_urn(sc.client, ref, ("playlist",), default="playlist")


@app.command("search")
@output_options
def search(
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
    from sccli.core.resources import search as search_kind

    sc = get_app()
    sc.out.items(
        search_kind(sc.client, "playlists", query, limit=limit_or_all(limit, every)), "playlist"
    )


@app.command("create")
@output_options
def create(
    title: str = typer.Argument(..., metavar="TITLE", help="The set's title."),
    description: str | None = typer.Option(None, "--description", help="Description."),
    sharing: Sharing | None = sharing_option(
        None, "public or private (default: config `sharing`, else private)."
    ),
    set_type: SetType | None = typer.Option(
        None, "--type", help="album, ep, single, compilation or playlist."
    ),
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
      $ sc playlists create "Night Ferry" --type ep --if-absent
    """
    from sccli.core.content import create_playlist_if_absent

    sc = get_app()
    urns = _urns(sc, track or [])
    opts = {
        "description": description,
        "sharing": sharing or sc.settings.sharing or "private",
        "tracks": urns,
    }
    if if_absent:
        p, made = create_playlist_if_absent(sc.client, title, set_type=set_type, **opts)
    else:
        from sccli.core.content import create_playlist

        p, made = create_playlist(sc.client, title, set_type=set_type, **opts), True
    if made:
        sc.info(f"created {p.get('urn')} with {len(urns)} track(s)")
    else:
        sc.info(f"not created: you already have {p.get('urn')} titled {title!r}")
    sc.out.one(p, "playlist")


@app.command("update")
@output_options
def update(
    playlist: str = typer.Argument(..., metavar="PLAYLIST", help="Set id, URN or URL."),
    title: str | None = typer.Option(None, "--title", help="New title."),
    description: str | None = typer.Option(None, "--description", help="Description."),
    sharing: Sharing | None = sharing_option(None, "public or private."),
    set_type: SetType | None = typer.Option(
        None, "--type", help="album, ep, single, compilation or playlist."
    ),
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
      $ sc playlists update soundcloud:playlists:900001 --title "Tour 2027" --type album
      $ sc playlists update soundcloud:playlists:900001 --release-date 2026-12-01 --artwork cover.png
    """
    from sccli.core.content import update_playlist
    from sccli.core.timefmt import parse_release_date
    from sccli.core.upload import check_artwork

    sc = get_app()
    art = check_artwork(artwork) if artwork else None
    fields = {
        "title": title,
        "description": description,
        "sharing": sharing,
        "set_type": set_type,
        "release_date": parse_release_date(release_date) if release_date else None,
    }
    urn = _playlist_urn(sc, playlist)
    p = update_playlist(sc.client, urn, fields, artwork=art)
    sc.info(f"updated {urn}")
    sc.out.one(p, "playlist")


@app.command("reorder")
@output_options
def reorder(
    playlist: str = typer.Argument(..., metavar="PLAYLIST", help="Set id, URN or URL."),
    tracks: list[str] = typer.Argument(
        ..., metavar="TRACKS", help="Every track of the set, in the new order."
    ),
):
    """Put a set's tracks in a new order, in one write.

    The tracks must be exactly the set's, each once (exit 2 otherwise).

    \b
    Examples:
      $ sc playlists reorder soundcloud:playlists:900001 300006 300005 300004 300003 300002 300001
    """
    from sccli.core.content import reorder_playlist

    sc = get_app()
    urn = _playlist_urn(sc, playlist)
    p = reorder_playlist(sc.client, urn, _urns(sc, tracks))
    sc.info(f"reordered {urn}")
    sc.out.one(p, "playlist")


@app.command("add")
@output_options
def add(
    playlist: str = typer.Argument(..., metavar="PLAYLIST", help="Set id, URN or URL."),
    tracks: list[str] = typer.Argument(..., metavar="TRACKS", help="Tracks to append, in order."),
    at: int | None = typer.Option(
        None, "--at", min=1, help="Insert at this position (1 is first) instead of appending."
    ),
):
    """Add tracks to a set, skipping those already in it. One write, however many tracks.

    \b
    Examples:
      $ sc playlists add soundcloud:playlists:900001 300010 300011
      $ sc playlists add soundcloud:playlists:900001 300012 --at 1
    """
    from sccli.core.content import add_to_playlist

    sc = get_app()
    urn = _playlist_urn(sc, playlist)
    change = add_to_playlist(sc.client, urn, _urns(sc, tracks), at=at)
    for u in change.skipped:
        sc.info(f"skipped {u}: already in the set")
    sc.info(f"added {len(change.changed)} track(s) to {urn}")
    sc.out.one(change.playlist, "playlist")


@app.command("remove")
@output_options
def remove(
    playlist: str = typer.Argument(..., metavar="PLAYLIST", help="Set id, URN or URL."),
    tracks: list[str] = typer.Argument(..., metavar="TRACKS", help="Tracks to take out."),
):
    """Remove tracks from a set. Naming a track that is not in it is an error.

    \b
    Examples:
      $ sc playlists remove soundcloud:playlists:900001 300002
    """
    from sccli.core.content import remove_from_playlist

    sc = get_app()
    urn = _playlist_urn(sc, playlist)
    change = remove_from_playlist(sc.client, urn, _urns(sc, tracks))
    sc.info(f"removed {len(change.changed)} track(s) from {urn}")
    sc.out.one(change.playlist, "playlist")


@app.command("get")
@output_options
def get(playlist: str = typer.Argument(..., metavar="PLAYLIST", help="Set id, URN or URL.")):
    """Show a set with its tracks.

    \b
    Examples:
      $ sc playlists get soundcloud:playlists:900001
    """
    from sccli.core import resources

    sc = get_app()
    p = resources.get(sc.client, _playlist_urn(sc, playlist), show_tracks="true")
    if sc.out.mode == "table" and not sc.out.query and not sc.out.fields:
        sc.out.one({k: v for k, v in p.items() if k != "tracks"}, "playlist")
        sc.out.items(p.get("tracks") or [], "track")
    else:
        sc.out.one(p, "playlist")


@app.command("list")
@output_options
def list_(
    user: str | None = typer.Argument(
        None, metavar="USER", help="User id, URN or URL (default: you)."
    ),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List a user's sets, yours by default.

    \b
    Examples:
      $ sc playlists list
    """
    from sccli.core.refs import to_urn
    from sccli.core.resources import owned

    sc = get_app()
    urn = to_urn(sc.client, user, ("user",)) if user else None
    sc.out.items(owned(sc.client, "playlists", urn, limit=limit_or_all(limit, every)), "playlist")


@app.command("delete")
def delete(
    playlist: str = typer.Argument(..., metavar="PLAYLIST", help="Set id, URN or URL."),
    yes: bool = yes_option(),
):
    """Delete a set (its tracks stay).

    \b
    Examples:
      $ sc playlists delete soundcloud:playlists:900001 --yes
    """
    from sccli.cli.confirm import delete_confirmed

    sc = get_app()
    delete_confirmed(sc, _playlist_urn(sc, playlist), "set", yes)
