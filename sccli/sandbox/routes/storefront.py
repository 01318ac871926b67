"""PUT /tracks/{urn}/storefront: the buy module on a track page, replaced whole each time."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import visible_track

TYPES = (
    "digital",
    "vinyl",
    "cd",
    "cassette",
    "apparel",
    "sample_pack",
    "subscription",
    "live_event",
    "live_stream",
    "other",
)
LIMITS = {"title": 100, "link": 255, "link_title": 50, "description": 500, "price": 20}
REQUIRED = ("title", "type", "link")


def _fields(body: Any) -> dict[str, str | None]:
    if not isinstance(body, dict):
        raise ApiAbort(400, "send a JSON object: title, type, link (and link_title, ...)")
    for key in REQUIRED:
        if not isinstance(body.get(key), str) or not body[key].strip():
            raise ApiAbort(400, f"{key} is required")
    out: dict[str, str | None] = {}
    for key, limit in {**LIMITS, "type": 20}.items():
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            raise ApiAbort(400, f"{key} must be a string")
        if value is not None and len(value) > limit:
            raise ApiAbort(400, f"{key} is longer than {limit} characters")
        out[key] = value  # an optional field left out is cleared
    if out["type"] not in TYPES:
        raise ApiAbort(400, f"type must be one of {', '.join(TYPES)}")
    if not str(out["link"]).startswith(("http://", "https://")):
        raise ApiAbort(400, "link must be an http(s) URL")
    return out


def put_storefront(c: Ctx, ref: str) -> Response:
    t = visible_track(c, ref)
    uid = c.user_id()
    if t["user_id"] != uid:
        raise ApiAbort(403, "you can only set the storefront of your own tracks")
    if "pro" not in str((c.store.user(uid) or {}).get("plan", "")).lower():
        raise ApiAbort(403, "a storefront needs a creator subscription with purchase options")
    store = {"track_urn": f"soundcloud:tracks:{t['id']}", **_fields(c.req.get_json(silent=True))}
    store["image_url"] = None  # managed on soundcloud.com
    c.store.rel.set_storefront(t["id"], store)
    return json_response(store)


ROUTES = api("/tracks/<ref>/storefront", "PUT", handler=put_storefront)
