"""`sc tracks`: search, get, list, upload, update, delete, comments, the lists around a track
(related, likers, reposters) and download.

Each verb is a thin Typer function that builds a typed options object and calls
`run_<verb>(sc, opts)`, where the work is done with sccli.core.tracks and sccli.core.upload.
"""

from __future__ import annotations

import functools
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Literal, Optional

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.lists import (
    AboutOptions,
    UserListOptions,
    run_about,
    run_user_list,
    subject_argument,
)
from sccli.cli.output import OUTPUT
from sccli.cli.params import (
    License,
    OptionGroup,
    Sharing,
    access_option,
    all_option,
    archive_option,
    command,
    jobs_option,
    license_option,
    limit_option,
    limit_or_all,
    sharing_option,
    tag_option,
    template_option,
    yes_option,
)
from sccli.core.record import record
from sccli.core.values import STOREFRONT_TYPES

StorefrontType = Literal[STOREFRONT_TYPES]  # type: ignore[valid-type]

SortOrder = Literal["newest", "oldest"]  # core.resources.SORT_ORDERS

if TYPE_CHECKING:
    from sccli.core.tracks import TrackFilter
    from sccli.core.upload import UploadFile

app = typer.Typer(help="Search, upload and manage tracks.", no_args_is_help=True)


@command(app, "search", OUTPUT)
def search(
    ctx: typer.Context,
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
        None,
        "--created-from",
        metavar="DATE",
        help="Created on or after this date (YYYY-MM-DD, or a time as sc prints it).",
    ),
    created_to: str | None = typer.Option(
        None,
        "--created-to",
        metavar="DATE",
        help="Created on or before this date (YYYY-MM-DD, or a time as sc prints it).",
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
    opts = SearchOptions(
        query,
        license,
        limit_or_all(limit, every),
        genres=genre or [],
        tags=tag or [],
        bpm=(bpm_from, bpm_to),
        duration=(duration_from, duration_to),
        created=(created_from, created_to),
        access=access or [],
    )
    run_search(app_context(ctx), opts)


@record
class SearchOptions:
    """Search's words and filters as typed (ranges are (from, to), either end None)."""

    query: str | None
    license: str | None = None
    limit: int | None = 50
    genres: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    bpm: tuple[int | None, int | None] = (None, None)
    duration: tuple[str | None, str | None] = (None, None)
    created: tuple[str | None, str | None] = (None, None)
    access: list[str] = field(default_factory=list)

    def filter(self) -> TrackFilter:
        """The API's filters, each duration and date checked (a bad one is exit 2)."""
        from sccli.core.timefmt import parse_api_date, parse_duration_ms
        from sccli.core.tracks import TrackFilter

        def ms(text: str | None, what: str) -> int | None:
            return parse_duration_ms(text, what=what) if text else None

        def date(text: str | None, what: str, end: bool = False) -> str | None:
            return parse_api_date(text, end=end, what=what) if text else None

        return TrackFilter(
            genres=self.genres,
            tags=self.tags,
            bpm_from=self.bpm[0],
            bpm_to=self.bpm[1],
            duration_from=ms(self.duration[0], "--duration-from"),
            duration_to=ms(self.duration[1], "--duration-to"),
            created_from=date(self.created[0], "--created-from"),
            created_to=date(self.created[1], "--created-to", end=True),
            access=self.access,
        )


def run_search(sc: AppContext, o: SearchOptions) -> None:
    from sccli.core.tracks import search_tracks

    flt = o.filter()
    found = search_tracks(sc.client, o.query, flt, license=o.license, limit=o.limit)
    from sccli.render import no_match

    sc.out.items(found, "track", limited=o.limit, empty=no_match("track", o.query))


@command(app, "get", OUTPUT)
def get(
    ctx: typer.Context,
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN, URL or permalink."),
):
    """Show one track.

    \b
    Examples:
      $ sc tracks get soundcloud:tracks:300010
      $ sc tracks get sandbox-user/wild-canal-sketch-300001 --fields title,license
    """
    run_get(app_context(ctx), TrackOptions(track))


@record
class TrackOptions:
    """`get` and `share-link`: one TRACK."""

    track: str


def run_get(sc: AppContext, o: TrackOptions) -> None:
    from sccli.core.refs import fetch

    sc.out.one(fetch(sc.client, o.track, ("track",)), "track")


@command(app, "list", OUTPUT)
def list_(
    ctx: typer.Context,
    user: str | None = typer.Argument(
        None, metavar="USER", help="User id, URN or URL (default: you)."
    ),
    limit: int = limit_option(),
    every: bool = all_option(),
    sort: SortOrder | None = typer.Option(
        None, "--sort", help="newest (the API's default) or oldest upload first."
    ),
):
    """List a user's tracks, yours by default.

    \b
    Examples:
      $ sc tracks list
      $ sc tracks list soundcloud:users:1002 --limit 10
      $ sc tracks list --sort oldest --limit 5
    """
    opts = UserListOptions(user, "tracks", "track", limit_or_all(limit, every), sort)
    run_user_list(app_context(ctx), opts)


@command(app, "comments", OUTPUT)
def comments(
    ctx: typer.Context,
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN or URL."),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List the comments on a track, with their times as m:ss.

    \b
    Examples:
      $ sc tracks comments soundcloud:tracks:300010
    """
    run_comments(app_context(ctx), CommentsOptions(track, limit_or_all(limit, every)))


@record
class CommentsOptions:
    track: str
    limit: int | None


def run_comments(sc: AppContext, o: CommentsOptions) -> None:
    from sccli.core.refs import to_urn
    from sccli.core.tracks import comments as list_comments

    urn = to_urn(sc.client, o.track, ("track",))
    found = list_comments(sc.client, urn, limit=o.limit)
    sc.out.items(found, "comment", limited=o.limit, empty=f"No comments on {urn}.")


def _track_meta_flags(
    title: Optional[str] = typer.Option(
        None, "--title", help="Title (upload: default the file name without its extension)."
    ),
    description: Optional[str] = typer.Option(None, "--description", help="Description."),
    genre: Optional[str] = typer.Option(None, "--genre", help="Genre."),
    tag: Optional[List[str]] = typer.Option(
        None,
        "--tag",
        metavar="TAG",
        help="Tag (repeatable; multi-word tags are quoted for you; replaces all tags).",
    ),
    sharing: Optional[Sharing] = sharing_option(
        None, "public or private (upload: default config `sharing`, else private)."
    ),
    license: Optional[License] = license_option(),
    release_date: Optional[str] = typer.Option(
        None, "--release-date", metavar="YYYY-MM-DD", help="Release date."
    ),
    downloadable: Optional[bool] = typer.Option(
        None, "--downloadable/--no-downloadable", help="Allow downloads."
    ),
    commentable: Optional[bool] = typer.Option(
        None, "--commentable/--no-commentable", help="Allow comments."
    ),
    reveal_stats: Optional[bool] = typer.Option(
        None, "--reveal-stats/--hide-stats", help="Show play and like counts (hide: quiet mode)."
    ),
    reveal_comments: Optional[bool] = typer.Option(
        None, "--reveal-comments/--hide-comments", help="Show the comments (hide: quiet mode)."
    ),
    artwork: Optional[Path] = typer.Option(
        None, "--artwork", metavar="IMAGE", help="Artwork: a JPEG or PNG file."
    ),
) -> None:
    """The metadata options upload and update share."""


@record
class TrackMeta:
    """The API's track fields given on the command line (None: not given, not sent)."""

    fields: dict[str, Any]
    artwork: UploadFile | None = None


def _track_meta(_ctx: typer.Context, o: dict[str, Any]) -> TrackMeta:
    from sccli.core.timefmt import parse_release_date
    from sccli.core.upload import check_artwork, tag_list

    fields = {k: o[k] for k in ("title", "description", "genre", "sharing", "license")}
    fields["tag_list"] = tag_list(o["tag"]) if o["tag"] else None
    fields["release_date"] = parse_release_date(o["release_date"]) if o["release_date"] else None
    fields["downloadable"] = o["downloadable"]
    fields["commentable"] = o["commentable"]
    fields["reveal_stats"] = o["reveal_stats"]
    fields["reveal_comments"] = o["reveal_comments"]
    return TrackMeta(fields, check_artwork(o["artwork"]) if o["artwork"] else None)


TRACK_META = OptionGroup("track_meta", _track_meta_flags, _track_meta)


@command(app, "upload", OUTPUT, TRACK_META)
def upload(
    ctx: typer.Context,
    files: List[Path] = typer.Argument(
        ...,
        metavar="FILE...",
        help="The audio file(s): AIFF, WAVE, FLAC, OGG, MP2, MP3, AAC, AMR or WMA.",
        show_default=False,
    ),
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
    jobs: int = jobs_option(2, "Uploads at a time, given several files."),
):
    """Upload tracks.

    Every file is checked before anything is sent, and streamed from disk. A failed request
    is never blindly repeated: after a timeout or a dropped connection sc looks for the
    track before saying whether it was uploaded. Uploads are private unless --sharing public.
    Several files are uploaded --jobs at a time, each titled from its file name, and
    reported one by one (NDJSON {"ref", "ok", "urn"|"error"} in a pipe); the exit status is
    1 if any failed.

    \b
    Examples:
      $ sc tracks upload mix.wav --title "Live at the pier" --tag live
      $ sc tracks upload release.flac --sharing public --wait --if-absent
      $ sc tracks upload mix.wav release.flac --jobs 2 --genre Ambient
    """
    opts = UploadOptions(files, TRACK_META.of(ctx), playlist, wait, wait_timeout, if_absent, jobs)
    run_upload(app_context(ctx), opts)


@record
class UploadOptions:
    files: list[Path]
    meta: TrackMeta
    playlist: str | None = None
    wait: bool = False
    wait_timeout: float = 600
    if_absent: bool = False
    jobs: int = 2

    @functools.cached_property
    def audios(self) -> list[UploadFile]:
        """The files, each checked (the first read checks all, before a byte is sent)."""
        from sccli.core.upload import check_audio

        return [check_audio(f) for f in self.files]


def run_upload(sc: AppContext, o: UploadOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.upload import size_note

    if len(o.audios) > 1 and o.meta.fields.get("title"):
        raise UsageError("--title names one track: give it with a single FILE")
    note = size_note(o.audios)
    if note:
        sc.info(note)
    # The set is checked before a byte is sent: a wrong one must not leave a stray track.
    playlist = _own_playlist(sc, o.playlist) if o.playlist else None
    if len(o.audios) == 1:
        _upload_one(sc, o, playlist)
    else:
        _upload_several(sc, o, playlist)


def _meta_for(sc: AppContext, o: UploadOptions, audio: UploadFile) -> dict[str, Any]:
    from sccli.core.titles import default_title

    meta = dict(o.meta.fields)
    meta["title"] = meta["title"] or default_title(audio.path)
    meta["sharing"] = meta["sharing"] or sc.settings.sharing
    return meta


def _upload_one(sc: AppContext, o: UploadOptions, playlist: str | None) -> None:
    from sccli.cli.progress import byte_progress
    from sccli.core.upload import find_own_track, skipped_line, upload_track

    audio = o.audios[0]
    meta = _meta_for(sc, o, audio)
    existing = find_own_track(sc.client, meta["title"]) if o.if_absent else None
    if existing:  # decided before any bar is drawn
        sc.info(skipped_line(existing))
        sc.out.one(existing, "track")
        return
    with byte_progress(sc, audio.size, f"uploading {audio.path.name}") as progress:
        result = upload_track(sc.client, audio, meta, artwork=o.meta.artwork, progress=progress)
    track = result.track
    sc.info(result.describe())
    with sc.after_write(track):
        if playlist:
            _append(sc, playlist, [track["urn"]])
        if o.wait:
            track = _wait(sc, track["urn"], o.wait_timeout)
    sc.out.one(track, "track")


def _upload_several(sc: AppContext, o: UploadOptions, playlist: str | None) -> None:
    """--jobs at a time, reported per file as batch.py reports references; then the set gets
    every uploaded track in one write, and --wait waits; exit 1 if any file failed."""
    from sccli.cli.batch import Outcome, report_each
    from sccli.core.upload import upload_track

    by_name = {str(a.path): a for a in o.audios}

    def work(item: Outcome) -> str:
        audio = by_name[item.ref]
        meta = _meta_for(sc, o, audio)
        result = upload_track(sc.client, audio, meta, artwork=o.meta.artwork, if_absent=o.if_absent)
        item.urn, item.skipped = result.track["urn"], not result.uploaded
        return f"{audio.path.name}: {result.describe()}"

    sc.client.allow_parallel(o.jobs)
    tally = report_each(sc, [str(a.path) for a in o.audios], work, jobs=o.jobs, keep=True)
    urns = [x.urn for x in tally.kept if x.error is None and x.urn]
    if playlist and urns:
        _append(sc, playlist, urns)
    for urn in urns if o.wait else []:
        _wait(sc, urn, o.wait_timeout)
    tally.raise_if_failed()


def _own_playlist(sc: AppContext, ref: str) -> str:
    from sccli.core.playlists import check_owned
    from sccli.core.refs import to_urn

    urn = to_urn(sc.client, ref, ("playlist",), default="playlist")
    check_owned(sc.client, urn)
    return urn


def _append(sc: AppContext, playlist_urn: str, track_urns: list[str]) -> None:
    from sccli.core.playlists import add_tracks

    added = add_tracks(sc.client, playlist_urn, track_urns).changed
    if added:
        sc.info(f"added {len(added)} track(s) to {playlist_urn}")


def _wait(sc: AppContext, urn: str, timeout: float) -> dict:
    from sccli.cli.progress import spinner
    from sccli.core.upload import wait_until_processed

    with spinner(sc, "processing") as tick:
        track = wait_until_processed(sc.client, urn, timeout=timeout, tick=tick, sleep=sc.env.sleep)
    sc.info("processing finished")
    return track


@command(app, "update", OUTPUT, TRACK_META)
def update(
    ctx: typer.Context,
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN, URL or permalink."),
    file: Path | None = typer.Option(None, "--file", hidden=True),
):
    """Change a track's metadata or artwork. Only the options given are sent.

    The audio of a track cannot be replaced through the API: upload a new track instead.

    \b
    Examples:
      $ sc tracks update 300001 --title "New title" --license cc-by
    """
    run_update(app_context(ctx), UpdateOptions(track, TRACK_META.of(ctx), file))


@record
class UpdateOptions:
    track: str
    meta: TrackMeta
    file: Path | None = None  # hidden --file: refused with a reason


def run_update(sc: AppContext, o: UpdateOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.refs import to_urn
    from sccli.core.tracks import update_track

    if o.file is not None:
        raise UsageError("the API cannot replace a track's audio; upload it as a new track")
    urn = to_urn(sc.client, o.track, ("track",))
    result = update_track(sc.client, urn, o.meta.fields, o.meta.artwork)
    sc.info(f"updated {urn}")
    sc.out.one(result, "track")


@command(app, "share-link")
def share_link(
    ctx: typer.Context,
    track: str = typer.Argument(
        ..., metavar="TRACK", help="Your track: id, URN, URL or permalink."
    ),
):
    """Print a track's share link (a private track's secret link).

    Anyone with the secret link (https://soundcloud.com/USER/TITLE/s-TOKEN) can play the
    private track; sc takes such links wherever it takes a TRACK. Of a public track, its
    page is the link.

    \b
    Examples:
      $ sc tracks share-link soundcloud:tracks:300001
    """
    run_share_link(app_context(ctx), TrackOptions(track))


def run_share_link(sc: AppContext, o: TrackOptions) -> None:
    from sccli.core.refs import fetch
    from sccli.core.tracks import share_link as link_of

    sc.echo(link_of(fetch(sc.client, o.track, ("track",))))


@command(app, "storefront", OUTPUT)
def storefront(
    ctx: typer.Context,
    track: str = typer.Argument(
        ..., metavar="TRACK", help="Your track: id, URN, URL or permalink."
    ),
    title: Optional[str] = typer.Option(None, "--title", help="The card's title."),
    url: Optional[str] = typer.Option(None, "--url", help="The http(s) page the button opens."),
    label: Optional[str] = typer.Option(None, "--label", help="The button's label."),
    description: Optional[str] = typer.Option(None, "--description", help="The card's text."),
    kind: Optional[StorefrontType] = typer.Option(
        None, "--type", help="What is offered (default digital)."
    ),
    price: Optional[str] = typer.Option(None, "--price", help="Price text shown (no payment)."),
    keep: bool = typer.Option(
        False, "--keep", help="Resend the fields not given, as sc last set them."
    ),
):
    """Show or set a track's storefront (the buy module on its page).

    With no options, shows the storefront sc last set on the track: the API cannot read one
    back. The API replaces the whole storefront each time, so fields not given are cleared
    (sc warns), unless --keep resends them as sc last set them. Needs a creator subscription
    with purchase options.

    \b
    Examples:
      $ sc tracks storefront 300001 --title Album --url https://example.com/album
      $ sc tracks storefront soundcloud:tracks:300001 --price "12 EUR" --keep
      $ sc tracks storefront soundcloud:tracks:300001
    """
    from sccli.cli.storefront import StorefrontOptions, run_storefront

    opts = StorefrontOptions(track, title, url, label, description, kind, price, keep)
    run_storefront(app_context(ctx), opts)


@command(app, "delete", OUTPUT)
def delete(
    ctx: typer.Context,
    tracks: List[str] = typer.Argument(
        ..., metavar="TRACK...", help="Tracks: id, URN, URL or permalink; - reads them from stdin."
    ),
    yes: bool = yes_option(),
    jobs: int = jobs_option(),
):
    """Delete tracks.

    \b
    Examples:
      $ sc tracks delete soundcloud:tracks:300001 --yes
    """
    from sccli.cli.batch import DeleteOptions, run_delete
    from sccli.core.kinds import TRACK

    run_delete(app_context(ctx), DeleteOptions(tracks, TRACK, yes, jobs))


@command(app, "related", OUTPUT)
def related(
    ctx: typer.Context,
    track: str = subject_argument("track"),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List tracks like this one, as SoundCloud recommends them.

    \b
    Examples:
      $ sc tracks related soundcloud:tracks:300010 --limit 5
    """
    opts = AboutOptions(track, "track", "related", "track", limit_or_all(limit, every))
    run_about(app_context(ctx), opts)


@command(app, "likers", OUTPUT)
def likers(
    ctx: typer.Context,
    track: str = subject_argument("track"),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List the users who liked a track.

    \b
    Examples:
      $ sc tracks likers soundcloud:tracks:300010
    """
    opts = AboutOptions(track, "track", "favoriters", "user", limit_or_all(limit, every))
    run_about(app_context(ctx), opts)


@command(app, "reposters", OUTPUT)
def reposters(
    ctx: typer.Context,
    track: str = subject_argument("track"),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List the users who reposted a track.

    \b
    Examples:
      $ sc tracks reposters soundcloud:tracks:300010
    """
    opts = AboutOptions(track, "track", "reposters", "user", limit_or_all(limit, every))
    run_about(app_context(ctx), opts)


@command(app, "download", OUTPUT)
def download(
    ctx: typer.Context,
    tracks: Optional[List[str]] = typer.Argument(
        None, metavar="TRACK...", help="Tracks: id, URN, URL or permalink; - reads them from stdin."
    ),
    output: Optional[str] = typer.Option(  # a str: Path would drop the telling trailing /
        None,
        "--output",
        "-o",
        metavar="PATH|DIR",
        help="Save as this file, or into this folder (a trailing / or several tracks make it "
        "a folder). Default: the current folder.",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite files that already exist."),
    all_mine: Optional[Path] = typer.Option(
        None,
        "--all-mine",
        metavar="DIR",
        help="Back up the originals of all your downloadable tracks into DIR, "
        "skipping files already there in full.",
    ),
    template: Optional[str] = template_option(
        "Name files in the folder by this, e.g. '{user.username}/{title}.{ext}'."
    ),
    skip_existing: bool = typer.Option(
        False, "--skip-existing", help="Skip a file already there in full (exit 0)."
    ),
    archive: Optional[Path] = archive_option(
        "Skip the tracks this file lists; add each one downloaded (as sc sync does)."
    ),
    tag: bool = tag_option(False),
):
    """Download the original files of tracks whose owners allow it.

    Files are named as the server names them (made safe), else after the title. A file is
    written to NAME.part and renamed when complete; an interrupted download is resumed
    (a Range request) when the server allows it, within the run and by running the same
    command again. An existing file is never overwritten without --force; --skip-existing
    skips one already there in full, and --archive FILE skips the tracks FILE lists (and adds
    each one downloaded), so a rerun fetches only what is new. A track that is not
    downloadable is exit 3.

    \b
    Examples:
      $ sc tracks download soundcloud:tracks:300010
      $ sc tracks download soundcloud:tracks:300002 -o original.wav --force
      $ sc tracks download --all-mine backup/
      $ sc likes --query '[?download_url].urn' -r | sc tracks download - -o bak/
      $ sc tracks download 390001 390002 -o music/ --archive music/.archive --tag
    """
    from sccli.cli.download import DownloadOptions, run_download

    opts = DownloadOptions(
        tracks or [], output, force, all_mine, template, skip_existing, archive, tag
    )
    run_download(app_context(ctx), opts)
