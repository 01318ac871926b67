"""POST /tracks: an upload, and the track fields it shares with PUT /tracks/{urn}."""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from sccli.sandbox.audio import wav_duration_ms
from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import form_fields
from sccli.sandbox.seed import LICENSES, api_time
from sccli.sandbox.views import track_permalink

TRACK_FIELDS: dict[str, type] = {
    "title": str,
    "description": str,
    "genre": str,
    "tag_list": str,
    "license": str,
    "sharing": str,
    "release_date": str,
    "purchase_url": str,
    "label_name": str,
    "isrc": str,
    "permalink": str,
    "downloadable": bool,
    "streamable": bool,
    "commentable": bool,
    "embeddable_by": str,
    "release": str,
    "reveal_stats": bool,
    "reveal_comments": bool,
}
NEW_TRACK: dict[str, Any] = {
    "description": "",
    "genre": "",
    "tag_list": "",
    "license": "all-rights-reserved",
    "sharing": "public",
    "streamable": True,
    "downloadable": True,
    "commentable": True,
    "reveal_stats": True,
    "reveal_comments": True,
    "playback_count": 0,
    "favoritings_count": 0,
    "reposts_count": 0,
    "comment_count": 0,
    "download_count": 0,
    "access": "playable",
    "bpm": 0,
    "label_name": "",
    "isrc": "",
    "purchase_url": "",
}


def now_api() -> str:
    return api_time(datetime.now(timezone.utc))


def _bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")


def _raw_track_fields(req: Request) -> dict:
    if req.is_json:
        body = req.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("track", {}), dict):
            raise ApiAbort(400, 'send {"track": {...}}')
        return dict(body.get("track") or {})
    return form_fields(req, "track")


def track_form(req: Request, bad: int = 422) -> dict:
    """Track fields from JSON {"track": {...}} or multipart/urlencoded track[...].

    A bad value is `bad`: 422 for an upload, 400 for an update (what the spec lists for each).
    """
    out: dict[str, Any] = {}
    for key, value in _raw_track_fields(req).items():
        if key == "asset_data":
            raise ApiAbort(bad, "asset_data cannot be changed: upload a new track instead")
        if key in TRACK_FIELDS:
            out[key] = _bool(value) if TRACK_FIELDS[key] is bool else str(value)
    if "license" in out and out["license"] not in LICENSES:
        raise ApiAbort(bad, f"license must be one of {', '.join(LICENSES)}")
    if "sharing" in out and out["sharing"] not in ("public", "private"):
        raise ApiAbort(bad, "sharing must be public or private")
    if "release_date" in out:
        try:
            d = datetime.strptime(out["release_date"], "%Y-%m-%d")
        except ValueError:
            raise ApiAbort(bad, "release_date must be yyyy-mm-dd") from None
        out.update(release_year=d.year, release_month=d.month, release_day=d.day)
    return out


def save_artwork(c: Ctx, tid: int, field: str) -> str | None:
    art = c.req.files.get(field)
    if not art:
        return None
    art.save(c.store.dir / "audio" / f"{tid}.artwork")
    return f"{c.api}/cdn/{tid}/artwork"


def looks_like_text(head: bytes) -> bool:
    if not head:
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _save_asset(c: Ctx) -> tuple[Path, str, bytes, int]:
    """The uploaded file, saved under a name of its own; its extension, first bytes and size
    (as counted: past `keep_upload_bytes` only the start is kept, see sink.py)."""
    asset = c.req.files.get("track[asset_data]")
    if not asset:
        raise ApiAbort(422, "track[title] and track[asset_data] are required")
    if len(asset.filename or "") > 255:
        raise ApiAbort(422, "file name is longer than 255 characters")
    path = c.store.dir / "audio" / f"upload-{secrets.token_hex(8)}.audio"
    asset.save(path)
    with open(path, "rb") as f:
        head = f.read(512)
    if not head:
        path.unlink()
        raise ApiAbort(422, "unable to process provided asset_data")
    size = getattr(asset.stream, "total", None) or path.stat().st_size
    return path, (asset.filename or "").rsplit(".", 1)[-1].lower(), head, size


def upload(c: Ctx) -> Response:
    uid = c.user_id()
    fields = track_form(c.req)
    if not fields.get("title"):
        raise ApiAbort(422, "track[title] and track[asset_data] are required")
    path, ext, head, size = _save_asset(c)
    t = dict(NEW_TRACK, user_id=uid, created_at=now_api(), original_format=ext)
    t["_filename"] = c.req.files["track[asset_data]"].filename or ""  # for Content-Disposition
    duration = wav_duration_ms(path) if ext in ("wav", "wave") or head[:4] == b"RIFF" else None
    # Other formats: a rough guess from the size (about 128 kbit/s).
    t.update(duration=duration if duration is not None else max(1000, size // 16))
    t.update(original_content_size=size, **fields)
    # Text posing as audio gets through the upload but fails transcoding, as on SoundCloud.
    if looks_like_text(head):
        t["_failed"] = True
    ready = time.time() + c.cfg("transcode_delay")
    tid = c.store.insert_track(t, str(path), ready, time.time())
    art = save_artwork(c, tid, "track[artwork_data]")
    extra = {"permalink": t.get("permalink") or track_permalink(t["title"], tid)}
    if art:
        extra["artwork_url"] = art
    return json_response(c.views.track(c.store.update_track(tid, extra) or t), 201)


ROUTES = api("/tracks", "POST", handler=upload)
