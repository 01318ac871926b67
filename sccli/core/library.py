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
