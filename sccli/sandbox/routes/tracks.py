"""Tracks: search with its filters, and one track (get, update, delete)."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import ApiAbort, json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import ok, own_track, page, visible_track
from sccli.sandbox.routes.uploads import save_artwork, track_form

Pred = Callable[[dict], bool]
Args = MultiDict[str, str]


# -- search filters: each reads its query parameters once and gives a predicate, or None ----------
def _access(a: Args, usernames: dict[int, str]) -> Pred | None:
    allowed = {x.strip() for x in (a.get("access") or "playable,preview").split(",")}
    return lambda t: t.get("access", "playable") in allowed


def _words(a: Args, usernames: dict[int, str]) -> Pred | None:
    words = (a.get("q") or "").lower().split()
    if not words:
        return None

    def match(t: dict) -> bool:
        fields = ("title", "description", "tag_list")
        hay = " ".join([*(t.get(f) or "" for f in fields), usernames.get(t["user_id"], "")])
        return all(w in hay.lower() for w in words)

    return match


def _genres(a: Args, usernames: dict[int, str]) -> Pred | None:
    genres = {g.strip().lower() for g in (a.get("genres") or "").split(",") if g.strip()}
    return (lambda t: (t.get("genre") or "").lower() in genres) if genres else None


@lru_cache(maxsize=8192)
def tag_set(tag_list: str) -> frozenset[str]:
    """The tags of a tag_list: space separated, multi-word ones in double quotes."""
    try:
        return frozenset(x.lower() for x in shlex.split(tag_list))
    except ValueError:  # an unbalanced quote
        return frozenset(tag_list.lower().split())


def _tags(a: Args, usernames: dict[int, str]) -> Pred | None:
    wanted = {x.strip().lower() for x in (a.get("tags") or "").split(",") if x.strip()}
    return (lambda t: bool(wanted & tag_set(t.get("tag_list") or ""))) if wanted else None


def _urns(a: Args, usernames: dict[int, str]) -> Pred | None:
    urns = {u.strip() for u in (a.get("urns") or "").split(",") if u.strip()}
    return (lambda t: f"soundcloud:tracks:{t['id']}" in urns) if urns else None


def _number(a: Args, key: str) -> float | None:
    text = a.get(key)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise ApiAbort(400, f"{key} must be a number") from None


def _range(field: str) -> Callable[[Args, dict[int, str]], Pred | None]:
    def build(a: Args, usernames: dict[int, str]) -> Pred | None:
        lo, hi = _number(a, f"{field}[from]"), _number(a, f"{field}[to]")
        if lo is None and hi is None:
            return None
        low = float("-inf") if lo is None else lo
        high = float("inf") if hi is None else hi
        return lambda t: low <= float(t.get(field) or 0) <= high

    return build


def _api_date(text: str) -> str:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).strftime("%Y/%m/%d %H:%M:%S")
        except ValueError:
            pass
    raise ApiAbort(400, f"invalid date {text!r}: use yyyy-mm-dd hh:mm:ss")


def _created(a: Args, usernames: dict[int, str]) -> Pred | None:
    lo, hi = a.get("created_at[from]"), a.get("created_at[to]")
    if not lo and not hi:
        return None
    low = _api_date(lo) if lo else ""
    high = _api_date(hi) if hi else "9999"
    return lambda t: low <= (t.get("created_at") or "")[:19] <= high


FILTERS = (_access, _words, _genres, _tags, _urns, _range("bpm"), _range("duration"), _created)


def track_filter(a: Args, usernames: dict[int, str]) -> Pred:
    """One predicate for a search's query: public, and every filter the query asks for."""
    preds = [p for build in FILTERS if (p := build(a, usernames)) is not None]
    return lambda t: t.get("sharing") != "private" and all(p(t) for p in preds)


# -- handlers -----------------------------------------------------------------------------------
PAGING = ("cursor", "offset", "limit", "linked_partitioning")


def search(c: Ctx) -> Response:
    a = c.req.args
    query = tuple(sorted((k, v) for k, v in a.items(multi=True) if k not in PAGING))

    def run() -> list[dict]:
        match = track_filter(a, c.store.usernames())
        return [t for t in c.store.all_tracks() if match(t)]

    return page(c.req, c.store.memo(("tracks", query), run), c.views.track)


def get_track(c: Ctx, ref: str) -> Response:
    return json_response(c.views.track(visible_track(c, ref)))


def update_track(c: Ctx, ref: str) -> Response:
    t = own_track(c, ref)
    fields = track_form(c.req, bad=400)
    art = save_artwork(c, t["id"], "track[artwork_data]")
    if art:
        fields["artwork_url"] = art
    updated = c.store.update_track(t["id"], fields)
    if updated is None:
        raise ApiAbort(404, "track not found")
    return json_response(c.views.track(updated))


def delete_track(c: Ctx, ref: str) -> Response:
    t = own_track(c, ref)
    c.store.delete_track(t["id"])
    return ok()


ROUTES = [
    *api("/tracks", "GET", handler=search),
    *api("/tracks/<ref>", "GET", handler=get_track),
    *api("/tracks/<ref>", "PUT", handler=update_track),
    *api("/tracks/<ref>", "DELETE", handler=delete_track),
]
