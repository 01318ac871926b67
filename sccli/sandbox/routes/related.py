"""Recommendations and profile links: related tracks, related artists, web profiles."""

from __future__ import annotations

from collections import Counter

from werkzeug.wrappers import Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import json_response
from sccli.sandbox.routes import api
from sccli.sandbox.routes.base import known_user, page, playable, user_page, visible_track
from sccli.sandbox.routes.tracks import tag_set

SERVICES = (
    ("personal", "Website", "https://example.com/{p}"),
    ("instagram", "Instagram", "https://instagram.com/{p}"),
    ("bandcamp", "Bandcamp", "https://{p}.bandcamp.com"),
)


def related_tracks(c: Ctx, ref: str) -> Response:
    """Public tracks sharing the most tags with this one, then its genre; newest id first."""
    t = visible_track(c, ref)
    tags, genre = tag_set(t.get("tag_list") or ""), (t.get("genre") or "").lower()

    def score(o: dict) -> tuple[int, int, int]:
        same = len(tags & tag_set(o.get("tag_list") or ""))
        return same, int((o.get("genre") or "").lower() == genre), o["id"]

    def rank() -> list[dict]:
        others = [
            o for o in c.store.all_tracks() if o["id"] != t["id"] and o["sharing"] != "private"
        ]
        return sorted((o for o in others if score(o)[:2] != (0, 0)), key=score, reverse=True)

    ranked = c.store.memo(("related", t["id"]), rank)
    return page(c.req, playable(c, ranked), c.views.track)


def _genres(c: Ctx) -> dict[int, Counter[str]]:
    by_user: dict[int, Counter[str]] = {}
    for t in c.store.all_tracks():
        if t.get("sharing") != "private" and t.get("genre"):
            by_user.setdefault(t["user_id"], Counter())[t["genre"]] += 1
    return by_user


def related_users(c: Ctx, ref: str) -> Response:
    """Artists whose tracks share this one's genres, most in common first."""
    uid = known_user(c, ref)
    genres = c.store.memo(("genres",), lambda: _genres(c))
    mine = genres.get(uid, Counter())

    def common(other: int) -> int:
        return sum(min(n, genres[other][g]) for g, n in mine.items())

    ranked = sorted((u for u in genres if u != uid and common(u)), key=lambda u: (-common(u), u))
    return user_page(c, ranked)


def web_profiles(c: Ctx, ref: str) -> Response:
    """Made up but stable: each user links zero to three places."""
    uid = known_user(c, ref)
    u = c.store.user(uid) or {}
    n = 2 if uid == 1001 else uid % 4
    out = [
        {
            "kind": "web-profile",
            "urn": f"soundcloud:web-profiles:{uid * 10 + i}",
            "service": service,
            "title": title,
            "url": url.format(p=u.get("permalink", "")),
            "username": u.get("permalink", ""),
            "created_at": u.get("created_at", ""),
        }
        for i, (service, title, url) in enumerate(SERVICES[:n])
    ]
    limit = c.req.args.get("limit", "")
    return json_response(out[: int(limit)] if limit.isdigit() and len(limit) < 6 else out)


ROUTES = [
    *api("/tracks/<ref>/related", "GET", handler=related_tracks),
    *api("/users/<ref>/related", "GET", handler=related_users),
    *api("/users/<ref>/web-profiles", "GET", handler=web_profiles),
]
