"""Test-only controls over sandbox-user's downloadable library: more tracks with real files
(for sync tests and benchmarks), and a track made (not) downloadable by its owner's hand."""

from __future__ import annotations

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.library import Entry, add_tracks
from sccli.sandbox.routes import ctl
from sccli.sandbox.routes.base import ref_id

MAX_TRACKS = 5000
MAX_SIZE = 64 * 1024 * 1024
LISTS = ("likes", "reposts", "none")


def _spec(c: Ctx) -> dict:
    spec = c.req.get_json(silent=True)
    if not isinstance(spec, dict):
        raise ApiAbort(400, "send a JSON object")
    return spec


def _number(spec: dict, key: str, default: int, top: int) -> int:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise ApiAbort(400, f"{key} must be a whole number from 0 to {top}")
    return value


def _titles(spec: dict, count: int) -> list[str]:
    titles = spec.get("titles")
    if titles is None:
        return [f"Library Track {n + 1}" for n in range(count)]
    if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
        raise ApiAbort(400, "titles must be a list of strings")
    return titles


def library(c: Ctx) -> Response:
    """{"count": N, "size": BYTES, "format": "mp3", "titles": [...], "list": "likes"}: N new
    downloadable tracks (or one per title) liked (or reposted) by sandbox-user; their URNs."""
    spec = _spec(c)
    fmt = spec.get("format", "mp3")
    if fmt not in ("mp3", "flac", "wav", "m4a", "aac"):
        raise ApiAbort(400, "format must be mp3, flac, wav, m4a or aac")
    where = spec.get("list", "likes")
    if where not in LISTS:
        raise ApiAbort(400, f"list must be one of {', '.join(LISTS)}")
    titles = _titles(spec, _number(spec, "count", 1, MAX_TRACKS))[:MAX_TRACKS]
    size = _number(spec, "size", 32 * 1024, MAX_SIZE)
    entries = tuple(
        Entry(t, fmt, liked=where == "likes", reposted=where == "reposts") for t in titles
    )
    with c.store.db.transaction():
        ids = add_tracks(c.store, entries, max(size, 1024), first=None)
    return json_response({"urns": [f"soundcloud:tracks:{i}" for i in ids]})


def track(c: Ctx) -> Response:
    """{"track": URN, "downloadable": false}: as if its owner had changed it."""
    spec = _spec(c)
    tid = ref_id(str(spec.get("track", "")), "track")
    if not isinstance(spec.get("downloadable"), bool):
        raise ApiAbort(400, "downloadable must be true or false")
    t = c.store.update_track(tid, {"downloadable": spec["downloadable"]})
    if t is None:
        raise ApiAbort(404, "track not found")
    return json_response({"urn": f"soundcloud:tracks:{tid}", "downloadable": t["downloadable"]})


def original(c: Ctx, tid: int) -> Response:
    """The original file of a library track, byte for byte, for tests to compare with."""
    t = c.store.track(tid)
    if t is None or not t.get("_file"):
        raise ApiAbort(404, "no such file")
    with open(t["_file"], "rb") as f:
        return Response(f.read(), content_type="application/octet-stream")


ROUTES = [
    *ctl("/_sandbox/library", "POST", handler=library),
    *ctl("/_sandbox/track", "POST", handler=track),
    *ctl("/_sandbox/original/<int:tid>", "GET", handler=original),
]
