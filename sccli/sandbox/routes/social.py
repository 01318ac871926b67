"""Likes, reposts and follows: the writes people make, and who made them."""

from __future__ import annotations

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import known_user, ok, user_page, visible_playlist, visible_track


def like_track(c: Ctx, ref: str) -> Response:
    tid = visible_track(c, ref)["id"]
    c.store.rel.mark("likes", c.user_id(), "track", tid, c.req.method == "POST")
    return ok()


def like_playlist(c: Ctx, ref: str) -> Response:
    pid = visible_playlist(c, ref)["id"]
    c.store.rel.mark("likes", c.user_id(), "playlist", pid, c.req.method == "POST")
    return ok()


def _repost(c: Ctx, kind: str, target: int) -> Response:
    on = c.req.method == "POST"
    c.store.rel.mark("reposts", c.user_id(), kind, target, on)
    return ok("201 - Created", 201) if on else ok()


def repost_track(c: Ctx, ref: str) -> Response:
    return _repost(c, "track", visible_track(c, ref)["id"])


def repost_playlist(c: Ctx, ref: str) -> Response:
    return _repost(c, "playlist", visible_playlist(c, ref)["id"])


def favoriters(c: Ctx, ref: str) -> Response:
    return user_page(c, c.store.rel.who("likes", "track", visible_track(c, ref)["id"]))


def track_reposters(c: Ctx, ref: str) -> Response:
    tid = visible_track(c, ref)["id"]
    return user_page(c, c.store.rel.who("reposts", "track", tid), linked=True)


def set_reposters(c: Ctx, ref: str) -> Response:
    pid = visible_playlist(c, ref)["id"]
    return user_page(c, c.store.rel.who("reposts", "playlist", pid), linked=True)


def following(c: Ctx, ref: str) -> Response:
    uid, target = c.user_id(), known_user(c, ref)
    if not c.store.rel.is_following(uid, target):
        raise ApiAbort(404, "not following this user")
    return json_response(c.views.user(target))


def follow(c: Ctx, ref: str) -> Response:
    uid, target = c.user_id(), known_user(c, ref)
    if target == uid:
        raise ApiAbort(422, "you cannot follow yourself")
    limit = c.cfg("follow_limit")
    outcome = c.store.rel.follow(uid, target, limit)
    if outcome == "already":
        return ok("200 - Successful")
    if outcome == "limit":
        count = c.store.rel.follow_count(uid)
        raise ApiAbort(422, f"You have reached the maximum number of followings ({count}).")
    return json_response(c.views.user(target), 201)


def unfollow(c: Ctx, ref: str) -> Response:
    if not c.store.rel.unfollow(c.user_id(), known_user(c, ref)):
        raise ApiAbort(404, "not following this user")  # how a client learns there was none
    return ok()


ROUTES = [
    *api("/likes/tracks/<ref>", "POST", "DELETE", handler=like_track),
    *api("/likes/playlists/<ref>", "POST", "DELETE", handler=like_playlist),
    *api("/reposts/tracks/<ref>", "POST", "DELETE", handler=repost_track),
    *api("/reposts/playlists/<ref>", "POST", "DELETE", handler=repost_playlist),
    *api("/tracks/<ref>/favoriters", "GET", handler=favoriters),
    *api("/tracks/<ref>/reposters", "GET", handler=track_reposters),
    *api("/playlists/<ref>/reposters", "GET", handler=set_reposters),
    *api("/me/followings/<ref>", "GET", handler=following),  # deprecated
    *api("/me/followings/<ref>", "PUT", handler=follow),
    *api("/me/followings/<ref>", "DELETE", handler=unfollow),
]
