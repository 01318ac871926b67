"""How stored rows look on the wire: the API's User, Track, Playlist and Comment objects."""

from __future__ import annotations

import time
from typing import Any

WEB = "https://soundcloud.com"


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
        "discogs_name": "",
        "website": "",
        "website_title": "",
        "plan": u.get("plan", "Free"),
        # The spec types a User's times as RFC 3339 date-time (tracks keep the API's own format).
        "created_at": rfc3339(u.get("created_at", "")),
        "last_modified": rfc3339(u.get("created_at", "")),
        "followers_count": u.get("followers_count", 0),
        "followings_count": u.get("followings_count", 0),
        "public_favorites_count": 0,
        "reposts_count": 0,
        "track_count": 0,
        "playlist_count": 0,
    }
    if counts:
        out.update(counts)
    return out


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
            "artwork_url": _absolute(t.get("artwork_url"), api)
            or f"https://i1.sndcdn.invalid/artworks-{t['id']}-large.jpg",
            "waveform_url": f"https://wave.sndcdn.invalid/{t['id']}_m.png",
            "user_urn": user["urn"],
            "user": user,
            **counts,
        }
    )
    state = track_state(t)
    if state:
        out["state"] = state
    out.pop("download_url", None)
    if downloadable:
        out["download_url"] = f"{api}/tracks/{urn}/download"
    return out


def playlist_json(
    p: dict, user: dict, tracks: list[dict], api: str, show_tracks: bool, counts: dict
) -> dict:
    urn = f"soundcloud:playlists:{p['id']}"
    permalink = p.get("permalink") or slug(p["title"])
    out: dict[str, Any] = {
        k: v for k, v in p.items() if k not in ("tracks", "user_id") and not k.startswith("_")
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
            **counts,
        }
    )
    if show_tracks:
        out["tracks"] = tracks
    return out


def comment_json(c: dict, user: dict, api: str) -> dict:
    urn = f"soundcloud:comments:{c['id']}"
    out = {
        "kind": "comment",
        "urn": urn,
        "uri": f"{api}/comments/{urn}",
        "body": c["body"],
        "created_at": c["created_at"],
        # The spec types timestamp as a string; the API sends milliseconds from the start.
        "timestamp": None if c["timestamp"] is None else str(c["timestamp"]),
        "track_urn": f"soundcloud:tracks:{c['track_id']}",
        "user_urn": user["urn"],
        "user": {k: user[k] for k in ("urn", "kind", "permalink", "username", "avatar_url")},
    }
    if out["timestamp"] is None:
        del out["timestamp"]
    return out


def _absolute(url: str | None, api: str) -> str | None:
    """A stored path on the sandbox's own host (`/cdn/...`) as a URL for this request."""
    return f"{api}{url}" if url and url.startswith("/") else url


def rfc3339(api_time: str) -> str:
    # '2018/08/24 00:00:00 +0000' -> '2018-08-24T00:00:00Z'
    return api_time[:19].replace("/", "-").replace(" ", "T") + "Z" if api_time else ""


def track_permalink(title: str, tid: int) -> str:
    return f"{slug(title)}-{tid}"


def slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-") or "untitled"
