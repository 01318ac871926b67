"""Writes other than uploads: sets, comments, follows and likes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NotFound, UsageError
from sccli.core.safewrite import newest_match, post_once

if TYPE_CHECKING:
    from sccli.core.client import Client


# -- sets ----------------------------------------------------------------------------------------
def create_playlist(
    client: Client,
    title: str,
    *,
    description: str | None = None,
    sharing: str | None = None,
    set_type: str | None = None,
    tracks: list[str] | None = None,
) -> dict:
    body: dict[str, Any] = {"title": title}
    for key, value in (("description", description), ("sharing", sharing), ("set_type", set_type)):
        if value is not None:
            body[key] = value
    if tracks:
        body["tracks"] = [{"urn": u} for u in _dedupe(tracks)]

    def find(since: float) -> dict | None:
        sets = client.paginate("/me/playlists", {"show_tracks": "false"}, page_size=200)
        return newest_match(sets, lambda p: p.get("title") == title, since)

    return post_once(client, "/playlists", {"playlist": body}, find, "created")[0]


def playlist_track_urns(client: Client, playlist_urn: str) -> list[str]:
    return [t["urn"] for t in client.paginate(f"/playlists/{playlist_urn}/tracks", page_size=200)]


@dataclass
class SetChange:
    playlist: dict
    changed: list[str]
    skipped: list[str]


def add_to_playlist(
    client: Client, playlist_urn: str, track_urns: list[str], *, at: int | None = None
) -> SetChange:
    """Read the list, insert (skipping tracks already there), write the whole list in one PUT."""
    current = playlist_track_urns(client, playlist_urn)
    present = set(current)
    new, skipped = [], []
    for urn in track_urns:
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
    return SetChange(_put_tracks(client, playlist_urn, tracks), new, skipped)


def remove_from_playlist(client: Client, playlist_urn: str, track_urns: list[str]) -> SetChange:
    current = playlist_track_urns(client, playlist_urn)
    missing = [u for u in track_urns if u not in current]
    if missing:
        raise NotFound(f"{missing[0]} is not in {playlist_urn}")
    drop = set(track_urns)
    tracks = [u for u in current if u not in drop]
    return SetChange(_put_tracks(client, playlist_urn, tracks), list(dict.fromkeys(track_urns)), [])


def _put_tracks(client: Client, playlist_urn: str, tracks: list[str]) -> dict:
    # PUT replaces the whole track list (API-NOTES.md): always send all of it.
    body = {"playlist": {"tracks": [{"urn": u} for u in tracks]}}
    return client.call("PUT", f"/playlists/{playlist_urn}", json=body)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -- tracks --------------------------------------------------------------------------------------
def update_track(client: Client, urn: str, meta: dict[str, Any], artwork=None) -> dict:
    """Send only the given fields: JSON, or multipart when artwork is part of the change."""
    fields = {k: v for k, v in meta.items() if v is not None}
    if not fields and artwork is None:
        raise UsageError("nothing to update: give at least one option")
    if artwork is None:
        return client.call("PUT", f"/tracks/{urn}", json={"track": fields})
    from requests_toolbelt import MultipartEncoder

    from sccli.core.upload import form_fields

    with open(artwork.path, "rb") as art:
        parts: list[tuple[str, Any]] = form_fields(fields)
        parts.append(("track[artwork_data]", (artwork.path.name, art, f"image/{artwork.kind}")))
        enc = MultipartEncoder(fields=parts)
        return client.call(
            "PUT", f"/tracks/{urn}", data=enc, headers={"Content-Type": enc.content_type}
        )


def delete(client: Client, urn: str) -> None:
    kind = urn.split(":")[1]
    client.request("DELETE", f"/{kind}/{urn}")


# -- social --------------------------------------------------------------------------------------
def post_comment(client: Client, track_urn: str, body: str, at_ms: int | None) -> dict:
    if not body.strip():
        raise UsageError("the comment is empty")
    if at_ms is not None:
        track = client.get(f"/tracks/{track_urn}")
        duration = int(track.get("duration") or 0)
        if duration and at_ms > duration:
            from sccli.core.timefmt import format_ms

            raise UsageError(
                f"--at {format_ms(at_ms)} is past the end of the track ({format_ms(duration)})"
            )
    comment: dict[str, Any] = {"body": body}
    if at_ms is not None:
        comment["timestamp"] = at_ms

    def find(since: float) -> dict | None:
        me = client.get("/me")["urn"]
        comments = list(client.paginate(f"/tracks/{track_urn}/comments", page_size=200))
        comments.reverse()  # newest first
        want = None if at_ms is None else str(at_ms)

        def same(c: dict) -> bool:
            got = c.get("timestamp")
            return (
                c.get("user_urn") == me
                and c.get("body") == body
                and (None if got is None else str(got)) == want
            )

        return newest_match(comments, same, since)

    try:
        return post_once(
            client, f"/tracks/{track_urn}/comments", {"comment": comment}, find, "posted"
        )[0]
    except ApiError as e:
        if e.status == 422:
            e.hint = "the track's owner may have turned comments off"
        raise


def follow(client: Client, user_urn: str) -> bool:
    """Follow; True when this call started following, False when already following."""
    resp = client.request("PUT", f"/me/followings/{user_urn}")
    return resp.status_code == 201


def is_following(client: Client, user_urn: str) -> bool:
    try:
        client.request("GET", f"/me/followings/{user_urn}")
        return True
    except NotFound:
        return False


def unfollow(client: Client, user_urn: str) -> bool:
    """Unfollow; True when this call stopped a follow, False when there was none."""
    was = is_following(client, user_urn)
    if was:
        client.request("DELETE", f"/me/followings/{user_urn}")
    return was


def like(client: Client, urn: str, on: bool = True) -> None:
    kind = urn.split(":")[1]  # tracks | playlists
    client.request("POST" if on else "DELETE", f"/likes/{kind}/{urn}")
