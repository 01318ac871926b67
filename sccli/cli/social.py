"""`sc comment`, `sc follow` / `unfollow`, `sc like` / `unlike`, `sc repost` / `unrepost`.

Every verb but `comment` takes several references, or `-` to read them from stdin."""

from __future__ import annotations

from collections.abc import Callable
from typing import List

import typer

from sccli.cli.batch import Refs, run_each
from sccli.cli.context import AppContext, app_context
from sccli.cli.output import OUTPUT
from sccli.cli.params import command, jobs_option, quiet_option


def register(app: typer.Typer) -> None:
    command(app, "comment", OUTPUT)(comment)
    for name, fn in (
        ("follow", follow),
        ("unfollow", unfollow),
        ("like", like),
        ("unlike", unlike),
        ("repost", repost),
        ("unrepost", unrepost),
    ):
        command(app, name)(fn)


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
    from sccli.core.timefmt import parse_duration_ms

    run_comment(app_context(ctx), track, body, parse_duration_ms(at, what="--at") if at else None)


def run_comment(sc: AppContext, track: str, body: str, at_ms: int | None) -> None:
    from sccli.core.refs import to_urn
    from sccli.core.social import post_comment

    urn = to_urn(sc.client, track, ("track",))
    c = post_comment(sc.client, urn, body, at_ms)
    sc.info(f"commented on {urn}")
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


def run_follow(sc: AppContext, users: list[str], on: bool, jobs: int = 1) -> None:
    from sccli.core.social import follow as do_follow
    from sccli.core.social import unfollow as do_unfollow

    def act(urn: str) -> str:
        if on:
            return (
                f"now following {urn}" if do_follow(sc.client, urn) else f"already following {urn}"
            )
        return f"unfollowed {urn}" if do_unfollow(sc.client, urn) else f"was not following {urn}"

    run_each(sc, Refs.expand(sc, users), ("user",), act, default="user", jobs=jobs)


def follow(ctx: typer.Context, users: List[str] = USERS, jobs: int = jobs_option()):
    """Follow users. Following someone you already follow succeeds.

    \b
    Examples:
      $ sc follow https://soundcloud.com/northern-canal-1
      $ sc follow soundcloud:users:1002
    """
    run_follow(app_context(ctx), users, True, jobs)


def unfollow(ctx: typer.Context, users: List[str] = USERS, jobs: int = jobs_option()):
    """Stop following users.

    \b
    Examples:
      $ sc unfollow soundcloud:users:1002
    """
    run_follow(app_context(ctx), users, False, jobs)


def run_toggle(
    sc: AppContext, targets: list[str], playlist: bool, jobs: int, verb: str, quiet: bool = False
) -> None:
    """Like, unlike, repost, unrepost: one idempotent call per track or set."""
    import threading

    from sccli.core import social
    from sccli.core.deprecated import notice
    from sccli.core.refs import urn_kind

    on = not verb.startswith("un")
    apply = social.like if verb.endswith("like") else social.repost
    warned = threading.Event()  # items may run N at a time: warn once
    deprecated = verb == "unrepost" and not quiet

    def act(urn: str) -> str:
        if deprecated and urn_kind(urn) == "track" and not warned.is_set():
            warned.set()
            sc.info(notice("DELETE /reposts/tracks/{track_urn}"))
        apply(sc.client, urn, on)
        return f"{verb}d {urn}" if verb.endswith("e") else f"{verb}ed {urn}"

    default = "playlist" if playlist else "track"
    run_each(sc, Refs.expand(sc, targets), ("track", "playlist"), act, default=default, jobs=jobs)


def _toggle(verb: str, doc: str) -> Callable[..., None]:
    def cmd(
        ctx: typer.Context,
        targets: List[str] = TARGETS,
        playlist: bool = AS_PLAYLIST,
        jobs: int = jobs_option(),
    ) -> None:
        run_toggle(app_context(ctx), targets, playlist, jobs, verb)

    cmd.__doc__ = doc
    cmd.__name__ = verb
    return cmd


like = _toggle(
    "like",
    """Like tracks or sets. Liking something already liked succeeds.

    \b
    Examples:
      $ sc like soundcloud:tracks:300010
      $ sc like 900001 --playlist
      $ sc tracks search buskers --license cc-by-sa --ndjson | sc like -
    """,
)
unlike = _toggle(
    "unlike",
    """Take back likes. Unliking something not liked succeeds.

    \b
    Examples:
      $ sc unlike soundcloud:tracks:300010
    """,
)
repost = _toggle(
    "repost",
    """Repost tracks or sets to your followers. Reposting twice succeeds.

    \b
    Examples:
      $ sc repost soundcloud:tracks:300010
    """,
)


def unrepost(
    ctx: typer.Context,
    targets: List[str] = TARGETS,
    playlist: bool = AS_PLAYLIST,
    jobs: int = jobs_option(),
    quiet: bool = quiet_option(),
) -> None:
    """Take back reposts. Unreposting something not reposted succeeds.

    SoundCloud has deprecated DELETE /reposts/tracks/{urn}, the only way its API offers to
    take back a track's repost: sc says so on stderr (not with --quiet) and uses it while it
    still answers. A set's repost is taken back the supported way.

    \b
    Examples:
      $ sc unrepost soundcloud:tracks:300010
    """
    run_toggle(app_context(ctx), targets, playlist, jobs, "unrepost", quiet)
