"""Users: search, one user, and what a user made."""

from __future__ import annotations

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import known_user, page, show_tracks


def search(c: Ctx) -> Response:
    q = (c.req.args.get("q") or "").lower()
    urns = {u.strip() for u in (c.req.args.get("urns") or "").split(",") if u.strip()}
    found = [
        u["id"]
        for u in c.store.users()
        if (not q or q in " ".join(str(v) for v in u.values()).lower())
        and (not urns or f"soundcloud:users:{u['id']}" in urns)
    ]
    return page(c.req, found, c.views.user)


def get_user(c: Ctx, ref: str) -> Response:
    return json_response(c.views.user(known_user(c, ref)))


def tracks_of(c: Ctx, uid: int) -> Response:
    """A user's tracks, newest first; private ones only for their owner."""
    ts = c.views.tracks(c.store.track_ids_of(uid))
    return page(c.req, ts, c.views.track)


def playlists_of(c: Ctx, uid: int) -> Response:
    ps = [p for p in c.store.playlists(uid) if c.views.can_see(p)]
    with_tracks = show_tracks(c.req)
    return page(c.req, ps, lambda p: c.views.playlist(p, with_tracks))


def user_tracks(c: Ctx, ref: str) -> Response:
    return tracks_of(c, known_user(c, ref))


def user_playlists(c: Ctx, ref: str) -> Response:
    return playlists_of(c, known_user(c, ref))


ROUTES = [
    *api("/users", "GET", handler=search),
    *api("/users/<ref>", "GET", handler=get_user),
    *api("/users/<ref>/tracks", "GET", handler=user_tracks),
    *api("/users/<ref>/playlists", "GET", handler=user_playlists),
]
