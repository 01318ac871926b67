"""Sets (playlists and albums): create, add, remove; the track list is written whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sccli.core.errors import NotFound, UsageError
from sccli.core.safewrite import post_once

if TYPE_CHECKING:
    from sccli.core.client import Client


def create_playlist(
    client: Client,
    title: str,
    *,
    description: str | None = None,
    sharing: str | None = None,
    set_type: str | None = None,
    tracks: list[str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"title": title}
    for key, value in (("description", description), ("sharing", sharing), ("set_type", set_type)):
        if value is not None:
            body[key] = value
    if tracks:
        body["tracks"] = [{"urn": u} for u in dict.fromkeys(tracks)]

    return post_once(
        client,
        "/playlists",
        {"playlist": body},
        "created",
        items=lambda: client.paginate("/me/playlists", {"show_tracks": "false"}, page_size=200),
        match=lambda p: p.get("title") == title,
        check=f"`sc playlists list` shows whether a set titled {title!r} was made",
    )[0]


def check_owned(client: Client, playlist_urn: str) -> dict[str, Any]:
    """The set, if it exists (else NotFound, exit 3) and is the logged-in user's (else exit 4)."""
    from sccli.core.errors import AuthError

    playlist: dict[str, Any] = client.get(
        f"/playlists/{playlist_urn}", params={"show_tracks": "false"}
    )
    me = client.get("/me")
    owner = playlist.get("user_urn") or (playlist.get("user") or {}).get("urn")
    if owner and owner != me.get("urn"):
        raise AuthError(f"{playlist_urn} is not your set: you cannot add tracks to it")
    return playlist


def track_urns(client: Client, playlist_urn: str) -> list[str]:
    # This endpoint declares no `limit` (the spec): let the server choose the page size.
    return [t["urn"] for t in client.paginate(f"/playlists/{playlist_urn}/tracks", page_size=None)]


@dataclass
class SetChange:
    playlist: dict[str, Any]
    changed: list[str]
    skipped: list[str]


def add_tracks(
    client: Client, playlist_urn: str, track_urns_: list[str], *, at: int | None = None
) -> SetChange:
    """Read the list, insert (skipping tracks already there), write the whole list in one PUT."""
    current = track_urns(client, playlist_urn)
    present = set(current)
    new, skipped = [], []
    for urn in track_urns_:
        if urn in present:
            skipped.append(urn)
        else:
            new.append(urn)
            present.add(urn)
    if at is not None and not 1 <= at <= len(current) + 1:
        raise UsageError(f"--at must be between 1 and {len(current) + 1} for this set")
    pos = len(current) if at is None else at - 1
    if not new:
        return SetChange(client.get(f"/playlists/{playlist_urn}"), [], skipped)
    tracks = current[:pos] + new + current[pos:]
    return SetChange(put_tracks(client, playlist_urn, tracks), new, skipped)


def remove_tracks(client: Client, playlist_urn: str, track_urns_: list[str]) -> SetChange:
    current = track_urns(client, playlist_urn)
    missing = [u for u in track_urns_ if u not in current]
    if missing:
        raise NotFound(f"{missing[0]} is not in {playlist_urn}")
    drop = set(track_urns_)
    tracks = [u for u in current if u not in drop]
    return SetChange(put_tracks(client, playlist_urn, tracks), list(dict.fromkeys(track_urns_)), [])


def put_tracks(client: Client, playlist_urn: str, tracks: list[str]) -> dict[str, Any]:
    # PUT replaces the whole track list (API-NOTES.md): always send all of it.
    body = {"playlist": {"tracks": [{"urn": u} for u in tracks]}}
    result: dict[str, Any] = client.call("PUT", f"/playlists/{playlist_urn}", json=body)
    return result
