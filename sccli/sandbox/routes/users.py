"""Users: search, one user, and their tracks, sets, likes, reposts, followers and followings."""

from __future__ import annotations

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import (
    ANY_ACCESS,
    known_user,
    page,
    ref_id,
    set_page,
    show_tracks,
    track_page,
    user_page,
)


def search(c: Ctx) -> Response:
    q = (c.req.args.get("q") or "").lower()
    urns = {u.strip() for u in (c.req.args.get("urns") or "").split(",") if u.strip()}
    found = [
        u["id"]
        for u in c.store.users()
        if (not q or q in " ".join(str(v) for v in u.values()).lower())
        and (not urns or f"soundcloud:users:{u['id']}" in urns)
    ]
    return user_page(c, found)


def get_user(c: Ctx, ref: str) -> Response:
    return json_response(c.views.user(known_user(c, ref)))


def newest_first(c: Ctx) -> bool:
    """`sort` (or its aliases `direction`, `order`): desc, the default, or asc."""
    a = c.req.args
    value = (a.get("sort") or a.get("direction") or a.get("order") or "desc").lower()
    if value not in ("asc", "desc"):
        raise ApiAbort(400, "sort must be asc or desc")
    return value == "desc"


def tracks_of(c: Ctx, uid: int, default: str = ANY_ACCESS) -> Response:
    """A user's tracks by upload date; private ones only for their owner."""
    ts = c.views.tracks(c.store.track_ids_of(uid))
    ts.sort(key=lambda t: ((t.get("created_at") or "")[:19], t["id"]), reverse=newest_first(c))
    return track_page(c, [t["id"] for t in ts], default)


def playlists_of(c: Ctx, uid: int) -> Response:
    ps = [p for p in c.store.playlists(uid) if c.views.can_see(p)]
    with_tracks = show_tracks(c.req)
    return page(c.req, ps, lambda p: c.views.playlist(p, with_tracks))


def user_tracks(c: Ctx, ref: str) -> Response:
    return tracks_of(c, known_user(c, ref), default="playable,preview")


def user_playlists(c: Ctx, ref: str) -> Response:
    return playlists_of(c, known_user(c, ref))


def liked_tracks(c: Ctx, ref: str) -> Response:
    return track_page(c, c.store.rel.targets("likes", known_user(c, ref), "track"))


def liked_sets(c: Ctx, ref: str) -> Response:
    return set_page(c, c.store.rel.targets("likes", known_user(c, ref), "playlist"))


def reposted_tracks(c: Ctx, ref: str) -> Response:
    return track_page(c, c.store.rel.targets("reposts", known_user(c, ref), "track"))


def reposted_sets(c: Ctx, ref: str) -> Response:
    return set_page(c, c.store.rel.targets("reposts", known_user(c, ref), "playlist"))


def followers(c: Ctx, ref: str) -> Response:
    return user_page(c, c.store.rel.followers(known_user(c, ref)), linked=True)


def followings(c: Ctx, ref: str) -> Response:
    return user_page(c, c.store.rel.followings(known_user(c, ref)), linked=True)


def one_following(c: Ctx, ref: str, other: str) -> Response:
    uid, target = known_user(c, ref), ref_id(other, "user")
    if not c.store.rel.is_following(uid, target):
        raise ApiAbort(404, "this user does not follow that one")
    return json_response(c.views.user(target))


ROUTES = [
    *api("/users", "GET", handler=search),
    *api("/users/<ref>", "GET", handler=get_user),
    *api("/users/<ref>/tracks", "GET", handler=user_tracks),
    *api("/users/<ref>/playlists", "GET", handler=user_playlists),
    *api("/users/<ref>/likes/tracks", "GET", handler=liked_tracks),
    *api("/users/<ref>/favorites", "GET", handler=liked_tracks),  # deprecated
    *api("/users/<ref>/likes/playlists", "GET", handler=liked_sets),
    *api("/users/<ref>/reposts/tracks", "GET", handler=reposted_tracks),
    *api("/users/<ref>/reposts/playlists", "GET", handler=reposted_sets),
    *api("/users/<ref>/followers", "GET", handler=followers),
    *api("/users/<ref>/followings", "GET", handler=followings),
    *api("/users/<ref>/followings/<other>", "GET", handler=one_following),  # deprecated
]
