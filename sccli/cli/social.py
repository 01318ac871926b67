"""`sc comment`, `sc follow` / `unfollow`, `sc like` / `unlike`."""

import typer

from sccli.cli.context import get_app
from sccli.cli.output import output_options


def register(app: typer.Typer) -> None:
    app.command("comment")(comment)
    app.command("follow")(follow)
    app.command("unfollow")(unfollow)
    app.command("like")(like)
    app.command("unlike")(unlike)


@output_options
def comment(
    track: str = typer.Argument(..., metavar="TRACK", help="Track id, URN or URL."),
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
    from sccli.core.content import post_comment
    from sccli.core.refs import to_urn
    from sccli.core.timefmt import parse_duration_ms

    sc = get_app()
    at_ms = parse_duration_ms(at, what="--at") if at else None
    urn = to_urn(sc.client, track, ("track",))
    c = post_comment(sc.client, urn, body, at_ms)
    sc.info(f"commented on {urn}")
    sc.out.one(c, "comment")


def _user(sc, ref: str) -> str:
    from sccli.core.refs import to_urn

    return to_urn(sc.client, ref, ("user",), default="user")


def follow(user: str = typer.Argument(..., metavar="USER", help="User id, URN or URL.")):
    """Follow a user. Following someone you already follow succeeds.

    \b
    Examples:
      $ sc follow https://soundcloud.com/northern-canal-1
      $ sc follow soundcloud:users:1002
    """
    from sccli.core.content import follow as do_follow

    sc = get_app()
    urn = _user(sc, user)
    sc.info(f"now following {urn}" if do_follow(sc.client, urn) else f"already following {urn}")


def unfollow(user: str = typer.Argument(..., metavar="USER", help="User id, URN or URL.")):
    """Stop following a user.

    \b
    Examples:
      $ sc unfollow soundcloud:users:1002
    """
    from sccli.core.content import unfollow as do_unfollow

    sc = get_app()
    urn = _user(sc, user)
    sc.info(f"unfollowed {urn}" if do_unfollow(sc.client, urn) else f"was not following {urn}")


def _set_like(target: str, playlist: bool, on: bool) -> None:
    from sccli.core.content import like as do_like
    from sccli.core.refs import to_urn

    sc = get_app()
    kind = "playlist" if playlist else "track"
    urn = to_urn(sc.client, target, ("track", "playlist"), default=kind)
    do_like(sc.client, urn, on)
    sc.info(f"{'liked' if on else 'unliked'} {urn}")


TARGET = typer.Argument(..., metavar="TRACK|PLAYLIST", help="Track or set: id, URN or URL.")
AS_PLAYLIST = typer.Option(False, "--playlist", help="A bare id names a set, not a track.")


def like(target: str = TARGET, playlist: bool = AS_PLAYLIST):
    """Like a track or a set. Liking something already liked succeeds.

    \b
    Examples:
      $ sc like soundcloud:tracks:300010
      $ sc like 900001 --playlist
    """
    _set_like(target, playlist, True)


def unlike(target: str = TARGET, playlist: bool = AS_PLAYLIST):
    """Take back a like. Unliking something not liked succeeds.

    \b
    Examples:
      $ sc unlike soundcloud:tracks:300010
    """
    _set_like(target, playlist, False)
