"""`sc resolve` and `sc stream-url`: from a permalink to the resource, and to its audio."""

from __future__ import annotations

from typing import Literal

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import command
from sccli.core.record import record

STREAM_FORMATS = ("hls-aac", "hls-aac-96", "hls-mp3", "preview")
StreamFormat = Literal[STREAM_FORMATS]  # type: ignore[valid-type]


app = typer.Typer()  # its commands sit at the top level: the registry names each one


@command(app, "resolve", OUTPUT)
def resolve(
    ctx: typer.Context,
    url: str = typer.Argument(
        ..., metavar="URL", help="A soundcloud.com or on.soundcloud.com URL."
    ),
):
    """Show the track, user or set behind a SoundCloud URL.

    \b
    Examples:
      $ sc resolve https://soundcloud.com/sandbox-user
    """
    run_resolve(app_context(ctx), ResolveOptions(url))


@record
class ResolveOptions:
    url: str


def run_resolve(sc: AppContext, o: ResolveOptions) -> None:
    from sccli.core.errors import UsageError
    from sccli.core.refs import parse_ref, resolve_url, urn_kind

    ref = parse_ref(o.url)
    if not ref.url:
        raise UsageError(f"{o.url!r} is not a URL; `sc tracks get` takes ids and URNs")
    obj = resolve_url(sc.client, ref.url, ref.secret)
    kind = urn_kind(obj["urn"]) if isinstance(obj, dict) and obj.get("urn") else None
    sc.out.one(obj, kind)


@command(app, "stream-url", OUTPUT)
def stream_url(
    ctx: typer.Context,
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN or URL."),
    fmt: StreamFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="hls-aac (160 kbit/s), hls-aac-96, hls-mp3 or preview (default: the best full stream).",
    ),
    follow: bool = typer.Option(
        False,
        "--resolve",
        help="Follow the authenticated hop and print the CDN URL, which needs no token.",
    ),
):
    """Print a track's stream URL.

    By default the URL is the API's: a player must send your token to it. With --resolve
    sc follows that hop and prints the short-lived CDN URL instead (a link that is already a
    CDN link is printed as it is). --json prints every available stream.

    A track that is a 30-second preview only here (Go+, a region lock) gets its preview
    with a warning on stderr, or without one given --format preview; a blocked track is
    exit 3, with the reason.

    SoundCloud's attribution rules apply wherever you play a stream: credit the uploader,
    link back to the track's SoundCloud page, and do not alter or re-host the audio.

    \b
    Examples:
      $ sc stream-url soundcloud:tracks:300010
      $ sc stream-url soundcloud:tracks:300010 --format hls-mp3 --resolve
    """
    run_stream_url(app_context(ctx), StreamUrlOptions(track, fmt, follow))


@record
class StreamUrlOptions:
    track: str
    fmt: str | None  # one of STREAM_FORMATS; None: the best full stream
    follow: bool  # --resolve: the CDN URL behind the API's


def run_stream_url(sc: AppContext, o: StreamUrlOptions) -> None:
    from sccli.core.streams import pick_stream, resolve_stream, track_and_streams

    obj, streams = track_and_streams(sc.client, o.track)
    urn = obj["urn"]

    def line() -> str:
        choice = pick_stream(streams, o.fmt, urn, obj.get("access"))
        if choice.warning:
            sc.info(choice.warning)
        return resolve_stream(sc.client, choice.url) if o.follow else choice.url

    sc.out.value(line, streams)  # one URL, even in a pipe; every stream with --json
