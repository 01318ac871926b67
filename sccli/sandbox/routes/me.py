"""The logged-in user: /me and its lists."""

from __future__ import annotations

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import ANY_ACCESS, known_user, set_page, track_page, user_page
from sccli.sandbox.routes.users import playlists_of, tracks_of
from sccli.sandbox.views import me_json


def me(c: Ctx) -> Response:
    private, seconds = c.store.owner_counts(c.user_id())
    return json_response(me_json(c.views.user(c.user_id()), private, seconds))


def my_tracks(c: Ctx) -> Response:
    return tracks_of(c, c.user_id())


def my_playlists(c: Ctx) -> Response:
    return playlists_of(c, c.user_id())


def liked_tracks(c: Ctx) -> Response:
    return track_page(c, c.store.rel.targets("likes", c.user_id(), "track"), ANY_ACCESS)


def liked_playlists(c: Ctx) -> Response:
    return set_page(c, c.store.rel.targets("likes", c.user_id(), "playlist"))


def reposted_tracks(c: Ctx) -> Response:
    return track_page(c, c.store.rel.targets("reposts", c.user_id(), "track"), ANY_ACCESS)


def reposted_playlists(c: Ctx) -> Response:
    return set_page(c, c.store.rel.targets("reposts", c.user_id(), "playlist"))


def my_followings(c: Ctx) -> Response:
    return user_page(c, c.store.rel.followings(c.user_id()), linked=True)


def my_followers(c: Ctx) -> Response:
    return user_page(c, c.store.rel.followers(c.user_id()), linked=True)


def my_follower(c: Ctx, ref: str) -> Response:
    uid, follower = c.user_id(), known_user(c, ref)
    if not c.store.rel.is_following(follower, uid):
        raise ApiAbort(404, "this user does not follow you")
    return json_response(c.views.user(follower))


def recently_played(c: Ctx) -> Response:
    """Up to 25 tracks, newest play first, each once; no paging (as documented)."""
    ids = c.store.rel.recently_played(c.user_id(), 25)
    allowed = {a for a in (c.req.args.get("access") or ANY_ACCESS).split(",") if a}
    found = [t for t in c.views.tracks(ids) if t.get("access", "playable") in allowed]
    return json_response({"collection": [c.views.track(t) for t in found]})


ROUTES = [
    *api("/me", "GET", handler=me),
    *api("/me/tracks", "GET", handler=my_tracks),
    *api("/me/playlists", "GET", handler=my_playlists),
    *api("/me/likes/tracks", "GET", handler=liked_tracks),
    *api("/me/likes/playlists", "GET", handler=liked_playlists),
    *api("/me/reposts/tracks", "GET", handler=reposted_tracks),
    *api("/me/reposts/playlists", "GET", handler=reposted_playlists),
    *api("/me/followings", "GET", handler=my_followings),
    *api("/me/followers", "GET", handler=my_followers),
    *api("/me/followers/<ref>", "GET", handler=my_follower),  # deprecated
    *api("/me/recently-played/tracks", "GET", handler=recently_played),
]
