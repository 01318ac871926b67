"""How stored rows look on the wire: the API's User, Track, Playlist and Comment objects."""

from __future__ import annotations

import time
from typing import Any

WEB = "https://soundcloud.com"
# What the live API sends as null, not "", when nothing is set (the recorded answers and the
# spec's examples); the store keeps "" and these views say null.
USER_NULLS = ("city", "country", "description", "discogs_name", "website", "website_title")
TRACK_NULLS = ("isrc", "purchase_url", "purchase_title", "key_signature", "release", "bpm")
SET_NULLS = ("description", "ean", "purchase_url", "label_name")


def _nulls(out: dict, keys: tuple[str, ...]) -> dict:
    for k in keys:
        if out.get(k) in ("", 0):
            out[k] = None
    return out


def user_json(u: dict, api: str, counts: dict | None = None) -> dict:
    urn = f"soundcloud:users:{u['id']}"
    out = {
        "id": u["id"],
        "urn": urn,
        "kind": "user",
        "username": u["username"],
        "permalink": u["permalink"],
        "permalink_url": f"{WEB}/{u['permalink']}",
        "uri": f"{api}/users/{urn}",
        "avatar_url": f"https://i1.sndcdn.invalid/avatars-{u['id']}-large.jpg",
        "full_name": u.get("full_name", ""),
        "first_name": u.get("first_name", ""),
        "last_name": u.get("last_name", ""),
        "city": u.get("city", ""),
        "country": u.get("country", ""),
        "description": u.get("description", ""),
        "discogs_name": None,
        "myspace_name": None,
        "website": None,
        "website_title": None,
        "online": False,
        "plan": u.get("plan", "Free"),
        "subscriptions": subscriptions(u.get("plan", "Free")),
        # The API's own time format, as every real user has it (the spec's User schema says
        # date-time, but its examples and the live API send this).
        "created_at": u.get("created_at", ""),
        "last_modified": u.get("created_at", ""),
        "followers_count": u.get("followers_count", 0),
        "followings_count": u.get("followings_count", 0),
        "public_favorites_count": 0,
        "reposts_count": 0,
        "track_count": 0,
        "playlist_count": 0,
    }
    if counts:
        out.update(counts)
    return _nulls(out, USER_NULLS)


def subscriptions(plan: str) -> list[dict]:
    """A user's subscriptions, as the live API lists them: none on the free plan."""
    return [] if plan == "Free" else [{"product": {"id": slug(plan), "name": plan}}]


def me_json(user: dict, private: dict, seconds_used: int) -> dict:
    """/me: a User and what only its owner sees (the spec's Me, a recorded /me of 2025)."""
    unlimited = user.get("plan") != "Free"
    left = 0 if unlimited else max(0, 3 * 3600 - seconds_used)  # free: three hours
    return {
        **user,
        "comments_count": 0,  # the spec: "the field always has a `0` value"
        "likes_count": user.get("public_favorites_count", 0),
        "locale": "",
        "primary_email_confirmed": True,
        "private_tracks_count": private.get("tracks", 0),
        "private_playlists_count": private.get("playlists", 0),
        "quota": {
            "unlimited_upload_quota": unlimited,
            "upload_seconds_used": seconds_used,
            "upload_seconds_left": left,
        },
        "upload_seconds_left": left,
    }


def track_state(t: dict, now: float | None = None) -> str | None:
    if not t.get("_file"):
        return None
    if t.get("_failed"):
        return "failed"
    return "finished" if (now or time.time()) >= (t.get("_ready_at") or 0) else "processing"


def track_json(t: dict, user: dict, api: str, counts: dict, downloadable: bool) -> dict:
    """A Track; `downloadable`: it carries a download_url."""
    urn = f"soundcloud:tracks:{t['id']}"
    permalink = t.get("permalink") or track_permalink(t["title"], t["id"])
    out: dict[str, Any] = {k: v for k, v in t.items() if not k.startswith("_") and k != "user_id"}
    out.update(
        {
            "kind": "track",
            "urn": urn,
            "uri": f"{api}/tracks/{urn}",
            "permalink": permalink,
            "permalink_url": f"{WEB}/{user['permalink']}/{permalink}",
            # None without artwork of its own, as the live API answers (its web pages show
            # the uploader's avatar instead): a made-up CDN address could not be fetched.
            "artwork_url": _absolute(t.get("artwork_url"), api),
            "waveform_url": f"https://wave.sndcdn.invalid/{t['id']}_m.png",
            "user_urn": user["urn"],
            "user": user,
            "last_modified": t.get("created_at", ""),
            "embeddable_by": "all",
            "available_country_codes": None,
            **counts,
        }
    )
    for k in ("purchase_title", "key_signature", "release"):
        out.setdefault(k, None)
    _nulls(out, TRACK_NULLS)
    state = track_state(t)
    if state:
        out["state"] = state
    # null when downloads are off, as the live API sends it
    out["download_url"] = f"{api}/tracks/{urn}/download" if downloadable else None
    return out


def playlist_json(
    p: dict, user: dict, tracks: list[dict], api: str, show_tracks: bool, counts: dict
) -> dict:
    urn = f"soundcloud:playlists:{p['id']}"
    permalink = p.get("permalink") or slug(p["title"])
    out: dict[str, Any] = {
        # set_type is only a request field: a set answers with playlist_type (and type).
        k: v
        for k, v in p.items()
        if k not in ("tracks", "user_id", "set_type") and not k.startswith("_")
    }
    out.update(
        {
            "kind": "playlist",
            "urn": urn,
            "uri": f"{api}/playlists/{urn}",
            "permalink": permalink,
            "permalink_url": f"{WEB}/{user['permalink']}/sets/{permalink}",
            "playlist_type": p.get("set_type", "playlist"),
            "type": p.get("set_type", "playlist"),
            "artwork_url": p.get("artwork_url") or "",
            "track_count": len(tracks),
            "duration": sum(int(t.get("duration") or 0) for t in tracks),
            "tracks_uri": f"{api}/playlists/{urn}/tracks",
            "user_urn": user["urn"],
            "user": user,
            "last_modified": p.get("created_at", ""),
            "embeddable_by": "all",
            "streamable": True,
            "downloadable": False,
            "tags": p.get("tag_list", ""),
            **_release_parts(p.get("release_date")),
            **counts,
        }
    )
    for k in (
        "ean",
        "label",
        "label_name",
        "purchase_url",
        "purchase_title",
        "release",
        "label_id",
    ):
        out.setdefault(k, None)
    _nulls(out, SET_NULLS)
    if show_tracks:
        out["tracks"] = tracks
    return out


def comment_json(c: dict, user: dict, api: str) -> dict:
    urn = f"soundcloud:comments:{c['id']}"
    out = {
        "kind": "comment",
        "id": c["id"],
        "urn": urn,
        "uri": f"{api}/comments/{urn}",
        "body": c["body"],
        "created_at": c["created_at"],
        # Milliseconds from the start, a number (the spec's example and a recorded comment;
        # its schema says string: tests/openapi_spec.py).
        "timestamp": c["timestamp"],
        "track_urn": f"soundcloud:tracks:{c['track_id']}",
        "user_urn": user["urn"],
        "user": {k: user[k] for k in ("urn", "kind", "permalink", "username", "avatar_url")},
    }
    if out["timestamp"] is None:
        del out["timestamp"]
    return out


def _release_parts(date: str | None) -> dict:
    """A set's release_year/month/day, as the live API gives them (null when unset)."""
    parts = str(date or "")[:10].replace("/", "-").split("-")
    if len(parts) == 3 and all(x.isdigit() for x in parts):
        return {
            "release_year": int(parts[0]),
            "release_month": int(parts[1]),
            "release_day": int(parts[2]),
        }
    return {"release_year": None, "release_month": None, "release_day": None}


def _absolute(url: str | None, api: str) -> str | None:
    """A stored path on the sandbox's own host (`/cdn/...`) as a URL for this request."""
    return f"{api}{url}" if url and url.startswith("/") else url


def track_permalink(title: str, tid: int) -> str:
    return f"{slug(title)}-{tid}"


def slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-") or "untitled"
