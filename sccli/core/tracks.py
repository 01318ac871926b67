"""Tracks: search, comments, metadata updates. Uploads live in upload.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, UsageError
from sccli.core.record import record
from sccli.core.refs import fill_urns
from sccli.core.resources import list_of, take
from sccli.core.values import ACCESS_VALUES, LICENSES

if TYPE_CHECKING:
    from sccli.core.client import Client
    from sccli.core.upload import UploadFile


def check_license(value: str | None) -> str | None:
    if value is not None and value not in LICENSES:
        raise UsageError(f"unknown license {value!r}; valid licenses: {', '.join(LICENSES)}")
    return value


@record
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


def search_tracks(
    client: Client,
    query: str | None,
    flt: TrackFilter | None = None,
    *,
    license: str | None = None,
    limit: int | None = 50,
) -> Iterator[dict[str, Any]]:
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


def comments(client: Client, track_urn: str, *, limit: int | None = 50) -> Iterator[dict[str, Any]]:
    # Comments recorded before mid-2025 carry neither urn nor kind: this list names their kind.
    found = list_of(client, f"/tracks/{track_urn}/comments", limit=limit)
    return (fill_urns(c, "comment") for c in found)


def update_track(
    client: Client, urn: str, meta: dict[str, Any], artwork: UploadFile | None = None
) -> dict[str, Any]:
    """Send only the given fields: JSON, or multipart when artwork is part of the change."""
    from sccli.core.safewrite import updated
    from sccli.core.upload import multipart

    fields = {k: v for k, v in meta.items() if v is not None}
    if not fields and artwork is None:
        raise UsageError("nothing to update: give at least one option")
    if artwork is None:
        answer = client.call("PUT", f"/tracks/{urn}", json={"track": fields})
    else:
        # A body factory, not an open stream: after a refused token it is sent again, whole.
        answer = client.call(
            "PUT", f"/tracks/{urn}", body=lambda: multipart(fields, artwork=artwork)
        )
    return updated(client, answer, urn, fields)


def share_link(track: dict[str, Any]) -> str:
    """A private track's secret link, its permalink plus `/s-TOKEN` (the token is in its
    `secret_uri`, which the API gives only to those who may see it); a public track's page."""
    from urllib.parse import parse_qs, urlsplit

    page = str(track.get("permalink_url") or "")
    if track.get("sharing") != "private":
        return page
    uri = track.get("secret_uri") or ""
    token = parse_qs(urlsplit(str(uri)).query).get("secret_token", [""])[0]
    if not token or not page:
        raise ApiError(
            f"the API gave no secret link for {track.get('urn')}",
            hint="only the track's owner (or a holder of its link) gets one",
        )
    return f"{page.rstrip('/')}/{token}"
