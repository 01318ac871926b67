"""Sets (playlists and albums): create, update, add, remove, reorder; the track list is
written whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sccli.core.errors import NotFound, UsageError
from sccli.core.safewrite import write_once
from sccli.core.values import RELEASE_TYPES, SET_TYPES

if TYPE_CHECKING:
    from sccli.core.client import Client
    from sccli.core.upload import UploadFile


def set_type_of(playlist: dict[str, Any]) -> str:
    """A set's type as the API takes it (album or playlist), from the playlist_type the API
    answers with (set_type exists only in requests); an EP or single made on the site is an
    album."""
    kind = playlist.get("playlist_type") or playlist.get("type") or playlist.get("set_type")
    return api_set_type(str(kind or ""))


def api_set_type(kind: str | None) -> str:
    """The set_type to send for a kind: the spec's set_type is album or playlist, and no
    writable field carries more, so ep, single and compilation go as album."""
    return kind if kind in SET_TYPES else ("album" if kind in RELEASE_TYPES else "playlist")


def own_sets(client: Client) -> Iterator[dict[str, Any]]:
    """Your sets, newest first, without their track lists."""
    return client.paginate("/me/playlists", {"show_tracks": "false"}, page_size=200)


def same_set(title: str, set_type: str | None) -> Callable[[dict[str, Any]], bool]:
    """A set of this title (and type, when given): how a set is found again."""
    wanted = api_set_type(set_type) if set_type is not None else None
    return lambda p: p.get("title") == title and (wanted is None or set_type_of(p) == wanted)


def find_own_playlist(
    client: Client, title: str, set_type: str | None = None
) -> dict[str, Any] | None:
    """Your newest set with this title (and type, when given)."""
    return next(filter(same_set(title, set_type), own_sets(client)), None)


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
) -> dict[str, Any]:
    """POST a set once (a lost answer is looked for, never blindly repeated). `fields` are
    more of the API's set fields (release_date, genre...); artwork makes it multipart."""
    body: dict[str, Any] = {"title": title}
    kind = api_set_type(set_type) if set_type is not None else None
    for key, value in (("description", description), ("sharing", sharing), ("set_type", kind)):
        if value is not None:
            body[key] = value
    body.update({k: v for k, v in (fields or {}).items() if v is not None})
    if tracks:
        body["tracks"] = list(dict.fromkeys(tracks))

    def send() -> dict[str, Any]:
        return _write(client, "POST", "/playlists", body, artwork)

    return write_once(
        client,
        send,
        "created",
        items=lambda: own_sets(client),
        match=same_set(title, set_type),
        check=f"`sc playlists list` shows whether a set titled {title!r} was made",
    )[0]


def create_playlist_if_absent(
    client: Client, title: str, *, set_type: str | None = None, **kwargs: Any
) -> tuple[dict[str, Any], bool]:
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
) -> dict[str, Any]:
    """One PUT with only the given fields (and the whole track list, when given)."""
    body = {k: v for k, v in fields.items() if v is not None}
    if "set_type" in body:
        body["set_type"] = api_set_type(body["set_type"])
    if not body and tracks is None and artwork is None:
        raise UsageError("nothing to update: give at least one option")
    if tracks is not None:
        body["tracks"] = tracks
    return _write(client, "PUT", f"/playlists/{playlist_urn}", body, artwork)


def reorder_playlist(client: Client, playlist_urn: str, order: list[str]) -> dict[str, Any]:
    """Write a new order in one PUT; the list must hold exactly the set's tracks (exit 2)."""
    current = track_urns(client, playlist_urn)
    if sorted(order) != sorted(current):
        missing = [u for u in current if u not in order]
        extra = [u for u in order if u not in current]
        dupes = sorted({u for u in order if order.count(u) > 1})
        why = "; ".join(
            f"{label}: {', '.join(urns)}"
            for label, urns in (("missing", missing), ("not in the set", extra), ("twice", dupes))
            if urns
        )
        raise UsageError(
            f"the order must name each of the set's {len(current)} tracks once ({why})"
        )
    return put_tracks(client, playlist_urn, order)


def _write(
    client: Client, method: str, path: str, body: dict[str, Any], artwork: UploadFile | None
) -> dict[str, Any]:
    """A set write: JSON, or multipart when artwork is part of it (the API takes files no
    other way), built by the one multipart builder uploads use. `tracks` is a list of URNs."""
    from sccli.core.safewrite import made, updated
    from sccli.core.upload import multipart

    if artwork is None:
        if "tracks" in body:
            body = {**body, "tracks": [{"urn": u} for u in body["tracks"]]}
        answer = client.call(method, path, json={"playlist": body})
    else:
        answer = client.call(
            method, path, body=lambda: multipart(body, artwork=artwork, resource="playlist")
        )
    if method == "POST":
        return made(answer)  # write_once looks for a set made without an answer
    return updated(client, answer, path.rsplit("/", 1)[1], body)


def check_owned(client: Client, playlist_urn: str) -> dict[str, Any]:
    """The set, if it exists (else NotFound, exit 3) and is the logged-in user's (else exit 4)."""
    from sccli.core.errors import AuthError

    playlist: dict[str, Any] = client.get(
        f"/playlists/{playlist_urn}", params={"show_tracks": "false"}
    )
    me = client.get("/me", need=("urn",))
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
    return _write(client, "PUT", f"/playlists/{playlist_urn}", {"tracks": tracks}, None)
