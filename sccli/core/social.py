"""Comments, follows and likes: what you do to other people's tracks, sets and pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NotFound, UsageError
from sccli.core.refs import urn_kind
from sccli.core.safewrite import post_once

if TYPE_CHECKING:
    from sccli.core.client import Client


def post_comment(client: Client, track_urn: str, body: str, at_ms: int | None) -> dict[str, Any]:
    if not body.strip():
        raise UsageError("the comment is empty")
    if at_ms is not None:
        _check_inside(client, track_urn, at_ms)
    comment: dict[str, Any] = {"body": body}
    if at_ms is not None:
        comment["timestamp"] = at_ms

    me = client.get("/me", need=("urn",))["urn"]
    want = None if at_ms is None else str(at_ms)

    def newest_first() -> list[dict[str, Any]]:
        found = list(client.paginate(f"/tracks/{track_urn}/comments", page_size=200))
        found.reverse()  # the API lists comments oldest first
        return found

    def same(c: dict[str, Any]) -> bool:
        got = c.get("timestamp")
        return (
            c.get("user_urn") == me
            and c.get("body") == body
            and (None if got is None else str(got)) == want
        )

    try:
        return post_once(
            client,
            f"/tracks/{track_urn}/comments",
            {"comment": comment},
            "posted",
            items=newest_first,
            match=same,
            check=f"`sc tracks comments {track_urn}` shows whether it was posted",
        )[0]
    except ApiError as e:
        if e.status == 422:
            e.hint = "the track's owner may have turned comments off"
        raise


def _check_inside(client: Client, track_urn: str, at_ms: int) -> None:
    from sccli.core.timefmt import format_ms

    duration = int(client.get(f"/tracks/{track_urn}").get("duration") or 0)
    if duration and at_ms > duration:
        raise UsageError(
            f"--at {format_ms(at_ms)} is past the end of the track ({format_ms(duration)})"
        )


def follow(client: Client, user_urn: str) -> bool:
    """Follow; True when this call started following, False when already following."""
    resp = client.request("PUT", f"/me/followings/{user_urn}")
    return resp.status_code == 201


def unfollow(client: Client, user_urn: str) -> bool:
    """Unfollow; True when this call stopped a follow, False when there was none.

    GET /me/followings/{urn} is deprecated (the spec), so the DELETE itself tells: 404 means
    there was no follow to stop."""
    try:
        client.request("DELETE", f"/me/followings/{user_urn}")
    except NotFound:
        return False
    return True


def like(client: Client, urn: str, on: bool = True) -> None:
    client.request("POST" if on else "DELETE", f"/likes/{urn_kind(urn)}s/{urn}")


def repost(client: Client, urn: str, on: bool = True) -> None:
    """Repost (or stop reposting) a track or set; doing it twice is no error."""
    try:
        client.request("POST" if on else "DELETE", f"/reposts/{urn_kind(urn)}s/{urn}")
    except NotFound:
        if on:
            raise  # the track itself is missing; an unrepost of nothing is done already
