"""Lists about people and tracks: likes, reposts, followings, followers, feeds, history,
related tracks and users, a track's likers and reposters, a user's links."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sccli.core.refs import urn_path
from sccli.core.resources import list_of, take

if TYPE_CHECKING:
    from sccli.core.client import Client

# `sc feed` and `sc activities`: which list, by what the options ask for.
FEEDS = {
    "feed": "/me/feed",
    "feed-tracks": "/me/feed/tracks",
    "activities": "/me/activities",
    "activities-own": "/me/activities/all/own",
    "activities-tracks": "/me/activities/tracks",
}


def of_user(
    client: Client, user_urn: str | None, what: str, *, limit: int | None = 50
) -> Iterator[dict[str, Any]]:
    """A user's list (`likes/tracks`, `reposts/playlists`, `followings`, `followers`, `related`,
    `web-profiles`...): the logged-in user's, under /me, when no user is named."""
    base = f"/users/{user_urn}" if user_urn else "/me"
    return list_of(client, f"{base}/{what}", limit=limit)


def about(
    client: Client, urn: str, what: str, *, limit: int | None = 50
) -> Iterator[dict[str, Any]]:
    """A list hanging off one track, set or user: /tracks/{urn}/related, .../favoriters..."""
    return list_of(client, urn_path(urn, what), limit=limit)


def feed(client: Client, which: str, *, limit: int | None = 50) -> Iterator[dict[str, Any]]:
    """Activities (`{type, created_at, origin}`), newest first; `which` is a key of FEEDS."""
    return list_of(client, FEEDS[which], limit=limit)


def history(client: Client, *, limit: int | None = 50) -> Iterator[dict[str, Any]]:
    """Your last 25 played tracks. The endpoint takes neither `limit` nor pages (the spec)."""
    return take(client.paginate("/me/recently-played/tracks", page_size=None), limit)
