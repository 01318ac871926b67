"""Minimal list routes the client's tests need: reposts, followers, likes of anyone, related
users and tracks, web profiles, feeds and activities, recently played, original downloads.

Shaped per soundcloud-openapi.yaml: `{collection, next_href}` pages under linked_partitioning,
Activities as `{type, created_at, origin}` (plus `reposter` on reposts), web profiles as a
bare array.
"""

from __future__ import annotations

import io
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from sccli.sandbox.http import ApiAbort, json_response, page_of
from sccli.sandbox.seed import api_time

# What the CDN says an original is, by its file extension.
CONTENT_TYPES = {
    "wav": "audio/wav",
    "flac": "audio/flac",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "aiff": "audio/aiff",
    "aif": "audio/aiff",
}


def _ref_id(ref: str, kind: str) -> int:
    from sccli.sandbox.api import ref_id

    return ref_id(ref, kind)


def _stamp(epoch: float) -> str:
    return api_time(datetime.fromtimestamp(epoch, tz=timezone.utc))


class ListHandlers:
    # -- shared pieces -----------------------------------------------------------------------------
    def _user_ref(self, ref: str) -> int:
        uid = _ref_id(ref, "user")
        self.v_user(uid)  # 404 when there is no such user
        return uid

    def _shown(self, req: Request, obj: dict | None) -> bool:
        return obj is not None and (
            obj.get("sharing") != "private" or self._viewer(req) == obj["user_id"]
        )

    def _tracks_page(self, req: Request, ids: list[int]) -> Response:
        ts = [t for t in (self.store.track(i) for i in ids) if self._shown(req, t)]
        views: dict = {}
        return json_response(self._map_page(page_of(req, ts), lambda t: self.v_track(t, views)))

    def _playlists_page(self, req: Request, ids: list[int]) -> Response:
        ps = [p for p in (self.store.playlist(i) for i in ids) if self._shown(req, p)]
        view = lambda p: self.v_playlist(req, p, show_tracks=False)  # noqa: E731
        return json_response(self._map_page(page_of(req, ps), view))

    def _users_page(self, req: Request, ids: list[int]) -> Response:
        return json_response(self._map_page(page_of(req, ids), self.v_user))

    def _targets(self, table: str, uid: int, kind: str) -> list[int]:
        rows = self.store.q(
            f"SELECT target_id FROM {table} WHERE user_id=? AND kind=? ORDER BY rowid DESC",
            uid,
            kind,
        )
        return [r["target_id"] for r in rows]

    def _actors(self, table: str, kind: str, target: int) -> list[int]:
        rows = self.store.q(
            f"SELECT user_id FROM {table} WHERE kind=? AND target_id=? ORDER BY rowid DESC",
            kind,
            target,
        )
        return [r["user_id"] for r in rows]

    # -- likes of anyone ---------------------------------------------------------------------------
    def h_user_likes_tracks(self, req: Request, ref: str):
        return self._tracks_page(req, self._targets("likes", self._user_ref(ref), "track"))

    def h_user_likes_playlists(self, req: Request, ref: str):
        return self._playlists_page(req, self._targets("likes", self._user_ref(ref), "playlist"))

    def h_track_favoriters(self, req: Request, ref: str):
        t = self.visible_track(req, _ref_id(ref, "track"))
        return self._users_page(req, self._actors("likes", "track", t["id"]))

    # -- reposts -----------------------------------------------------------------------------------
    def _repost(self, req: Request, kind: str, target: int):
        uid = self.user_id(req)
        if req.method == "POST":
            self.store.x(
                "INSERT OR IGNORE INTO reposts VALUES (?, ?, ?, ?)", uid, kind, target, time.time()
            )
            return json_response({"status": "201 - Created"}, 201)
        self.store.x(
            "DELETE FROM reposts WHERE user_id=? AND kind=? AND target_id=?", uid, kind, target
        )
        return json_response({"status": "200 - OK"})

    def h_repost_track(self, req: Request, ref: str):
        return self._repost(req, "track", self.visible_track(req, _ref_id(ref, "track"))["id"])

    def h_repost_playlist(self, req: Request, ref: str):
        return self._repost(req, "playlist", self.visible_playlist(req, ref)["id"])

    def h_me_reposts_tracks(self, req: Request):
        return self._tracks_page(req, self._targets("reposts", self.user_id(req), "track"))

    def h_me_reposts_playlists(self, req: Request):
        return self._playlists_page(req, self._targets("reposts", self.user_id(req), "playlist"))

    def h_user_reposts_tracks(self, req: Request, ref: str):
        return self._tracks_page(req, self._targets("reposts", self._user_ref(ref), "track"))

    def h_user_reposts_playlists(self, req: Request, ref: str):
        return self._playlists_page(req, self._targets("reposts", self._user_ref(ref), "playlist"))

    def h_track_reposters(self, req: Request, ref: str):
        t = self.visible_track(req, _ref_id(ref, "track"))
        return self._users_page(req, self._actors("reposts", "track", t["id"]))

    def h_playlist_reposters(self, req: Request, ref: str):
        p = self.visible_playlist(req, ref)
        return self._users_page(req, self._actors("reposts", "playlist", p["id"]))

    # -- followers and followings ------------------------------------------------------------------
    def _followers(self, uid: int) -> list[int]:
        rows = self.store.q(
            "SELECT user_id FROM followings WHERE target_id=? ORDER BY at DESC", uid
        )
        return [r["user_id"] for r in rows]

    def _followings(self, uid: int) -> list[int]:
        rows = self.store.q(
            "SELECT target_id FROM followings WHERE user_id=? ORDER BY at DESC", uid
        )
        return [r["target_id"] for r in rows]

    def h_me_followers(self, req: Request):
        return self._users_page(req, self._followers(self.user_id(req)))

    def h_user_followers(self, req: Request, ref: str):
        return self._users_page(req, self._followers(self._user_ref(ref)))

    def h_user_followings(self, req: Request, ref: str):
        return self._users_page(req, self._followings(self._user_ref(ref)))

    # -- related, web profiles ---------------------------------------------------------------------
    def h_track_related(self, req: Request, ref: str):
        t = self.visible_track(req, _ref_id(ref, "track"))
        genre = (t.get("genre") or "").lower()
        ids = [
            x["id"]
            for x in self.store.all_tracks()
            if x["id"] != t["id"]
            and (x.get("genre") or "").lower() == genre
            and x.get("sharing") != "private"
        ]
        return self._tracks_page(req, ids)

    def h_user_related(self, req: Request, ref: str):
        uid = self._user_ref(ref)
        city = (self.store.user(uid) or {}).get("city")
        rows = self.store.q("SELECT id FROM users ORDER BY id")
        ids = [r["id"] for r in rows if r["id"] != uid and self.store.user(r["id"])["city"] == city]
        return self._users_page(req, ids)

    def h_user_web_profiles(self, req: Request, ref: str):
        u = self.store.user(self._user_ref(ref)) or {}
        links = [("personal", "Website", f"https://{u['permalink']}.example.net", "")]
        if u["id"] % 2:
            links.append(
                (
                    "instagram",
                    "Instagram",
                    f"https://instagram.com/{u['permalink']}",
                    u["permalink"],
                )
            )
        body = [
            {
                "kind": "web-profile",
                "id": u["id"] * 10 + n,
                "urn": f"soundcloud:web-profiles:{u['id'] * 10 + n}",
                "service": service,
                "title": title,
                "url": url,
                "username": username,
                "created_at": u.get("created_at", ""),
            }
            for n, (service, title, url, username) in enumerate(links)
        ]
        return json_response(body)

    # -- feeds and activities ----------------------------------------------------------------------
    def _activities(self, req: Request, authors: list[int], tracks_only: bool) -> list[dict]:
        """What these users posted and reposted, newest first."""
        # (type, created_at, exact time for ties within a second, object, reposter)
        found: list[tuple[str, str, float, dict, int | None]] = []
        for uid in authors:
            for r in self.store.q("SELECT id, created FROM tracks WHERE user_id=?", uid):
                t = self.store.track(r["id"])
                if self._shown(req, t):
                    found.append(("track", t["created_at"], r["created"], t, None))
            for r in self.store.q("SELECT id FROM playlists WHERE user_id=?", uid):
                p = self.store.playlist(r["id"])
                if not tracks_only and self._shown(req, p):
                    found.append(("playlist", p["created_at"], 0, p, None))
            for r in self.store.q("SELECT * FROM reposts WHERE user_id=?", uid):
                if tracks_only and r["kind"] != "track":
                    continue
                obj = (self.store.track if r["kind"] == "track" else self.store.playlist)(
                    r["target_id"]
                )
                if self._shown(req, obj):
                    found.append((f"{r['kind']}:repost", _stamp(r["at"]), r["at"], obj, uid))
        found.sort(key=lambda a: (a[1], a[2]), reverse=True)
        return [self._activity(req, kind, at, obj, by) for kind, at, _, obj, by in found]

    def _activity(self, req: Request, kind: str, at: str, obj: dict, by: int | None) -> dict:
        origin = (
            self.v_track(obj)
            if kind.startswith("track")
            else self.v_playlist(req, obj, show_tracks=False)
        )
        out = {"type": kind, "created_at": at, "origin": origin}
        if by is not None:
            out["reposter"] = f"soundcloud:users:{by}"
        return out

    def _feed(self, req: Request, *, own: bool = False, tracks_only: bool = False):
        uid = self.user_id(req)
        authors = [uid] if own else self._followings(uid)
        return json_response(page_of(req, self._activities(req, authors, tracks_only)))

    def h_me_feed(self, req: Request):
        return self._feed(req)

    def h_me_feed_tracks(self, req: Request):
        return self._feed(req, tracks_only=True)

    def h_me_activities(self, req: Request):
        return self._feed(req)

    def h_me_activities_own(self, req: Request):
        return self._feed(req, own=True)

    def h_me_activities_tracks(self, req: Request):
        return self._feed(req, tracks_only=True)

    # -- recently played ---------------------------------------------------------------------------
    def record_play(self, req: Request, tid: int) -> None:
        uid = self._viewer(req)
        if uid is not None:
            self.store.x("INSERT INTO plays VALUES (?, ?, ?)", uid, tid, time.time())

    def h_me_recently_played(self, req: Request):
        # Up to 25, newest first, each once, no pagination and no limit (the spec).
        rows = self.store.q(
            "SELECT track_id, MAX(at) AS last FROM plays WHERE user_id=? "
            "GROUP BY track_id ORDER BY last DESC",
            self.user_id(req),
        )
        ts = [t for t in (self.store.track(r["track_id"]) for r in rows) if self._shown(req, t)]
        views: dict = {}
        return json_response({"collection": [self.v_track(t, views) for t in ts[:25]]})

    # -- downloads ---------------------------------------------------------------------------------
    def h_track_download(self, req: Request, ref: str):
        """download_url: needs the Authorization header, then redirects to the CDN."""
        t = self.visible_track(req, _ref_id(ref, "track"))
        if not t.get("downloadable"):
            raise ApiAbort(404, "this track is not downloadable")
        location = (
            f"{self.api_base}/cdn/{t['id']}/original?Policy=sandbox&Signature={int(time.time())}"
        )
        return Response(status=302, headers={"Location": location})

    def original(self, req: Request, t: dict) -> Response:
        """The original file, with its name, and byte ranges for resuming."""
        from sccli.sandbox.api import _silent_wav

        if t.get("_file"):
            path = Path(t["_file"])
            ext = t.get("original_format") or "wav"
            name = t.get("_original_name") or f"{t['permalink']}.{ext}"
            body, size = wrap_file(req.environ, open(path, "rb")), path.stat().st_size  # noqa: SIM115
        else:
            data = _silent_wav(t["id"])
            ext, name, size = "wav", f"{t['permalink']}.wav", len(data)
            body = wrap_file(req.environ, io.BytesIO(data))
        resp = Response(
            body,
            content_type=CONTENT_TYPES.get(ext.lower(), "application/octet-stream"),
            direct_passthrough=True,
        )
        ascii_name = "".join(c if " " <= c < "\x7f" and c not in '"\\' else "_" for c in name)
        resp.headers["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
        )
        resp.content_length = size  # a 206 narrows it to the range
        try:
            return resp.make_conditional(req, accept_ranges=True, complete_length=size)
        except RequestedRangeNotSatisfiable:
            return Response(status=416, headers={"Content-Range": f"bytes */{size}"})
