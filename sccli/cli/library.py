"""`sc me`, your library and anyone's (`likes`, `reposts`, `followings`, `followers`), and
what you hear about (`feed`, `activities`, `history`).

Every list here is one shape: an optional USER (you by default), --limit / --all and the
output flags, run by lists.run_user_list.
"""

from __future__ import annotations

import typer

from sccli.cli.context import AppContext, app_context
from sccli.cli.lists import (
    ShowUserOptions,
    UserListOptions,
    run_show_user,
    run_user_list,
    user_argument,
)
from sccli.cli.output import OUTPUT
from sccli.cli.params import all_option, command, limit_option, limit_or_all, quiet_option
from sccli.core.record import record

app = typer.Typer()  # its commands sit at the top level: the registry names each one

PLAYLISTS = typer.Option(False, "--playlists", help="Sets instead of tracks.")


@command(app, "me", OUTPUT)
def me(ctx: typer.Context):
    """Show who you are logged in as.

    The same as `sc users get` with no USER.

    \b
    Examples:
      $ sc me
      $ sc me --fields username,plan
    """
    run_show_user(app_context(ctx), ShowUserOptions(None))


@command(app, "likes", OUTPUT)
def likes(
    ctx: typer.Context,
    user: str | None = user_argument(),
    playlists: bool = PLAYLISTS,
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List liked tracks (or sets), yours by default.

    \b
    Examples:
      $ sc likes
      $ sc likes northern-canal-1 --playlists
      $ sc likes --all --query '[?download_url].urn' -r | sc tracks download -
    """
    opts = UserListOptions.tracks_or_sets(user, "likes", playlists, limit_or_all(limit, every))
    run_user_list(app_context(ctx), opts)


@command(app, "reposts", OUTPUT)
def reposts(
    ctx: typer.Context,
    user: str | None = user_argument(),
    playlists: bool = PLAYLISTS,
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List reposted tracks (or sets), yours by default.

    \b
    Examples:
      $ sc reposts
      $ sc reposts soundcloud:users:1002 --playlists
    """
    opts = UserListOptions.tracks_or_sets(user, "reposts", playlists, limit_or_all(limit, every))
    run_user_list(app_context(ctx), opts)


@command(app, "followings", OUTPUT)
def followings(
    ctx: typer.Context,
    user: str | None = user_argument(),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List the users someone follows, you by default.

    \b
    Examples:
      $ sc followings
      $ sc followings northern-canal-1 --limit 10
    """
    opts = UserListOptions(user, "followings", "user", limit_or_all(limit, every))
    run_user_list(app_context(ctx), opts)


@command(app, "followers", OUTPUT)
def followers(
    ctx: typer.Context,
    user: str | None = user_argument(),
    limit: int = limit_option(),
    every: bool = all_option(),
):
    """List the users who follow someone, you by default.

    \b
    Examples:
      $ sc followers
      $ sc followers soundcloud:users:1002 --fields urn,username
    """
    opts = UserListOptions(user, "followers", "user", limit_or_all(limit, every))
    run_user_list(app_context(ctx), opts)


@record
class FeedOptions:
    tracks: bool  # tracks only, no sets
    limit: int | None


def run_feed(sc: AppContext, o: FeedOptions) -> None:
    _list_feed(sc, "feed-tracks" if o.tracks else "feed", o.limit)


def _list_feed(sc: AppContext, which: str, limit: int | None) -> None:
    from sccli.core.library import feed as list_feed

    sc.out.items(list_feed(sc.client, which, limit=limit), "activity", limited=limit)


@command(app, "feed", OUTPUT)
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
    run_feed(app_context(ctx), FeedOptions(tracks, limit_or_all(limit, every)))


@command(app, "activities", OUTPUT)
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
    opts = ActivitiesOptions(own, tracks, limit_or_all(limit, every), quiet)
    run_activities(app_context(ctx), opts)


@record
class ActivitiesOptions:
    own: bool
    tracks: bool
    limit: int | None
    quiet: bool


def run_activities(sc: AppContext, o: ActivitiesOptions) -> None:
    from sccli.core.errors import UsageError

    if o.own and o.tracks:
        raise UsageError("choose one of --own and --tracks")
    from sccli.core.deprecated import notice
    from sccli.core.library import FEEDS

    which = "activities-own" if o.own else "activities-tracks" if o.tracks else "activities"
    if not o.quiet:
        sc.info(notice(f"GET {FEEDS[which]}"))
    _list_feed(sc, which, o.limit)


@command(app, "history", OUTPUT)
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
    run_history(app_context(ctx), HistoryOptions(limit))


@record
class HistoryOptions:
    limit: int


def run_history(sc: AppContext, o: HistoryOptions) -> None:
    from sccli.core.library import history as played

    sc.out.items(played(sc.client, limit=o.limit), "track")
