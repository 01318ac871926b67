"""`sc tracks`: search, get, list, upload, update, delete and comments."""

from pathlib import Path
from typing import List, Optional

import typer

from sccli.cli.context import get_app
from sccli.cli.output import output_options, with_options
from sccli.cli.params import (
    License,
    Sharing,
    access_option,
    all_option,
    license_option,
    limit_option,
    limit_or_all,
    sharing_option,
    yes_option,
)

app = typer.Typer(help="Search, upload and manage tracks.", no_args_is_help=True)


@app.command("search")
@output_options
def search(
    query: str | None = typer.Argument(
        None,
        metavar="QUERY",
        help="Words to search for in titles, descriptions, tags and user names.",
    ),
    genre: list[str] | None = typer.Option(
        None, "--genre", metavar="GENRE", help="Genre to match (repeatable)."
    ),
    tag: list[str] | None = typer.Option(
        None, "--tag", metavar="TAG", help="Tag to match (repeatable)."
    ),
    bpm_from: int | None = typer.Option(
        None, "--bpm-from", min=0, metavar="BPM", help="Lowest BPM."
    ),
    bpm_to: int | None = typer.Option(None, "--bpm-to", min=0, metavar="BPM", help="Highest BPM."),
    duration_from: str | None = typer.Option(
        None, "--duration-from", metavar="DURATION", help="Shortest duration: 90, 90s or 1:30."
    ),
    duration_to: str | None = typer.Option(
        None, "--duration-to", metavar="DURATION", help="Longest duration: 90, 90s or 1:30."
    ),
    created_from: str | None = typer.Option(
        None, "--created-from", metavar="DATE", help="Created on or after this date (YYYY-MM-DD)."
    ),
    created_to: str | None = typer.Option(
        None, "--created-to", metavar="DATE", help="Created on or before this date (YYYY-MM-DD)."
    ),
    access: list[str] | None = access_option(),
    license: License | None = license_option(
        "Only tracks under this license (filtered by sc: the API has no such filter)."
    ),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """Search tracks.

    Filters go to the API; --license is applied by sc to the results, paging on until
    --limit matches are found.

    \b
    Examples:
      $ sc tracks search buskers --license cc-by-sa
      $ sc tracks search piano --genre Jazz --duration-to 3:00 --limit 5
      $ sc tracks search --tag street --created-from 2024-06-01 --json
    """
    from sccli.core.resources import TrackFilter, search_tracks
    from sccli.core.timefmt import parse_api_date, parse_duration_ms

    flt = TrackFilter(
        genres=genre or [],
        tags=tag or [],
        bpm_from=bpm_from,
        bpm_to=bpm_to,
        duration_from=parse_duration_ms(duration_from, what="--duration-from")
        if duration_from
        else None,
        duration_to=parse_duration_ms(duration_to, what="--duration-to") if duration_to else None,
        created_from=parse_api_date(created_from, what="--created-from") if created_from else None,
        created_to=parse_api_date(created_to, end=True, what="--created-to")
        if created_to
        else None,
        access=access or [],
    )
    sc = get_app()
    sc.out.items(
        search_tracks(sc.client, query, flt, license=license, limit=limit_or_all(limit, every)),
        "track",
    )


@app.command("get")
@output_options
def get(track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN or URL.")):
    """Show one track.

    \b
    Examples:
      $ sc tracks get soundcloud:tracks:300010
      $ sc tracks get https://soundcloud.com/sandbox-user/wild-canal-sketch-300001 --fields title,license
    """
    from sccli.core.refs import fetch

    sc = get_app()
    sc.out.one(fetch(sc.client, track, ("track",)), "track")


@app.command("list")
@output_options
def list_(
    user: str | None = typer.Argument(
        None, metavar="USER", help="User id, URN or URL (default: you)."
    ),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List a user's tracks, yours by default.

    \b
    Examples:
      $ sc tracks list
      $ sc tracks list soundcloud:users:1002 --limit 10
    """
    from sccli.core.refs import to_urn
    from sccli.core.resources import owned

    sc = get_app()
    urn = to_urn(sc.client, user, ("user",)) if user else None
    sc.out.items(owned(sc.client, "tracks", urn, limit=limit_or_all(limit, every)), "track")


@app.command("comments")
@output_options
def comments(
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN or URL."),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List the comments on a track, with their times as m:ss.

    \b
    Examples:
      $ sc tracks comments soundcloud:tracks:300010
    """
    from sccli.core.refs import to_urn
    from sccli.core.resources import list_of

    sc = get_app()
    urn = to_urn(sc.client, track, ("track",))
    sc.out.items(
        list_of(sc.client, f"/tracks/{urn}/comments", limit=limit_or_all(limit, every)), "comment"
    )


# The metadata options upload and update share; `meta` reaches the command as a dict.
_META_OPTIONS = [
    (
        "title",
        Optional[str],
        typer.Option(
            None, "--title", help="Title (upload: default the file name without its extension)."
        ),
    ),
    ("description", Optional[str], typer.Option(None, "--description", help="Description.")),
    ("genre", Optional[str], typer.Option(None, "--genre", help="Genre.")),
    (
        "tag",
        Optional[List[str]],
        typer.Option(
            None,
            "--tag",
            metavar="TAG",
            help="Tag (repeatable; multi-word tags are quoted for you; replaces all tags).",
        ),
    ),
    (
        "sharing",
        Optional[Sharing],
        sharing_option(None, "public or private (upload: default config `sharing`, else private)."),
    ),
    ("license", Optional[License], license_option()),
    (
        "release_date",
        Optional[str],
        typer.Option(None, "--release-date", metavar="YYYY-MM-DD", help="Release date."),
    ),
    (
        "downloadable",
        Optional[bool],
        typer.Option(None, "--downloadable/--no-downloadable", help="Allow downloads."),
    ),
    (
        "commentable",
        Optional[bool],
        typer.Option(None, "--commentable/--no-commentable", help="Allow comments."),
    ),
    (
        "artwork",
        Optional[Path],
        typer.Option(None, "--artwork", metavar="IMAGE", help="Artwork: a JPEG or PNG file."),
    ),
]


def _track_meta(o: dict) -> dict:
    """The options as the API's track fields (None: not given, not sent); artwork kept apart."""
    from sccli.core.timefmt import parse_release_date
    from sccli.core.upload import check_artwork, tag_list

    return {
        "meta": {
            "title": o["title"],
            "description": o["description"],
            "genre": o["genre"],
            "tag_list": tag_list(o["tag"]) if o["tag"] else None,
            "sharing": o["sharing"],
            "license": o["license"],
            "release_date": parse_release_date(o["release_date"]) if o["release_date"] else None,
            "downloadable": o["downloadable"],
            "commentable": o["commentable"],
            "artwork": check_artwork(o["artwork"]) if o["artwork"] else None,
        }
    }


metadata_options = with_options(_META_OPTIONS, _track_meta, provides=("meta",))


@app.command("upload")
@output_options
@metadata_options
def upload(
    files: List[Path] = typer.Argument(
        ...,
        metavar="FILE",
        help="The audio file(s): AIFF, WAVE, FLAC, OGG, MP2, MP3, AAC, AMR or WMA.",
        show_default=False,
    ),
    meta: dict = None,  # filled by @metadata_options
    playlist: str | None = typer.Option(
        None, "--playlist", metavar="PLAYLIST", help="Append the new track(s) to this set."
    ),
    wait: bool = typer.Option(
        False, "--wait", help="Wait until SoundCloud has finished processing the audio."
    ),
    wait_timeout: int = typer.Option(
        600, "--wait-timeout", metavar="SECONDS", help="Give up waiting after this long."
    ),
    if_absent: bool = typer.Option(
        False,
        "--if-absent",
        help="Do nothing (and print the existing track) if you already have a track with this title.",
    ),
    jobs: int = typer.Option(
        2, "--jobs", "-j", min=1, metavar="N", help="Uploads at a time, given several files."
    ),
):
    """Upload tracks.

    Every file is checked before anything is sent, and streamed from disk. A failed request
    is never blindly repeated: after a timeout or a dropped connection sc looks for the
    track before saying whether it was uploaded. Uploads are private unless --sharing public.
    Several files are uploaded --jobs at a time, each titled from its file name, and
    reported one by one; the exit status is 1 if any failed.

    \b
    Examples:
      $ sc tracks upload mix.wav --title "Live at the pier" --tag live --tag "field recording"
      $ sc tracks upload release.flac --sharing public --license cc-by-sa --wait --if-absent
      $ sc tracks upload mix.wav release.flac --jobs 2 --genre Ambient
    """
    from sccli.core.errors import UsageError
    from sccli.core.refs import to_urn
    from sccli.core.upload import check_audio

    sc = get_app()
    audios = [check_audio(f) for f in files]  # all checked before the first byte is sent
    art = meta.pop("artwork")
    if len(audios) > 1 and meta["title"]:
        raise UsageError("--title names one track: give it with a single FILE")
    meta["sharing"] = meta["sharing"] or sc.settings.sharing or "private"
    playlist_urn = (
        to_urn(sc.client, playlist, ("playlist",), default="playlist") if playlist else None
    )
    if len(audios) == 1:
        _upload_one(sc, audios[0], meta, art, if_absent, playlist_urn, wait, wait_timeout)
    else:
        _upload_several(sc, audios, meta, art, if_absent, jobs, playlist_urn, wait, wait_timeout)


def _upload_one(sc, audio, meta, art, if_absent, playlist_urn, wait, wait_timeout) -> None:
    from sccli.cli.progress import byte_progress, spinner
    from sccli.core.content import add_to_playlist
    from sccli.core.upload import default_title, upload_track, wait_until_processed

    meta["title"] = meta["title"] or default_title(audio.path)
    with byte_progress(sc, audio.size, f"uploading {audio.path.name}") as progress:
        result = upload_track(
            sc.client, audio, meta, artwork=art, if_absent=if_absent, progress=progress
        )
    track = result.track
    if not result.uploaded:
        sc.info(f"not uploaded: you already have {track['urn']} titled {track.get('title')!r}")
    elif result.recovered:
        sc.info(
            f"uploaded {track['urn']} (the server answered with an error, but the track was created)"
        )
    else:
        sc.info(f"uploaded {track['urn']}")
    if playlist_urn:
        change = add_to_playlist(sc.client, playlist_urn, [track["urn"]])
        if change.changed:
            sc.info(f"added to {playlist_urn}")
    if wait:
        with spinner(sc, "processing") as tick:
            track = wait_until_processed(sc.client, track["urn"], timeout=wait_timeout, tick=tick)
        sc.info("processing finished")
    sc.out.one(track, "track")


def _upload_several(
    sc, audios, meta, art, if_absent, jobs, playlist_urn, wait, wait_timeout
) -> None:
    """Several files, --jobs at a time; one line each ({ref, ok, urn|error}), exit 1 if any failed."""
    from sccli.core.content import add_to_playlist
    from sccli.core.errors import ApiError
    from sccli.core.upload import UploadJob, default_title, upload_many, wait_until_processed

    batch = [UploadJob(a, {**meta, "title": default_title(a.path)}, art) for a in audios]

    def heard(o) -> None:
        what = f"uploaded {o.result.track['urn']}" if o.result else f"failed: {o.error.message}"
        sc.info(f"{o.job.audio.path.name}: {what}")

    outcomes = upload_many(sc.client, batch, parallel=jobs, if_absent=if_absent, done=heard)
    urns = [o.result.track["urn"] for o in outcomes if o.result]
    if playlist_urn and urns:
        add_to_playlist(sc.client, playlist_urn, urns)
        sc.info(f"added {len(urns)} track(s) to {playlist_urn}")
    for urn in urns if wait else []:
        wait_until_processed(sc.client, urn, timeout=wait_timeout)
    sc.out.items(
        (
            {"ref": str(o.job.audio.path), "ok": True, "urn": o.result.track["urn"]}
            if o.result
            else {"ref": str(o.job.audio.path), "ok": False, "error": o.error.message}
            for o in outcomes
        ),
        "item",
    )
    failed = len(outcomes) - len(urns)
    if failed:
        raise ApiError(f"{failed} of {len(outcomes)} uploads failed")


@app.command("update")
@output_options
@metadata_options
def update(
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN or URL."),
    meta: dict = None,  # filled by @metadata_options
    file: Path | None = typer.Option(None, "--file", hidden=True),
):
    """Change a track's metadata or artwork. Only the options given are sent.

    The audio of a track cannot be replaced through the API: upload a new track instead.

    \b
    Examples:
      $ sc tracks update soundcloud:tracks:300001 --title "New title" --license cc-by
    """
    from sccli.core.content import update_track
    from sccli.core.errors import UsageError
    from sccli.core.refs import to_urn

    if file is not None:
        raise UsageError("the API cannot replace a track's audio; upload it as a new track")
    sc = get_app()
    art = meta.pop("artwork")
    urn = to_urn(sc.client, track, ("track",))
    result = update_track(sc.client, urn, meta, art)
    sc.info(f"updated {urn}")
    sc.out.one(result, "track")


@app.command("delete")
def delete(
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN or URL."),
    yes: bool = yes_option(),
):
    """Delete a track.

    \b
    Examples:
      $ sc tracks delete soundcloud:tracks:300001 --yes
    """
    from sccli.cli.confirm import delete_confirmed
    from sccli.core.refs import to_urn

    sc = get_app()
    delete_confirmed(sc, to_urn(sc.client, track, ("track",)), "track", yes)
