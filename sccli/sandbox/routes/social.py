"""Likes and follows: the writes people make about tracks, sets and each other."""

from __future__ import annotations

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import known_user, ok, visible_playlist, visible_track


def like_track(c: Ctx, ref: str) -> Response:
    tid = visible_track(c, ref)["id"]
    c.store.rel.mark("likes", c.user_id(), "track", tid, c.req.method == "POST")
    return ok()


def like_playlist(c: Ctx, ref: str) -> Response:
    pid = visible_playlist(c, ref)["id"]
    c.store.rel.mark("likes", c.user_id(), "playlist", pid, c.req.method == "POST")
    return ok()


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
    c.store.rel.unfollow(c.user_id(), known_user(c, ref))
    return ok()


ROUTES = [
    *api("/likes/tracks/<ref>", "POST", "DELETE", handler=like_track),
    *api("/likes/playlists/<ref>", "POST", "DELETE", handler=like_playlist),
    *api("/me/followings/<ref>", "GET", handler=following),
    *api("/me/followings/<ref>", "PUT", handler=follow),
    *api("/me/followings/<ref>", "DELETE", handler=unfollow),
]
