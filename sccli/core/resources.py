"""What every resource shares: one object by URN, a limited list, search, delete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sccli.core.kinds import USER
from sccli.core.refs import urn_path

if TYPE_CHECKING:
    from sccli.core.client import Client


def take(items: Iterator[dict[str, Any]], limit: int | None) -> Iterator[dict[str, Any]]:
    """At most `limit` items (all when None), without reading a page more than needed."""
    if limit is None:
        yield from items
        return
    if limit <= 0:
        return
    for n, item in enumerate(items, 1):
        yield item
        if n >= limit:
            return


def list_of(
    client: Client, path: str, params: dict[str, Any] | None = None, *, limit: int | None = 50
) -> Iterator[dict[str, Any]]:
    """Up to `limit` items of a collection (all when None), in pages no bigger than needed."""
    page = 200 if limit is None else min(max(limit, 1), 200)
    return take(client.paginate(path, params, page_size=page), limit)


def search(
    client: Client, kind: str, query: str | None, *, limit: int | None = 50
) -> Iterator[dict[str, Any]]:
    """`kind` is users or playlists (tracks have their own filters: tracks.search_tracks)."""
    return list_of(client, f"/{kind}", {"q": query} if query else None, limit=limit)


def get(client: Client, urn: str, **params: Any) -> dict[str, Any]:
    """One track, user or playlist by URN."""
    return client.get(urn_path(urn), params=params or None, need=("urn",))


# `sort` on /me/tracks and /users/{urn}/tracks: by upload date (the spec's default is desc).
SORT_ORDERS = {"newest": "desc", "oldest": "asc"}


def of_user(
    client: Client,
    user_urn: str | None,
    what: str,
    *,
    limit: int | None = 50,
    sort: str | None = None,
) -> Iterator[dict[str, Any]]:
    """A user's list (`tracks`, `playlists`, `likes/tracks`, `reposts/playlists`,
    `followings`, `followers`, `related`, `web-profiles`...): the logged-in user's, under
    /me, when no user is named. Sets come without their tracks: a list shows sets. `sort`
    (newest or oldest, tracks only) by upload date."""
    base = USER.path_of(user_urn) if user_urn else "/me"
    params: dict[str, Any] | None = {"show_tracks": "false"} if what == "playlists" else None
    if sort is not None:
        params = {**(params or {}), "sort": SORT_ORDERS[sort]}
    return list_of(client, f"{base}/{what}", params, limit=limit)


def delete(client: Client, urn: str) -> None:
    client.request("DELETE", urn_path(urn))
