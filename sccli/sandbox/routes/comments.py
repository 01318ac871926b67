"""Comments on a track: list them, post one (timed or not)."""

from __future__ import annotations

import math

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import page, visible_track
from sccli.sandbox.routes.uploads import now_api


def list_comments(c: Ctx, ref: str) -> Response:
    t = visible_track(c, ref)
    return page(c.req, c.store.rel.comments(t["id"]), c.views.comment)


def _timestamp(value: object, duration: int) -> int | None:
    """Milliseconds from the start, as a number or a string; None for an untimed comment."""
    if value is None:
        return None
    try:
        ms = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ApiAbort(422, "timestamp must be milliseconds") from None
    if not math.isfinite(ms):
        raise ApiAbort(422, "timestamp must be milliseconds")
    if ms < 0 or ms > duration:
        raise ApiAbort(422, "timestamp is beyond the end of the track")
    return int(ms)


def post_comment(c: Ctx, ref: str) -> Response:
    t = visible_track(c, ref)
    uid = c.user_id()
    body = c.req.get_json(silent=True)
    comment = body.get("comment") if isinstance(body, dict) else None
    if not isinstance(comment, dict) or not str(comment.get("body") or "").strip():
        raise ApiAbort(422, "comment body is required")
    if not t.get("commentable", True):
        raise ApiAbort(422, "comments are disabled for this track")
    ts = _timestamp(comment.get("timestamp"), int(t.get("duration") or 0))
    row = c.store.rel.add_comment(t["id"], uid, str(comment["body"]), ts, now_api())
    return json_response(c.views.comment(row), 201)


ROUTES = [
    *api("/tracks/<ref>/comments", "GET", handler=list_comments),
    *api("/tracks/<ref>/comments", "POST", handler=post_comment),
]
