"""What the resource modules share: references, visibility, the wire views, pages."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from werkzeug.wrappers import Request, Response

from sccli.sandbox import growth
from sccli.sandbox.context import DEFAULTS, Ctx
from sccli.sandbox.http import ApiAbort, json_response, page_of
from sccli.sandbox.sharing import opens, secret_token
from sccli.sandbox.store import Store
from sccli.sandbox.views import comment_json, playlist_json, track_json, user_json

MAX_ID = 2**63 - 1  # SQLite's largest integer


def ref_id(ref: str, kind: str) -> int:
    """`soundcloud:<kind>s:123` or `123` (old numeric paths still answer)."""
    m = re.fullmatch(rf"(?:soundcloud:{kind}s:)?(\d{{1,19}})", ref.strip())
    if not m or int(m.group(1)) > MAX_ID:
        raise ApiAbort(404, f"{ref} is not a {kind}")
    return int(m.group(1))


def flag(req: Request, name: str, default: bool) -> bool:
    """A boolean query parameter: true/1 or false/0; absent gives the default."""
    value = req.args.get(name)
    if value is None or value == "":
        return default
    return value.lower() not in ("false", "0", "no", "off")


def show_tracks(req: Request) -> bool:
    return flag(req, "show_tracks", True)


def form_fields(req: Request, prefix: str) -> dict[str, str]:
    """The `prefix[key]` fields of a form, by key; a part without a name is a 400."""
    if None in req.form or None in req.files:  # no name at all (name="" is merely unknown)
        raise ApiAbort(400, "every part of a multipart body needs a name")
    start = len(prefix) + 1
    return {
        k[start:-1]: v
        for k, v in req.form.items()
        if k.startswith(prefix + "[") and k.endswith("]") and "][" not in k
    }


def ok(status: str = "200 - OK", code: int = 200) -> Response:
    return json_response({"status": status}, code)


def page(
    req: Request, items: list, view: Callable[[Any], Any], *, linked: bool | None = None
) -> Response:
    """One page of `items`, each shown through `view`, as a list or {collection, next_href}."""
    body = page_of(req, items, linked=linked)
    if isinstance(body, list):
        return json_response([view(x) for x in body])
    body["collection"] = [view(x) for x in body["collection"]]
    return json_response(body)


class Views:
    """Stored rows as the API's JSON, for one request's base URL and viewer."""

    def __init__(self, store: Store, api: str, viewer: int | None, secret: str | None = None):
        self.store = store
        self.api = api
        self.viewer = viewer
        self.secret = secret  # the request's secret_token: opens that one private object
        self._users: dict[int, dict] = {}

    def can_see(self, obj: dict) -> bool:
        if obj.get("sharing") != "private" or obj.get("user_id") == self.viewer:
            return True
        return opens(self.store, obj, self.secret)

    def secret_uri(self, t: dict) -> str | None:
        """A private track's API URI with its secret, for those who may see it; else null."""
        if t.get("sharing") != "private" or not self.can_see(t):
            return None
        return f"{self.api}/tracks/soundcloud:tracks:{t['id']}?secret_token={secret_token(self.store, t)}"

    def user(self, uid: int) -> dict:
        if uid not in self._users:
            u = self.store.user(uid)
            if u is None:
                raise ApiAbort(404, "user not found")
            self._users[uid] = user_json(u, self.api, self.store.user_counts(uid))
        return self._users[uid]

    def track(self, t: dict) -> dict:
        # The spec: download_url is "omitted or null when track is not downloadable", the
        # owner's own tracks included (GET .../download still serves the owner, see media).
        downloadable = bool(t.get("downloadable")) and t.get("access") != "blocked"
        seeded_at, days_ahead = self._clock
        since = max(seeded_at, float(t.get("_created") or 0))
        days = growth.days_passed(since, time.time(), days_ahead)
        counts = growth.grow(t, self.store.track_counts(t), days)
        counts = growth.hide_quiet(t, counts, self.viewer)
        out = track_json(t, self.user(t["user_id"]), self.api, counts, downloadable)
        # Real answers carry `secret_uri: null` for the rest, but the spec types it as a
        # non-nullable string: leave it out rather than answer what the spec forbids.
        secret_uri = self.secret_uri(t)
        if secret_uri:
            out["secret_uri"] = secret_uri
        return out

    @cached_property
    def _clock(self) -> tuple[float, float]:
        """When counts began to grow, and the days the clock is moved on (once a request)."""
        ahead = self.store.setting("days_ahead", DEFAULTS["days_ahead"])
        return self.store.seeded_at(), ahead

    def tracks(self, ids: Iterable[int]) -> list[dict]:
        """The tracks this viewer may see, in order; deleted ones left out."""
        found = (self.store.track(tid) for tid in ids)
        return [t for t in found if t is not None and self.can_see(t)]

    def playlist(self, p: dict, with_tracks: bool = True) -> dict:
        tracks = [self.track(t) for t in self.tracks(p["tracks"])]
        counts = self.store.playlist_counts(p["id"])
        user = self.user(p["user_id"])
        return playlist_json(p, user, tracks, self.api, with_tracks, counts)

    def comment(self, row: dict) -> dict:
        return comment_json(row, self.user(row["user_id"]), self.api)


def visible_track(c: Ctx, ref: str) -> dict:
    t = c.store.track(ref_id(ref, "track"))
    if t is None or not c.views.can_see(t):
        raise ApiAbort(404, "track not found")
    return t


def own_track(c: Ctx, ref: str) -> dict:
    t = visible_track(c, ref)
    if t["user_id"] != c.user_id():
        raise ApiAbort(403, "you can only change your own tracks")
    return t


def visible_playlist(c: Ctx, ref: str) -> dict:
    p = c.store.playlist(ref_id(ref, "playlist"))
    if p is None or not c.views.can_see(p):
        raise ApiAbort(404, "playlist not found")
    return p


def known_user(c: Ctx, ref: str) -> int:
    uid = ref_id(ref, "user")
    c.views.user(uid)  # 404 for an unknown user
    return uid


# -- the lists most routes answer with --------------------------------------------------------------
PLAYABLE = "playable,preview"  # the `access` parameter's default
ANY_ACCESS = "playable,preview,blocked"  # `access_explicit`'s default


def access_of(req: Request, default: str = PLAYABLE) -> set[str]:
    return {a.strip() for a in (req.args.get("access") or default).split(",") if a.strip()}


def playable(c: Ctx, tracks: list[dict], default: str = PLAYABLE) -> list[dict]:
    """The tracks whose access the request's `access` parameter lets through."""
    allowed = access_of(c.req, default)
    return [t for t in tracks if t.get("access", "playable") in allowed]


def track_page(
    c: Ctx, ids: Iterable[int], default: str = PLAYABLE, *, linked: bool | None = None
) -> Response:
    """Tracks by id: the visible ones whose access passes, as a page."""
    return page(c.req, playable(c, c.views.tracks(ids), default), c.views.track, linked=linked)


def user_page(c: Ctx, ids: list[int], *, linked: bool | None = None) -> Response:
    return page(c.req, ids, c.views.user, linked=linked)


def set_page(c: Ctx, ids: Iterable[int]) -> Response:
    found = [p for p in (c.store.playlist(i) for i in ids) if p and c.views.can_see(p)]
    with_tracks = show_tracks(c.req)
    return page(c.req, found, lambda p: c.views.playlist(p, with_tracks))
