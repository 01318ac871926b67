"""Sets (playlists and albums): search, create, get, update (replacing the list), delete."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.wrappers import Request, Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import (
    form_fields,
    ok,
    page,
    ref_id,
    show_tracks,
    visible_playlist,
)
from sccli.sandbox.routes.uploads import now_api
from sccli.sandbox.views import slug

SET_FIELDS = (
    "title",
    "description",
    "sharing",
    "set_type",
    "genre",
    "tag_list",
    "license",
    "label_name",
    "release_date",
    "purchase_url",
    "ean",
)
NEW_SET: dict[str, Any] = {
    "description": "",
    "sharing": "public",
    "set_type": "playlist",
    "genre": "",
    "tag_list": "",
    "license": "all-rights-reserved",
}


def search(c: Ctx) -> Response:
    words = (c.req.args.get("q") or "").lower().split()
    with_tracks = show_tracks(c.req)
    found = [
        p
        for p in c.store.playlists()
        if p.get("sharing") != "private"
        and all(w in (p["title"] + " " + p.get("description", "")).lower() for w in words)
    ]
    return page(c.req, found, lambda p: c.views.playlist(p, with_tracks))


def _json_fields(req: Request) -> tuple[dict, list | None]:
    body = req.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("playlist", {}), dict):
        raise ApiAbort(400, 'send {"playlist": {...}}')
    raw = dict(body.get("playlist") or {})
    if "tracks" not in raw:
        return raw, None
    items = raw.pop("tracks") or []
    if not isinstance(items, list):
        raise ApiAbort(422, 'tracks must be a list of {"urn": ...}')
    return raw, [x.get("urn") if isinstance(x, dict) else x for x in items]


def _form_fields(req: Request) -> tuple[dict, list | None]:
    raw = form_fields(req, "playlist")
    joined = req.form.get("playlist[tracks][][urn]")
    return raw, [u for u in joined.split(",") if u] if joined is not None else None


def _track_ids(c: Ctx, urns: list) -> list[int]:
    ids = []
    for u in urns:
        text = u.strip() if isinstance(u, str) else ""
        if not re.fullmatch(r"(soundcloud:tracks:)?\d{1,19}", text):
            raise ApiAbort(404, f"unknown track {u}")
        tid = ref_id(text, "track")
        if c.store.track(tid) is None:
            raise ApiAbort(404, f"unknown track {u}")
        ids.append(tid)
    return ids


def set_fields(c: Ctx) -> dict:
    """A set's fields from JSON {"playlist": {...}} or a playlist[...] form."""
    raw, urns = _json_fields(c.req) if c.req.is_json else _form_fields(c.req)
    out: dict[str, Any] = {k: str(v) for k, v in raw.items() if k in SET_FIELDS}
    if "sharing" in out and out["sharing"] not in ("public", "private"):
        raise ApiAbort(422, "sharing must be public or private")
    if "set_type" in out and out["set_type"] not in ("album", "playlist"):
        raise ApiAbort(422, "set_type must be album or playlist")
    if urns is not None:
        out["tracks"] = _track_ids(c, urns)
    return out


def create(c: Ctx) -> Response:
    uid = c.user_id()
    fields = set_fields(c)
    if not fields.get("title"):
        raise ApiAbort(422, "playlist title is required")
    p = dict(NEW_SET, user_id=uid, created_at=now_api(), tracks=[])
    p.update(fields)
    p.setdefault("permalink", slug(p["title"]))  # fixed now: a later rename keeps the URL
    pid = c.store.insert_playlist(p)
    art = _artwork(c, pid)
    saved = c.store.update_playlist(pid, art) if art else c.store.playlist(pid)
    return json_response(c.views.playlist(saved or p), 201)


def _artwork(c: Ctx, pid: int) -> dict[str, str]:
    """A set's artwork comes only as multipart `playlist[artwork_data]` (the spec)."""
    art = None if c.req.is_json else c.req.files.get("playlist[artwork_data]")
    if art is None:
        return {}
    art.save(c.store.dir / "audio" / f"set-{pid}.artwork")
    return {"artwork_url": f"{c.api}/cdn/sets/{pid}/artwork"}


def get_set(c: Ctx, ref: str) -> Response:
    return json_response(c.views.playlist(visible_playlist(c, ref), show_tracks(c.req)))


def _own(c: Ctx, ref: str) -> dict:
    p = visible_playlist(c, ref)
    if p["user_id"] != c.user_id():
        raise ApiAbort(403, "you can only change your own sets")
    return p


def update(c: Ctx, ref: str) -> Response:
    p = _own(c, ref)
    fields = set_fields(c)  # a track list replaces the whole list
    fields.update(_artwork(c, p["id"]))
    updated = c.store.update_playlist(p["id"], fields)
    if updated is None:
        raise ApiAbort(404, "playlist not found")
    return json_response(c.views.playlist(updated))


def delete(c: Ctx, ref: str) -> Response:
    c.store.delete_playlist(_own(c, ref)["id"])
    return ok()


def set_tracks(c: Ctx, ref: str) -> Response:
    p = visible_playlist(c, ref)
    return page(c.req, c.views.tracks(p["tracks"]), c.views.track)


ROUTES = [
    *api("/playlists", "GET", handler=search),
    *api("/playlists", "POST", handler=create),
    *api("/playlists/<ref>", "GET", handler=get_set),
    *api("/playlists/<ref>", "PUT", handler=update),
    *api("/playlists/<ref>", "DELETE", handler=delete),
    *api("/playlists/<ref>/tracks", "GET", handler=set_tracks),
]
