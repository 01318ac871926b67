"""GET /resolve: a soundcloud.com or on.soundcloud.com URL to the API resource, as a 302."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import JSON_TYPE, ApiAbort
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import MAX_ID
from sccli.sandbox.sharing import opens
from sccli.sandbox.views import slug, track_permalink

WEB_HOSTS = ("soundcloud.com", "www.soundcloud.com", "m.soundcloud.com")


def _short_link(c: Ctx, code: str) -> str | None:
    m = re.fullmatch(r"[Tt]([0-9a-zA-Z]{1,12})", code)
    if not m:
        return None
    tid = int(m.group(1), 36)
    if tid > MAX_ID or c.store.track(tid) is None:
        return None
    return f"/tracks/soundcloud:tracks:{tid}"


def _user_path(c: Ctx, segs: list[str]) -> str | None:
    user = next((u for u in c.store.users() if u["permalink"] == segs[0]), None)
    if user is None:
        return None
    uid = user["id"]
    if len(segs) == 1:
        return f"/users/soundcloud:users:{uid}"
    if len(segs) == 3 and segs[1] == "sets":
        for p in c.store.playlists(uid):
            if (p.get("permalink") or slug(p["title"])) == segs[2]:
                return f"/playlists/soundcloud:playlists:{p['id']}"
        return None
    if len(segs) == 2:
        for tid in c.store.track_ids_of(uid):
            t = c.store.track(tid)
            if t and (t.get("permalink") or track_permalink(t["title"], tid)) == segs[1]:
                return f"/tracks/soundcloud:tracks:{tid}"
    return None


def _is_secret(segs: list[str]) -> bool:
    n = len(segs)
    shape = (n == 3 and segs[1] != "sets") or (n == 4 and segs[1] == "sets")
    return shape and segs[-1].startswith("s-")


def _secret_path(c: Ctx, segs: list[str]) -> str | None:
    """USER/TITLE/s-TOKEN or USER/sets/NAME/s-TOKEN: the object, with its token, if it opens it."""
    target = _user_path(c, segs[:-1])
    if target is None:
        return None
    kind, _, urn = target[1:].partition("/")
    oid = int(urn.rsplit(":", 1)[1])
    obj = c.store.track(oid) if kind == "tracks" else c.store.playlist(oid)
    if obj is None or not opens(c.store, obj, segs[-1]):
        return None
    return f"{target}?secret_token={segs[-1]}"


def resolve(c: Ctx) -> Response:
    url = c.req.args.get("url", "")
    try:
        parts = urlsplit(url if "://" in url else "https://" + url)
        host = (parts.hostname or "").lower()
    except ValueError:  # not a URL at all: "[", a bad port
        raise ApiAbort(404, f"could not resolve {url}") from None
    segs = [s for s in parts.path.split("/") if s]
    target = None
    if host == "on.soundcloud.com" and len(segs) == 1:
        target = _short_link(c, segs[0])
    elif host in WEB_HOSTS and _is_secret(segs):
        target = _secret_path(c, segs)
    elif host in WEB_HOSTS and segs:
        target = _user_path(c, segs)
    if not target:
        raise ApiAbort(404, f"could not resolve {url}")
    location = c.api + target
    return Response(
        json.dumps({"status": "302 - Found", "location": location}),
        status=302,
        content_type=JSON_TYPE,
        headers={"Location": location},
    )


ROUTES = api("/resolve", "GET", handler=resolve)
