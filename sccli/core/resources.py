"""Resource functions: one per API operation `sc` performs. Each takes the Client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sccli.core.errors import UsageError
from sccli.core.values import ACCESS_VALUES, LICENSES

if TYPE_CHECKING:
    from sccli.core.client import Client


def check_license(value: str | None) -> str | None:
    if value is not None and value not in LICENSES:
        raise UsageError(f"unknown license {value!r}; valid licenses: {', '.join(LICENSES)}")
    return value


@dataclass
class TrackFilter:
    """The search filters the API takes, already in its units."""

    genres: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    bpm_from: int | None = None
    bpm_to: int | None = None
    duration_from: int | None = None  # ms
    duration_to: int | None = None
    created_from: str | None = None  # 'yyyy-mm-dd hh:mm:ss'
    created_to: str | None = None
    access: list[str] = field(default_factory=list)

    def params(self) -> dict[str, Any]:
        p: dict[str, Any] = {}
        if self.genres:
            p["genres"] = ",".join(self.genres)
        if self.tags:
            p["tags"] = ",".join(self.tags)
        for key, value in (
            ("bpm[from]", self.bpm_from),
            ("bpm[to]", self.bpm_to),
            ("duration[from]", self.duration_from),
            ("duration[to]", self.duration_to),
            ("created_at[from]", self.created_from),
            ("created_at[to]", self.created_to),
        ):
            if value is not None:
                p[key] = value
        if self.access:
            bad = [a for a in self.access if a not in ACCESS_VALUES]
            if bad:
                raise UsageError(f"unknown access {bad[0]!r}; valid: {', '.join(ACCESS_VALUES)}")
            p["access"] = ",".join(self.access)
        return p


def take(items: Iterator[dict], limit: int | None) -> Iterator[dict]:
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


def search_tracks(
    client: Client,
    query: str | None,
    flt: TrackFilter | None = None,
    *,
    license: str | None = None,
    limit: int | None = 50,
) -> Iterator[dict]:
    """Search tracks. The API has no license filter, so --license filters the results here
    and pages on until `limit` matches are found or the results end (API-NOTES.md)."""
    params = (flt or TrackFilter()).params()
    if query:
        params["q"] = query
    check_license(license)
    # Filtering locally discards results: ask for full pages so fewer requests are made.
    page = 200 if license or limit is None else min(limit, 200)
    items = client.paginate("/tracks", params, page_size=page)
    if license:
        items = (t for t in items if t.get("license") == license)
    return take(items, limit)


def search(
    client: Client, kind: str, query: str | None, *, limit: int | None = 50
) -> Iterator[dict]:
    return list_of(client, f"/{kind}", {"q": query} if query else None, limit=limit)


def get(client: Client, urn: str, **params: Any) -> dict:
    """One track, user or playlist by URN."""
    kind = urn.split(":")[1]
    return client.get(f"/{kind}/{urn}", params=params or None)


def list_of(
    client: Client, path: str, params: dict | None = None, *, limit: int | None = 50
) -> Iterator[dict]:
    """Up to `limit` items of a collection (all when None), in pages no bigger than needed."""
    page = 200 if limit is None else min(max(limit, 1), 200)
    return take(client.paginate(path, params, page_size=page), limit)


def owned(
    client: Client, what: str, user_urn: str | None, *, limit: int | None = 50
) -> Iterator[dict]:
    """A user's `tracks` or `playlists`, the logged-in user's when no user is named."""
    base = f"/users/{user_urn}" if user_urn else "/me"
    params = {"show_tracks": "false"} if what == "playlists" else None
    return list_of(client, f"{base}/{what}", params, limit=limit)
