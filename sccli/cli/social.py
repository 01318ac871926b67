"""`sc comment`, `sc follow` / `unfollow`, `sc like` / `unlike`, `sc repost` / `unrepost`.

Every verb but `comment` takes several references, or `-` to read them from stdin."""

from __future__ import annotations

from typing import List

import typer

from sccli.cli.batch import Item, Refs, run_each
from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import command, jobs_option, quiet_option
from sccli.core.record import record

app = typer.Typer()  # its commands sit at the top level: the registry names each one


@command(app, "comment", OUTPUT)
def comment(
    ctx: typer.Context,
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN, URL or permalink."),
    body: str = typer.Argument(..., metavar="BODY", help="The comment."),
    at: str | None = typer.Option(
        None, "--at", metavar="TIME", help="Pin the comment at this point: 1:23, 83s or 83000ms."
    ),
):
    """Comment on a track, optionally at a point in it.

    \b
    Examples:
      $ sc comment soundcloud:tracks:300010 "Lovely harmonies" --at 1:23
    """
    run_comment(app_context(ctx), CommentOptions(track, body, at))


@record
class CommentOptions:
    track: str
    body: str
    at: str | None = None  # as typed, to be quoted back as it was


def run_comment(sc: AppContext, o: CommentOptions) -> None:
    from sccli.cli.batch import named
    from sccli.core.refs import resolve
    from sccli.core.social import post_comment
    from sccli.core.timefmt import parse_duration_ms

    at_ms = parse_duration_ms(o.at, what="--at") if o.at else None
    found = resolve(sc.client, o.track, ("track",))
    c = post_comment(sc.client, found.urn, o.body, at_ms, track=found.obj, at_given=o.at)
    sc.info(f"commented on {named(found.urn, found.obj)}")
    sc.out.one(c, "comment")


USERS = typer.Argument(
    ..., metavar="USER...", help="Users: id, URN, URL or username; - reads them from stdin."
)
TARGETS = typer.Argument(
    ...,
    metavar="TRACK|PLAYLIST...",
    help="Tracks or sets: id, URN, URL or permalink; - reads them from stdin.",
)
AS_PLAYLIST = typer.Option(False, "--playlist", help="A bare id names a set, not a track.")


@record
class FollowOptions:
    users: list[str]
    on: bool  # follow, or unfollow
    jobs: int = 1


def run_follow(sc: AppContext, o: FollowOptions) -> None:
    from sccli.core.social import follow as do_follow
    from sccli.core.social import unfollow as do_unfollow

    on = o.on

    def act(item: Item) -> str:
        if on:
            done = do_follow(sc.client, item.urn)
            return f"{'now' if done else 'already'} following {item.name}"
        done = do_unfollow(sc.client, item.urn)
        return f"unfollowed {item.name}" if done else f"was not following {item.name}"

    run_each(sc, Refs.expand(sc, o.users), ("user",), act, default="user", jobs=o.jobs)


@command(app, "follow", OUTPUT)
def follow(ctx: typer.Context, users: List[str] = USERS, jobs: int = jobs_option()):
    """Follow users. Following someone you already follow succeeds.

    \b
    Examples:
      $ sc follow https://soundcloud.com/northern-canal-1
      $ sc follow soundcloud:users:1002
    """
    run_follow(app_context(ctx), FollowOptions(users, True, jobs))


@command(app, "unfollow", OUTPUT)
def unfollow(ctx: typer.Context, users: List[str] = USERS, jobs: int = jobs_option()):
    """Stop following users.

    \b
    Examples:
      $ sc unfollow soundcloud:users:1002
    """
    run_follow(app_context(ctx), FollowOptions(users, False, jobs))


@record
class ToggleOptions:
    verb: str  # like | unlike | repost | unrepost
    targets: list[str]
    playlist: bool = False  # a bare id names a set
    jobs: int = 1
    quiet: bool = False  # no deprecation notice (unrepost of a track)


def run_toggle(sc: AppContext, o: ToggleOptions) -> None:
    """Like, unlike, repost, unrepost: one idempotent call per track or set."""
    import threading

    from sccli.core import social
    from sccli.core.deprecated import notice
    from sccli.core.refs import urn_kind

    verb, targets, jobs = o.verb, o.targets, o.jobs
    on = not verb.startswith("un")
    apply = social.like if verb.endswith("like") else social.repost
    done = f"{verb}d" if verb.endswith("e") else f"{verb}ed"
    # A repost answers 201 whether or not it was there (the spec): your reposts, listed once
    # for the whole run, tell a second repost apart, as a follow's answer does.
    already = social.RepostedOnce(sc.client) if verb == "repost" else None
    warned = threading.Event()  # items may run N at a time: warn once
    deprecated = verb == "unrepost" and not o.quiet

    def act(item: Item) -> str:
        if deprecated and urn_kind(item.urn) == "track" and not warned.is_set():
            warned.set()
            sc.info(notice("DELETE /reposts/tracks/{track_urn}"))
        if already is not None and item.urn in already:
            return f"already reposted {item.name}"
        changed = apply(sc.client, item.urn, on)
        return f"{done if changed is not False else 'already ' + done} {item.name}"

    default = "playlist" if o.playlist else "track"
    run_each(sc, Refs.expand(sc, targets), ("track", "playlist"), act, default=default, jobs=jobs)


@command(app, "like", OUTPUT)
def like(
    ctx: typer.Context,
    targets: List[str] = TARGETS,
    playlist: bool = AS_PLAYLIST,
    jobs: int = jobs_option(),
):
    """Like tracks or sets. Liking something already liked succeeds.

    \b
    Examples:
      $ sc like soundcloud:tracks:300010
      $ sc like 900001 --playlist
      $ sc tracks search buskers --license cc-by-sa --ndjson | sc like -
    """
    run_toggle(app_context(ctx), ToggleOptions("like", targets, playlist, jobs))


@command(app, "unlike", OUTPUT)
def unlike(
    ctx: typer.Context,
    targets: List[str] = TARGETS,
    playlist: bool = AS_PLAYLIST,
    jobs: int = jobs_option(),
):
    """Take back likes. Unliking something not liked succeeds.

    \b
    Examples:
      $ sc unlike soundcloud:tracks:300010
    """
    run_toggle(app_context(ctx), ToggleOptions("unlike", targets, playlist, jobs))


@command(app, "repost", OUTPUT)
def repost(
    ctx: typer.Context,
    targets: List[str] = TARGETS,
    playlist: bool = AS_PLAYLIST,
    jobs: int = jobs_option(),
):
    """Repost tracks or sets to your followers. Reposting twice succeeds.

    \b
    Examples:
      $ sc repost soundcloud:tracks:300010
    """
    run_toggle(app_context(ctx), ToggleOptions("repost", targets, playlist, jobs))


@command(app, "unrepost", OUTPUT)
def unrepost(
    ctx: typer.Context,
    targets: List[str] = TARGETS,
    playlist: bool = AS_PLAYLIST,
    jobs: int = jobs_option(),
    quiet: bool = quiet_option(),
):
    """Take back reposts. Unreposting something not reposted succeeds.

    SoundCloud has deprecated DELETE /reposts/tracks/{urn}, the only way its API offers to
    take back a track's repost: sc says so on stderr (not with --quiet) and uses it while it
    still answers. A set's repost is taken back the supported way.

    \b
    Examples:
      $ sc unrepost soundcloud:tracks:300010
    """
    run_toggle(app_context(ctx), ToggleOptions("unrepost", targets, playlist, jobs, quiet))
