"""Playback and downloads: stream URLs and their redirect to the CDN, previews, the original
file (with Range, for resuming), and the CDN itself."""

from __future__ import annotations

import io
import os
import time
from typing import IO
from urllib.parse import quote

from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from sccli.sandbox.audio import silent_wav
from sccli.sandbox.context import Ctx
from sccli.sandbox.faults import Throttled
from sccli.sandbox.http import ApiAbort, error_body, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import visible_track
from sccli.sandbox.views import track_state

# Bytes a file is sent in: werkzeug's 8 KB default cost a Python round per 8 KB, and capped
# every download at what the sandbox could push rather than what the client could take.
BLOCK = 1024 * 1024
STREAM_FORMATS = ("hls_aac_160", "hls_aac_96", "hls_mp3_128", "preview_mp3_128")
MEDIA_TYPES = {
    "wav": "audio/wav",
    "wave": "audio/wav",
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "aif": "audio/aiff",
    "aiff": "audio/aiff",
    "aac": "audio/aac",
    "m4a": "audio/mp4",
}


def streams(c: Ctx, ref: str) -> Response:
    t = visible_track(c, ref)
    if t.get("access") == "blocked" or track_state(t) in ("processing", "failed"):
        return json_response({})
    formats = ("preview_mp3_128",) if t.get("access") == "preview" else STREAM_FORMATS
    if c.cfg("signed_streams"):  # as the live API may: signed CDN links, no API hop
        return json_response({f"{f}_url": _cdn_link(c, t, f) for f in formats})
    base = f"{c.api}/tracks/soundcloud:tracks:{t['id']}/streams"
    # A secret link's token goes along on the hop too: without it a private track is 404.
    query = f"?secret_token={quote(c.views.secret)}" if c.views.secret else ""
    return json_response({f"{f}_url": f"{base}/{f}{query}" for f in formats})


def _cdn_link(c: Ctx, t: dict, fmt: str) -> str:
    """A signed link on the "CDN": this server under its other loopback name, so that, as
    on SoundCloud, the CDN is a host other than the API's and needs no token."""
    host = c.api.replace("://127.0.0.1", "://localhost", 1)
    if host == c.api:
        host = c.api.replace("://localhost", "://127.0.0.1", 1)
    return f"{host}/cdn/{t['id']}/{fmt}?Policy=sandbox&Signature={int(time.time())}"


def _to_cdn(c: Ctx, t: dict, fmt: str) -> Response:
    """A play: remembered for /me/recently-played, then off to the CDN."""
    if c.viewer is not None:
        c.store.rel.played(int(c.viewer), t["id"])
    location = _cdn_link(c, t, fmt)
    body = {"status": "302 - Found", "location": location}
    return json_response(body, 302, headers={"Location": location})


def stream(c: Ctx, ref: str, fmt: str) -> Response:
    t = visible_track(c, ref)
    if fmt not in STREAM_FORMATS:
        raise ApiAbort(404, "no such stream")
    return _to_cdn(c, t, fmt)


def preview(c: Ctx, ref: str) -> Response:
    t = visible_track(c, ref)
    if t.get("access") == "blocked" or track_state(t) in ("processing", "failed"):
        raise ApiAbort(404, "this track has no preview")
    return _to_cdn(c, t, "preview_mp3_128")


def _not_found() -> Response:
    return Response(b"not found", status=404, content_type="text/plain")


def cdn(c: Ctx, tid: int, fmt: str) -> Response:
    t = c.store.track(tid)
    if t is None:
        return _not_found()
    if fmt == "artwork":
        path = c.store.dir / "audio" / f"{tid}.artwork"
        if not path.exists():
            return _not_found()
        return Response(path.read_bytes(), content_type="image/jpeg")
    if t.get("_file"):
        f = open(t["_file"], "rb")  # noqa: SIM115 - closed by the WSGI server
        return Response(
            wrap_file(c.req.environ, f, BLOCK), content_type="audio/mpeg", direct_passthrough=True
        )
    # Seed tracks have no audio of their own: serve a short silent WAV.
    return Response(silent_wav(), content_type="audio/wav")


def cdn_set_artwork(c: Ctx, pid: int) -> Response:
    path = c.store.dir / "audio" / f"set-{pid}.artwork"
    if not path.exists():
        return _not_found()
    return Response(path.read_bytes(), content_type="image/jpeg")


def attachment(t: dict, ext: str) -> str:
    """Content-Disposition naming the file as it was uploaded (seed tracks: after the title),
    RFC 6266. The UTF-8 form carries the name as given, hostile or not: making it safe is the
    client's job, as with the real API. The plain form is a printable ASCII stand-in."""
    name = t.get("_filename") or f"{(t.get('title') or '').strip() or 'track'}.{ext}"
    plain = "".join("_" if ch in '/\\"' or not ch.isprintable() else ch for ch in name)
    plain = plain.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _original(t: dict) -> tuple[IO[bytes], int, str, float]:
    """The uploaded file as it arrived (seed tracks: a silent WAV): stream, size, type, mtime."""
    if t.get("_file"):
        f = open(t["_file"], "rb")  # noqa: SIM115 - closed with the response
        st = os.fstat(f.fileno())
        return f, st.st_size, (t.get("original_format") or "bin").lower(), st.st_mtime
    data = silent_wav()
    return io.BytesIO(data), len(data), "wav", 0.0


def download(c: Ctx, ref: str) -> Response:
    t = visible_track(c, ref)
    mine = t["user_id"] == c.viewer
    if not mine and not (t.get("downloadable") and t.get("access") != "blocked"):
        # What the API answers (soundcloud/api#118): 404, not 403. Its owner may always.
        raise ApiAbort(404, "the owner has not made this track downloadable")
    f, size, ext, mtime = _original(t)
    rate = c.cfg("download_bandwidth")
    resp = Response(
        wrap_file(c.req.environ, Throttled(f, rate) if rate > 0 else f, BLOCK),  # type: ignore[arg-type]
        mimetype=MEDIA_TYPES.get(ext, "application/octet-stream"),
        direct_passthrough=True,
    )
    resp.headers["Content-Disposition"] = attachment(t, ext)
    resp.content_length = size
    resp.set_etag(f"{t['id']}-{size}-{int(mtime)}")
    try:
        return resp.make_conditional(c.req, accept_ranges=True, complete_length=size)
    except RequestedRangeNotSatisfiable:
        resp.close()
        refused = json_response(error_body(416, "the range is outside the file"), 416)
        refused.headers["Content-Range"] = f"bytes */{size}"
        return refused


ROUTES = [
    *api("/tracks/<ref>/streams", "GET", handler=streams),
    *api("/tracks/<ref>/streams/<fmt>", "GET", handler=stream),
    *api("/tracks/<ref>/preview", "GET", handler=preview),
    *api("/tracks/<ref>/download", "GET", handler=download),
    *api("/cdn/<int:tid>/<fmt>", "GET", handler=cdn, auth=False),
    *api("/cdn/sets/<int:pid>/artwork", "GET", handler=cdn_set_artwork, auth=False),
]
