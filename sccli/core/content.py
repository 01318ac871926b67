"""Writes other than uploads: sets, comments, follows and likes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NotFound, UsageError
from sccli.core.safewrite import newest_match, post_once, write_once

if TYPE_CHECKING:
    from sccli.core.client import Client
    from sccli.core.upload import UploadFile


# -- sets ----------------------------------------------------------------------------------------
def set_type_of(playlist: dict) -> str:
    """A set's type, whichever of set_type and playlist_type the API filled in."""
    return str(playlist.get("set_type") or playlist.get("playlist_type") or "playlist")


def find_own_playlist(
    client: Client, title: str, set_type: str | None = None, since: float | None = None
) -> dict | None:
    """Your newest set with this title (and type, when given), made after `since` if given."""
    sets = client.paginate("/me/playlists", {"show_tracks": "false"}, page_size=200)

    def same(p: dict) -> bool:
        return p.get("title") == title and (set_type is None or set_type_of(p) == set_type)

    return newest_match(sets, same, since)


def create_playlist(
    client: Client,
    title: str,
    *,
    description: str | None = None,
    sharing: str | None = None,
    set_type: str | None = None,
    tracks: list[str] | None = None,
    fields: dict[str, Any] | None = None,
    artwork: UploadFile | None = None,
) -> dict:
    """POST a set once (a lost answer is looked for, never blindly repeated); `fields` are more
    of the API's set fields (release_date, genre...); artwork goes as multipart."""
    body: dict[str, Any] = {"title": title}
    for key, value in (("description", description), ("sharing", sharing), ("set_type", set_type)):
        if value is not None:
            body[key] = value
    body.update({k: v for k, v in (fields or {}).items() if v is not None})
    urns = _dedupe(tracks or [])

    def send() -> dict:
        if artwork is not None:
            return _send_multipart(client, "POST", "/playlists", body, urns or None, artwork)
        with_tracks = {**body, "tracks": [{"urn": u} for u in urns]} if urns else body
        return client.call("POST", "/playlists", json={"playlist": with_tracks})

    def find(since: float) -> dict | None:
        return find_own_playlist(client, title, set_type, since)

    return write_once(client, send, find, "created")[0]


def create_playlist_if_absent(
    client: Client, title: str, *, set_type: str | None = None, **kwargs: Any
) -> tuple[dict, bool]:
    """(the set, True) when made now; (your existing set of that title and type, False)."""
    existing = find_own_playlist(client, title, set_type)
    if existing is not None:
        return existing, False
    return create_playlist(client, title, set_type=set_type, **kwargs), True


def update_playlist(
    client: Client,
    playlist_urn: str,
    fields: dict[str, Any],
    *,
    tracks: list[str] | None = None,
    artwork: UploadFile | None = None,
) -> dict:
    """One PUT with only the given fields (and the whole track list, when given)."""
    body = {k: v for k, v in fields.items() if v is not None}
    if not body and tracks is None and artwork is None:
        raise UsageError("nothing to update: give at least one option")
    path = f"/playlists/{playlist_urn}"
    if artwork is not None:
        return _send_multipart(client, "PUT", path, body, tracks, artwork)
    if tracks is not None:
        body["tracks"] = [{"urn": u} for u in tracks]
    return client.call("PUT", path, json={"playlist": body})


def reorder_playlist(client: Client, playlist_urn: str, track_urns: list[str]) -> dict:
    """Write a new order in one PUT; the list must hold exactly the set's tracks (exit 2)."""
    current = playlist_track_urns(client, playlist_urn)
    if sorted(track_urns) != sorted(current):
        missing = [u for u in current if u not in track_urns]
        extra = [u for u in track_urns if u not in current]
        dupes = sorted({u for u in track_urns if track_urns.count(u) > 1})
        why = "; ".join(
            f"{label}: {', '.join(urns)}"
            for label, urns in (("missing", missing), ("not in the set", extra), ("twice", dupes))
            if urns
        )
        raise UsageError(
            f"the order must name each of the set's {len(current)} tracks once ({why})"
        )
    return _put_tracks(client, playlist_urn, track_urns)


def _send_multipart(
    client: Client,
    method: str,
    path: str,
    fields: dict[str, Any],
    tracks: list[str] | None,
    artwork: UploadFile,
) -> dict:
    """A set write with artwork: playlist[...] form fields, tracks as one comma-joined field."""
    from requests_toolbelt import MultipartEncoder

    parts: list[tuple[str, Any]] = [
        (f"playlist[{k}]", _form_value(v)) for k, v in fields.items() if v is not None
    ]
    if tracks is not None:
        parts.append(("playlist[tracks][][urn]", ",".join(tracks)))
    with open(artwork.path, "rb") as art:
        parts.append(("playlist[artwork_data]", (artwork.path.name, art, f"image/{artwork.kind}")))
        enc = MultipartEncoder(fields=parts)
        return client.call(method, path, data=enc, headers={"Content-Type": enc.content_type})


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
