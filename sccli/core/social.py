"""Comments, follows and likes: what you do to other people's tracks, sets and pages."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NotFound, UsageError
from sccli.core.kinds import kind_of
from sccli.core.safewrite import post_once

if TYPE_CHECKING:
    from sccli.core.client import Client


def post_comment(
    client: Client,
    track_urn: str,
    body: str,
    at_ms: int | None,
    *,
    track: dict[str, Any] | None = None,
    at_given: str | None = None,
) -> dict[str, Any]:
    """`track`: the track when the caller has it already (a URL's /resolve answered with it);
    `at_given`: the time as the person wrote it, quoted back as it was."""
    if not body.strip():
        raise UsageError("the comment is empty")
    if at_ms is not None:
        _check_inside(client, track or client.get(f"/tracks/{track_urn}"), at_ms, at_given)
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


def _check_inside(
    client: Client, track: dict[str, Any], at_ms: int, given: str | None = None
) -> None:
    from sccli.core.timefmt import format_ms

    duration = int(track.get("duration") or 0)
    if duration and at_ms > duration:
        said = given or format_ms(at_ms)
        raise UsageError(f"--at {said} is past the end of the track ({format_ms(duration)})")


def follow(client: Client, user_urn: str) -> bool:
    """Follow; True when this call started following, False when already following."""
    try:
        resp = client.request("PUT", f"/me/followings/{user_urn}")
    except ApiError as e:
        if e.status != 422:
            raise
        # The spec's 422 here: the user cannot be followed, above all past the follow limit;
        # its message may say nothing more than "Detailed message of errors, when available".
        raise ApiError(
            f"cannot follow {user_urn} (422: {e.detail or 'no message'}): SoundCloud refuses "
            "a follow past its follow limit; unfollow someone first",
            status=422,
        ) from None
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


class RepostedOnce:
    """What the logged-in user has reposted (tracks and sets), listed once, on first use."""

    def __init__(self, client: Client):
        self.client = client
        self._urns: set[str] | None = None
        self._lock = threading.Lock()

    def __contains__(self, urn: object) -> bool:
        from sccli.core.resources import of_user

        with self._lock:
            if self._urns is None:
                lists = (of_user(self.client, None, w, limit=None) for w in _REPOST_LISTS)
                self._urns = {str(x.get("urn")) for items in lists for x in items}
        return urn in self._urns


_REPOST_LISTS = ("reposts/tracks", "reposts/playlists")


def like(client: Client, urn: str, on: bool = True) -> None:
    client.request("POST" if on else "DELETE", f"/likes/{kind_of(urn).plural}/{urn}")


def repost(client: Client, urn: str, on: bool = True) -> bool:
    """Repost (or stop reposting) a track or set; doing it twice is no error. False when it
    was so already: a repost answered 200 instead of 201 Created, an unrepost 404."""
    try:
        resp = client.request("POST" if on else "DELETE", f"/reposts/{kind_of(urn).plural}/{urn}")
    except NotFound:
        if on:
            raise  # the track itself is missing; an unrepost of nothing is done already
        return False
    return resp.status_code == 201 if on else True
