"""The logged-in user: /me and its lists."""

from __future__ import annotations

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import page
from sccli.sandbox.routes.users import playlists_of, tracks_of


def me(c: Ctx) -> Response:
    return json_response(c.views.user(c.user_id()))


def my_tracks(c: Ctx) -> Response:
    return tracks_of(c, c.user_id())


def my_playlists(c: Ctx) -> Response:
    return playlists_of(c, c.user_id())


def liked_tracks(c: Ctx) -> Response:
    ids = c.store.rel.targets("likes", c.user_id(), "track")
    return page(c.req, c.views.tracks(ids), c.views.track)


def liked_playlists(c: Ctx) -> Response:
    ids = c.store.rel.targets("likes", c.user_id(), "playlist")
    found = [p for p in (c.store.playlist(i) for i in ids) if p and c.views.can_see(p)]
    return page(c.req, found, c.views.playlist)


def my_followings(c: Ctx) -> Response:
    return page(c.req, c.store.rel.followings(c.user_id()), c.views.user)


ROUTES = [
    *api("/me", "GET", handler=me),
    *api("/me/tracks", "GET", handler=my_tracks),
    *api("/me/playlists", "GET", handler=my_playlists),
    *api("/me/likes/tracks", "GET", handler=liked_tracks),
    *api("/me/likes/playlists", "GET", handler=liked_playlists),
    *api("/me/followings", "GET", handler=my_followings),
]
