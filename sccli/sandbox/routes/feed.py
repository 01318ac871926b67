"""The feed and activities: what the people someone follows uploaded, made and reposted."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import json_response, page_of
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import access_of, playable
from sccli.sandbox.seed import api_time

TRACKS = ("track", "track:repost")
EVERYTHING = ("track", "track:repost", "playlist", "playlist:repost")
Item = tuple[str, str, dict, int | None, float]  # type, created_at, origin, reposter, exact time


def _made(c: Ctx, uids: set[int], kinds: tuple[str, ...]) -> list[Item]:
    items: list[Item] = []
    if "track" in kinds:
        mine = [t for t in c.store.all_tracks() if t["user_id"] in uids and c.views.can_see(t)]
        items += [
            ("track", t.get("created_at") or "", t, None, t.get("_created") or 0.0)
            for t in playable(c, mine)
        ]
    if "playlist" in kinds:
        sets = [p for p in c.store.playlists() if p["user_id"] in uids and c.views.can_see(p)]
        items += [("playlist", p.get("created_at") or "", p, None, 0.0) for p in sets]
    return items


def _reposted(c: Ctx, uids: set[int], kinds: tuple[str, ...]) -> list[Item]:
    items: list[Item] = []
    allowed = access_of(c.req)
    for r in c.store.rel.reposts_by(sorted(uids)):
        kind = f"{r['kind']}:repost"
        get = c.store.track if r["kind"] == "track" else c.store.playlist
        target = get(r["target_id"]) if kind in kinds else None
        if target is None or not c.views.can_see(target):
            continue
        if r["kind"] == "track" and target.get("access", "playable") not in allowed:
            continue
        when = api_time(datetime.fromtimestamp(r["at"], tz=timezone.utc))
        items.append((kind, when, target, r["user_id"], r["at"]))
    return items


def _show(c: Ctx, item: Item) -> dict:
    kind, when, origin, reposter, _ = item
    shown = c.views.track(origin) if kind.startswith("track") else c.views.playlist(origin)
    out: dict[str, Any] = {"type": kind, "created_at": when, "origin": shown}
    if reposter is not None:
        out["reposter"] = f"soundcloud:users:{reposter}"
    return out


def newest(item: Item) -> tuple[str, float]:
    return item[1][:19], item[4]


def activities(c: Ctx, uids: set[int], kinds: tuple[str, ...]) -> Response:
    items = _made(c, uids, kinds) + _reposted(c, uids, kinds)
    items.sort(key=newest, reverse=True)
    body = page_of(c.req, items, linked=True)
    assert isinstance(body, dict)
    body["collection"] = [_show(c, i) for i in body["collection"]]
    return json_response(body)


def feed(c: Ctx) -> Response:
    return activities(c, set(c.store.rel.followings(c.user_id())), EVERYTHING)


def feed_tracks(c: Ctx) -> Response:
    return activities(c, set(c.store.rel.followings(c.user_id())), TRACKS)


def own_activities(c: Ctx) -> Response:
    return activities(c, {c.user_id()}, EVERYTHING)


def followings_tracks(c: Ctx) -> Response:
    """Recent tracks of the people followed: the deprecated bare list, as documented."""
    uids = set(c.store.rel.followings(c.user_id()))
    items = _made(c, uids, ("track",))
    items.sort(key=newest, reverse=True)
    chunk = page_of(c.req, [i[2] for i in items], linked=False)
    return json_response([c.views.track(t) for t in chunk])


ROUTES = [
    *api("/me/feed", "GET", handler=feed),
    *api("/me/feed/tracks", "GET", handler=feed_tracks),
    *api("/me/activities", "GET", handler=feed),  # deprecated
    *api("/me/activities/tracks", "GET", handler=feed_tracks),  # deprecated
    *api("/me/activities/all/own", "GET", handler=own_activities),  # deprecated
    *api("/me/followings/tracks", "GET", handler=followings_tracks),
]
