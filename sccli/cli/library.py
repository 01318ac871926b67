"""`sc me`, your library and anyone's (`likes`, `reposts`, `followings`, `followers`), and
what you hear about (`feed`, `activities`, `history`).

Every list here is one shape: an optional USER (you by default), --limit / --all and the
output flags, run by `run_user_list`; the lists about one track, set or user (`sc tracks
related`, `sc users links`...) share `run_about`.
"""

from __future__ import annotations

from collections.abc import Callable

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import all_option, command, limit_option, limit_or_all, quiet_option


def register(app: typer.Typer) -> None:
    command(app, "me", OUTPUT)(me)
    for name, fn in (
        ("likes", likes),
        ("reposts", reposts),
        ("followings", followings),
        ("followers", followers),
        ("feed", feed),
        ("activities", activities),
        ("history", history),
    ):
        command(app, name, OUTPUT)(fn)


def run_user_list(
    sc: AppContext, user: str | None, what: str, kind: str, limit: int | None
) -> None:
    """A list under /me/<what>, or /users/{urn}/<what> when a USER is named."""
    from sccli.core.library import of_user
    from sccli.core.refs import to_urn

    urn = to_urn(sc.client, user, ("user",)) if user else None
    sc.out.items(of_user(sc.client, urn, what, limit=limit), kind, limited=limit)


def run_about(
    sc: AppContext, ref: str, kinds: tuple[str, ...], what: str, kind: str, limit: int | None
) -> None:
    """A list hanging off one track, set or user: /<kind>s/{urn}/<what>."""
    from sccli.core.library import about
    from sccli.core.refs import to_urn

    urn = to_urn(sc.client, ref, kinds)
    sc.out.items(about(sc.client, urn, what, limit=limit), kind, limited=limit)


def me(ctx: typer.Context):
    """Show who you are logged in as.

    The same as `sc users get` with no USER.

    \b
    Examples:
      $ sc me
      $ sc me --fields username,plan
    """
    from sccli.cli.users import run_get

    run_get(app_context(ctx), None)


USER = typer.Argument(None, metavar="USER", help="User id, URN, URL or username (default: you).")
PLAYLISTS = typer.Option(False, "--playlists", help="Sets instead of tracks.")


def _tracks_or_sets(what: str, doc: str) -> Callable[..., None]:
    """`sc likes` and `sc reposts`: tracks, or sets with --playlists, of you or a USER."""

    def cmd(
        ctx: typer.Context,
        user: str | None = USER,
        playlists: bool = PLAYLISTS,
        limit: int = limit_option(),
        every: bool = all_option(),
    ) -> None:
        kind = "playlist" if playlists else "track"
        run_user_list(app_context(ctx), user, f"{what}/{kind}s", kind, limit_or_all(limit, every))

    cmd.__doc__ = doc
    cmd.__name__ = what
    return cmd


def _people(what: str, doc: str) -> Callable[..., None]:
    """`sc followings` and `sc followers`, of you or a USER."""

    def cmd(
        ctx: typer.Context,
        user: str | None = USER,
        limit: int = limit_option(),
        every: bool = all_option(),
    ) -> None:
        run_user_list(app_context(ctx), user, what, "user", limit_or_all(limit, every))

    cmd.__doc__ = doc
    cmd.__name__ = what
    return cmd


likes = _tracks_or_sets(
    "likes",
    """List liked tracks (or sets), yours by default.

    \b
    Examples:
      $ sc likes
      $ sc likes northern-canal-1 --playlists
      $ sc likes --all --query '[?download_url].urn' -r | sc tracks download - -o backup/
    """,
)
reposts = _tracks_or_sets(
    "reposts",
    """List reposted tracks (or sets), yours by default.

    \b
    Examples:
      $ sc reposts
      $ sc reposts soundcloud:users:1002 --playlists
    """,
)
followings = _people(
    "followings",
    """List the users someone follows, you by default.

    \b
    Examples:
      $ sc followings
      $ sc followings northern-canal-1 --limit 10
    """,
)
followers = _people(
    "followers",
    """List the users who follow someone, you by default.

    \b
    Examples:
      $ sc followers
      $ sc followers soundcloud:users:1002 --fields urn,username
    """,
)


def run_feed(sc: AppContext, which: str, limit: int | None) -> None:
    from sccli.core.library import feed as list_feed

    sc.out.items(list_feed(sc.client, which, limit=limit), "activity", limited=limit)


def feed(
    ctx: typer.Context,
    tracks: bool = typer.Option(False, "--tracks", help="Tracks only, no sets."),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """Show your feed: what the people you follow post and repost.

    Newest first. Each item is an activity: its type (track, playlist, track:repost or
    playlist:repost), when, and the track or set itself under `origin`. Piped to a command
    that takes references, the `origin` is what it acts on.

    \b
    Examples:
      $ sc feed
      $ sc feed --tracks --ndjson | sc like -
    """
    run_feed(app_context(ctx), "feed-tracks" if tracks else "feed", limit_or_all(limit, every))


def activities(
    ctx: typer.Context,
    own: bool = typer.Option(False, "--own", help="Only what you posted and reposted."),
    tracks: bool = typer.Option(False, "--tracks", help="Only track activities."),
    limit: int = limit_option(),
    every: bool = all_option(),
    quiet: bool = quiet_option(),
):
    """Show recent activities, or only yours with --own.

    The API's older form of the feed: the same items as `sc feed`. SoundCloud has deprecated
    /me/activities with no replacement in its API: sc says so on stderr each time (not with
    --quiet) and uses it while it still answers.

    \b
    Examples:
      $ sc activities --own
      $ sc activities --tracks --limit 10
    """
    from sccli.core.errors import UsageError

    if own and tracks:
        raise UsageError("choose one of --own and --tracks")
    from sccli.core.deprecated import notice
    from sccli.core.library import FEEDS

    which = "activities-own" if own else "activities-tracks" if tracks else "activities"
    sc = app_context(ctx)
    if not quiet:
        sc.info(notice(f"GET {FEEDS[which]}"))
    run_feed(sc, which, limit_or_all(limit, every))


def history(
    ctx: typer.Context,
    limit: int = typer.Option(
        25, "--limit", "-L", min=1, max=25, metavar="N", help="How many (at most 25)."
    ),
):
    """List the tracks you played last (up to 25).

    Newest first; SoundCloud keeps the last 25, each once.

    \b
    Examples:
      $ sc history
      $ sc history --fields urn,title
    """
    from sccli.core.library import history as played

    sc = app_context(ctx)
    sc.out.items(played(sc.client, limit=limit), "track")


SUBJECT_HELP = {
    "track": "Track id, URN, URL or permalink.",
    "playlist": "Set id, URN, URL or permalink.",
    "user": "User id, URN, URL or username.",
}


def about_command(app: typer.Typer, name: str, subject: str, what: str, kind: str, doc: str):
    """Register `sc <group> <name> SUBJECT`, listing /<subject>s/{urn}/<what> as `kind`."""

    def cmd(
        ctx: typer.Context,
        ref: str = typer.Argument(..., metavar=subject.upper(), help=SUBJECT_HELP[subject]),
        limit: int = limit_option(),
        every: bool = all_option(),
    ) -> None:
        run_about(app_context(ctx), ref, (subject,), what, kind, limit_or_all(limit, every))

    cmd.__doc__ = doc
    cmd.__name__ = name
    return command(app, name, OUTPUT)(cmd)
