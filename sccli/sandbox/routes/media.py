"""Playback: stream URLs, their redirect to the CDN, and the CDN itself."""

from __future__ import annotations

import time

from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from sccli.sandbox.audio import silent_wav
from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import visible_track
from sccli.sandbox.views import track_state

STREAM_FORMATS = ("hls_aac_160", "hls_mp3_128", "preview_mp3_128")


def streams(c: Ctx, ref: str) -> Response:
    t = visible_track(c, ref)
    base = f"{c.api}/tracks/soundcloud:tracks:{t['id']}/streams"
    if t.get("access") == "blocked" or track_state(t) in ("processing", "failed"):
        return json_response({})
    if t.get("access") == "preview":
        return json_response({"preview_mp3_128_url": f"{base}/preview_mp3_128"})
    return json_response({f"{f}_url": f"{base}/{f}" for f in STREAM_FORMATS})


def stream(c: Ctx, ref: str, fmt: str) -> Response:
    t = visible_track(c, ref)
    if fmt not in STREAM_FORMATS:
        raise ApiAbort(404, "no such stream")
    location = f"{c.api}/cdn/{t['id']}/{fmt}?Policy=sandbox&Signature={int(time.time())}"
    return Response(status=302, headers={"Location": location})


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
            wrap_file(c.req.environ, f), content_type="audio/mpeg", direct_passthrough=True
        )
    # Seed tracks have no audio of their own: serve a short silent WAV.
    return Response(silent_wav(), content_type="audio/wav")


ROUTES = [
    *api("/tracks/<ref>/streams", "GET", handler=streams),
    *api("/tracks/<ref>/streams/<fmt>", "GET", handler=stream),
    *api("/cdn/<int:tid>/<fmt>", "GET", handler=cdn, auth=False),
]
