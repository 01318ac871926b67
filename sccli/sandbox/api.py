"""The API's resource endpoints: search, tracks, uploads, users, sets, comments, likes, follows."""

from __future__ import annotations

import json
import re
import shlex
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from sccli.sandbox.http import ApiAbort, json_response, page_of
from sccli.sandbox.seed import LICENSES, PLAYLIST_BASE, TRACK_BASE, api_time
from sccli.sandbox.views import (
    comment_json,
    playlist_json,
    slug,
    track_json,
    track_permalink,
    user_json,
)

TRACK_FIELDS = {
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
STREAM_FORMATS = ("hls_aac_160", "hls_mp3_128", "preview_mp3_128")


def ref_id(ref: str, kind: str) -> int:
    """`soundcloud:<kind>s:123` or `123` (old numeric paths still answer)."""
    m = re.fullmatch(rf"(?:soundcloud:{kind}s:)?(\d+)", ref)
    if not m:
        raise ApiAbort(404, f"{ref} is not a {kind}")
    return int(m.group(1))


def _bool(value) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")


def _now_api() -> str:
    return api_time(datetime.now(timezone.utc))


def _parse_api_date(text: str) -> str:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).strftime("%Y/%m/%d %H:%M:%S")
        except ValueError:
            pass
    raise ApiAbort(400, f"invalid date {text!r}: use yyyy-mm-dd hh:mm:ss")


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\r\n\t" for c in text)


class ApiHandlers:
    # -- views -------------------------------------------------------------------------------------
    def v_user(self, uid: int) -> dict:
        u = self.store.user(uid)
        if u is None:
            raise ApiAbort(404, "user not found")
        counts = {
            "track_count": self.store.q1("SELECT COUNT(*) AS n FROM tracks WHERE user_id=?", uid)[
                "n"
            ],
            "playlist_count": self.store.q1(
                "SELECT COUNT(*) AS n FROM playlists WHERE user_id=?", uid
            )["n"],
            "public_favorites_count": self.store.q1(
                "SELECT COUNT(*) AS n FROM likes WHERE user_id=? AND kind='track'", uid
            )["n"],
        }
        extra = self.store.q1("SELECT COUNT(*) AS n FROM followings WHERE target_id=?", uid)["n"]
        counts["followers_count"] = u.get("followers_count", 0) + extra
        return user_json(u, self.api_base, counts)

    def v_track(self, t: dict, users: dict | None = None) -> dict:
        users = {} if users is None else users
        if t["user_id"] not in users:
            users[t["user_id"]] = self.v_user(t["user_id"])
        return track_json(t, users[t["user_id"]], self.api_base)

    def visible_track(self, req: Request, tid: int) -> dict:
        t = self.store.track(tid)
        if t is None or (t.get("sharing") == "private" and self._viewer(req) != t["user_id"]):
            raise ApiAbort(404, "track not found")
        return t

    def own_track(self, req: Request, ref: str) -> dict:
        t = self.visible_track(req, ref_id(ref, "track"))
        if t["user_id"] != self.user_id(req):
            raise ApiAbort(403, "you can only change your own tracks")
        return t

    def _viewer(self, req: Request) -> int | None:
        row = getattr(req, "sc_token", None)
        return row["user_id"] if row is not None else None

    def v_playlist(self, req: Request, p: dict, show_tracks: bool = True) -> dict:
        users: dict = {}
        tracks = []
        for tid in p["tracks"]:
            t = self.store.track(tid)
            if t and (t.get("sharing") != "private" or self._viewer(req) == t["user_id"]):
                tracks.append(self.v_track(t, users))
        return playlist_json(p, self.v_user(p["user_id"]), tracks, self.api_base, show_tracks)

    def visible_playlist(self, req: Request, ref: str) -> dict:
        p = self.store.playlist(ref_id(ref, "playlist"))
        if p is None or (p.get("sharing") == "private" and self._viewer(req) != p["user_id"]):
            raise ApiAbort(404, "playlist not found")
        return p

    # -- search ------------------------------------------------------------------------------------
    def _track_matches(self, req: Request, t: dict, users: dict) -> bool:
        a = req.args
        if t.get("sharing") == "private":
            return False
        access = (a.get("access") or "playable,preview").split(",")
        if t.get("access", "playable") not in access:
            return False
        q = (a.get("q") or "").lower().split()
        if q:
            uname = users.setdefault(t["user_id"], self.store.user(t["user_id"]) or {})
            hay = " ".join(
                (
                    t.get("title", ""),
                    t.get("description", ""),
                    t.get("tag_list", ""),
                    uname.get("username", ""),
                )
            ).lower()
            if not all(w in hay for w in q):
                return False
        genres = [g.strip().lower() for g in (a.get("genres") or "").split(",") if g.strip()]
        if genres and (t.get("genre") or "").lower() not in genres:
            return False
        if a.get("tags"):
            try:
                have = {x.lower() for x in shlex.split(t.get("tag_list") or "")}
            except ValueError:
                have = set((t.get("tag_list") or "").lower().split())
            if not any(x.strip().lower() in have for x in a["tags"].split(",")):
                return False
        if a.get("urns") and f"soundcloud:tracks:{t['id']}" not in a["urns"].split(","):
            return False
        for key, field in (("bpm", "bpm"), ("duration", "duration")):
            lo, hi = a.get(f"{key}[from]"), a.get(f"{key}[to]")
            value = t.get(field) or 0
            try:
                if lo is not None and value < float(lo):
                    return False
                if hi is not None and value > float(hi):
                    return False
            except ValueError:
                raise ApiAbort(400, f"{key} must be a number") from None
        lo, hi = a.get("created_at[from]"), a.get("created_at[to]")
        created = (t.get("created_at") or "")[:19]
        if lo and created < _parse_api_date(lo):
            return False
        return not (hi and created > _parse_api_date(hi))

    def h_tracks(self, req: Request):
        if req.method == "POST":
            return self.upload(req)
        users: dict = {}
        found = [t for t in self.store.all_tracks() if self._track_matches(req, t, users)]
        views: dict = {}
        page = page_of(req, found)
        return json_response(self._map_page(page, lambda t: self.v_track(t, views)))

    @staticmethod
    def _map_page(page, fn):
        if isinstance(page, list):
            return [fn(x) for x in page]
        page["collection"] = [fn(x) for x in page["collection"]]
        return page

    def h_users(self, req: Request):
        q = (req.args.get("q") or "").lower()
        rows = self.store.q("SELECT id, data FROM users ORDER BY id")
        ids = [r["id"] for r in rows if not q or q in r["data"].lower()]
        return json_response(self._map_page(page_of(req, ids), self.v_user))

    def h_playlists(self, req: Request):
        if req.method == "POST":
            return self.create_playlist(req)
        q = (req.args.get("q") or "").lower().split()
        show = req.args.get("show_tracks", "true").lower() != "false"
        found = []
        for r in self.store.q("SELECT id FROM playlists ORDER BY id"):
            p = self.store.playlist(r["id"])
            if p.get("sharing") == "private":
                continue
            if all(w in (p["title"] + " " + p.get("description", "")).lower() for w in q):
                found.append(p)
        return json_response(
            self._map_page(page_of(req, found), lambda p: self.v_playlist(req, p, show))
        )

    # -- one resource ------------------------------------------------------------------------------
    def h_track(self, req: Request, ref: str):
        if req.method == "GET":
            return json_response(self.v_track(self.visible_track(req, ref_id(ref, "track"))))
        t = self.own_track(req, ref)
        if req.method == "DELETE":
            self.store.x("DELETE FROM tracks WHERE id=?", t["id"])
            self.store.x("DELETE FROM comments WHERE track_id=?", t["id"])
            return json_response({"status": "200 - OK"})
        return self.update_track(req, t)

    def h_user(self, req: Request, ref: str):
        return json_response(self.v_user(ref_id(ref, "user")))

    def h_user_tracks(self, req: Request, ref: str):
        uid = ref_id(ref, "user")
        self.v_user(uid)
        return self._tracks_of(req, uid, include_private=self._viewer(req) == uid)

    def h_user_playlists(self, req: Request, ref: str):
        uid = ref_id(ref, "user")
        self.v_user(uid)
        return self._playlists_of(req, uid, include_private=self._viewer(req) == uid)

    def _tracks_of(self, req, uid, include_private):
        rows = self.store.q("SELECT id FROM tracks WHERE user_id=? ORDER BY id DESC", uid)
        ts = [self.store.track(r["id"]) for r in rows]
        ts = [t for t in ts if include_private or t.get("sharing") != "private"]
        views: dict = {}
        return json_response(self._map_page(page_of(req, ts), lambda t: self.v_track(t, views)))

    def _playlists_of(self, req, uid, include_private):
        rows = self.store.q("SELECT id FROM playlists WHERE user_id=? ORDER BY id DESC", uid)
        ps = [self.store.playlist(r["id"]) for r in rows]
        ps = [p for p in ps if include_private or p.get("sharing") != "private"]
        show = req.args.get("show_tracks", "true").lower() != "false"
        return json_response(
            self._map_page(page_of(req, ps), lambda p: self.v_playlist(req, p, show))
        )

    def h_playlist(self, req: Request, ref: str):
        p = self.visible_playlist(req, ref)
        if req.method == "GET":
            show = req.args.get("show_tracks", "true").lower() != "false"
            return json_response(self.v_playlist(req, p, show))
        if p["user_id"] != self.user_id(req):
            raise ApiAbort(403, "you can only change your own sets")
        if req.method == "DELETE":
            self.store.x("DELETE FROM playlists WHERE id=?", p["id"])
            return json_response({"status": "200 - OK"})
        fields = self._playlist_fields(req)
        if "tracks" in fields:
            p["tracks"] = fields.pop("tracks")  # PUT replaces the whole list
        p.update(fields)
        self.store.save_playlist(p)
        return json_response(self.v_playlist(req, p))

    def h_playlist_tracks(self, req: Request, ref: str):
        p = self.visible_playlist(req, ref)
        ts = [t for t in (self.store.track(tid) for tid in p["tracks"]) if t]
        views: dict = {}
        return json_response(self._map_page(page_of(req, ts), lambda t: self.v_track(t, views)))

    def h_me(self, req: Request):
        return json_response(self.v_user(self.user_id(req)))

    def h_me_tracks(self, req: Request):
        return self._tracks_of(req, self.user_id(req), include_private=True)

    def h_me_playlists(self, req: Request):
        return self._playlists_of(req, self.user_id(req), include_private=True)

    # -- writes: tracks ----------------------------------------------------------------------------
    def _track_form(self, req: Request) -> dict:
        """Track fields from JSON {"track": {...}} or multipart/urlencoded track[...]."""
        if req.is_json:
            body = req.get_json(silent=True)
            if not isinstance(body, dict) or not isinstance(body.get("track"), dict):
                raise ApiAbort(400, 'send {"track": {...}}')
            raw = body["track"]
        else:
            raw = {
                k[6:-1]: v
                for k, v in req.form.items()
                if k.startswith("track[") and k.endswith("]")
            }
        out = {}
        for key, value in raw.items():
            if key == "asset_data":
                raise ApiAbort(422, "asset_data cannot be changed: upload a new track instead")
            if key not in TRACK_FIELDS:
                continue
            out[key] = _bool(value) if TRACK_FIELDS[key] is bool else str(value)
        if "license" in out and out["license"] not in LICENSES:
            raise ApiAbort(422, f"license must be one of {', '.join(LICENSES)}")
        if "sharing" in out and out["sharing"] not in ("public", "private"):
            raise ApiAbort(422, "sharing must be public or private")
        if "release_date" in out:
            try:
                d = datetime.strptime(out["release_date"], "%Y-%m-%d")
            except ValueError:
                raise ApiAbort(422, "release_date must be yyyy-mm-dd") from None
            out.update(release_year=d.year, release_month=d.month, release_day=d.day)
        return out

    def _save_artwork(self, req: Request, tid: int, field: str) -> str | None:
        art = req.files.get(field)
        if not art:
            return None
        art.save(self.store.dir / "audio" / f"{tid}.artwork")
        return f"{self.api_base}/cdn/{tid}/artwork"

    def upload(self, req: Request):
        uid = self.user_id(req)
        asset = req.files.get("track[asset_data]")
        fields = self._track_form(req)
        if not asset or not fields.get("title"):
            raise ApiAbort(422, "track[title] and track[asset_data] are required")
        if len(asset.filename or "") > 255:
            raise ApiAbort(422, "file name is longer than 255 characters")
        tid = self.store.new_id("tracks", TRACK_BASE + 100000)
        path = self.store.dir / "audio" / f"{tid}.audio"
        asset.save(path)
        with open(path, "rb") as f:
            head = f.read(512)
        if not head:
            path.unlink()
            raise ApiAbort(422, "unable to process provided asset_data")
        now = time.time()
        t = {
            "id": tid,
            "user_id": uid,
            "description": "",
            "genre": "",
            "tag_list": "",
            "license": "all-rights-reserved",
            "sharing": "public",
            "streamable": True,
            "downloadable": True,
            "commentable": True,
            "playback_count": 0,
            "favoritings_count": 0,
            "reposts_count": 0,
            "comment_count": 0,
            "download_count": 0,
            "access": "playable",
            "created_at": _now_api(),
            "duration": max(1000, path.stat().st_size // 16),
            "bpm": 0,
            "label_name": "",
            "isrc": "",
            "purchase_url": "",
            "original_format": (asset.filename or "").rsplit(".", 1)[-1].lower(),
            "original_content_size": path.stat().st_size,
            "_original_name": asset.filename or "",
        }
        t.update(fields)
        t.setdefault("permalink", track_permalink(t["title"], tid))
        art = self._save_artwork(req, tid, "track[artwork_data]")
        if art:
            t["artwork_url"] = art
        # Text posing as audio gets through the upload but fails transcoding, as on SoundCloud.
        t["_failed"] = _looks_like_text(head)
        ready = now + self.cfg("transcode_delay")
        self.store.x(
            "INSERT INTO tracks (id, user_id, data, file, ready_at, created) VALUES (?,?,?,?,?,?)",
            tid,
            uid,
            json.dumps({k: v for k, v in t.items() if k != "_failed" or v}),
            str(path),
            ready,
            now,
        )
        return json_response(self.v_track(self.store.track(tid)), 201)

    def update_track(self, req: Request, t: dict):
        fields = self._track_form(req)
        art = self._save_artwork(req, t["id"], "track[artwork_data]")
        if art:
            fields["artwork_url"] = art
        t.update(fields)
        self.store.save_track(t)
        return json_response(self.v_track(self.store.track(t["id"])))

    # -- comments ----------------------------------------------------------------------------------
    def h_track_comments(self, req: Request, ref: str):
        t = self.visible_track(req, ref_id(ref, "track"))
        if req.method == "GET":
            rows = self.store.q("SELECT * FROM comments WHERE track_id=? ORDER BY id", t["id"])
            views: dict = {}

            def view(r):
                if r["user_id"] not in views:
                    views[r["user_id"]] = self.v_user(r["user_id"])
                return comment_json(dict(r), views[r["user_id"]], self.api_base)

            return json_response(self._map_page(page_of(req, list(rows)), view))
        uid = self.user_id(req)
        body = req.get_json(silent=True)
        c = body.get("comment") if isinstance(body, dict) else None
        if not isinstance(c, dict) or not str(c.get("body") or "").strip():
            raise ApiAbort(422, "comment body is required")
        if not t.get("commentable", True):
            raise ApiAbort(422, "comments are disabled for this track")
        ts = c.get("timestamp")
        if ts is not None:
            try:
                ts = int(float(ts))
            except (TypeError, ValueError):
                raise ApiAbort(422, "timestamp must be milliseconds") from None
            if ts < 0 or ts > int(t.get("duration") or 0):
                raise ApiAbort(422, "timestamp is beyond the end of the track")
        cid = self.store.x(
            "INSERT INTO comments (track_id, user_id, body, timestamp, created_at) "
            "VALUES (?,?,?,?,?)",
            t["id"],
            uid,
            c["body"],
            ts,
            _now_api(),
        )
        t["comment_count"] = int(t.get("comment_count") or 0) + 1
        self.store.save_track(t)
        row = self.store.q1("SELECT * FROM comments WHERE id=?", cid)
        return json_response(comment_json(dict(row), self.v_user(uid), self.api_base), 201)

    # -- streams and the CDN -----------------------------------------------------------------------
    def h_track_streams(self, req: Request, ref: str):
        t = self.visible_track(req, ref_id(ref, "track"))
        base = f"{self.api_base}/tracks/soundcloud:tracks:{t['id']}/streams"
        if t.get("access") == "blocked" or self._state(t) in ("processing", "failed"):
            return json_response({})
        if t.get("access") == "preview":
            return json_response({"preview_mp3_128_url": f"{base}/preview_mp3_128"})
        return json_response({f"{f}_url": f"{base}/{f}" for f in STREAM_FORMATS})

    @staticmethod
    def _state(t: dict) -> str | None:
        from sccli.sandbox.views import track_state

        return track_state(t)

    def h_track_stream(self, req: Request, ref: str, fmt: str):
        t = self.visible_track(req, ref_id(ref, "track"))
        if fmt not in STREAM_FORMATS:
            raise ApiAbort(404, "no such stream")
        self.record_play(req, t["id"])  # for /me/recently-played/tracks
        location = (
            f"{self.api_base}/cdn/{t['id']}/{fmt}?Policy=sandbox&Signature={int(time.time())}"
        )
        return Response(status=302, headers={"Location": location})

    def h_cdn(self, req: Request, tid: int, fmt: str):
        t = self.store.track(tid)
        if t is None:
            return Response(b"not found", status=404, content_type="text/plain")
        if fmt == "original":
            return self.original(req, t)
        if fmt == "artwork":
            path = self.store.dir / "audio" / f"{tid}.artwork"
            if not path.exists():
                return Response(b"not found", status=404, content_type="text/plain")
            return Response(path.read_bytes(), content_type="image/jpeg")
        if t.get("_file"):
            f = open(t["_file"], "rb")  # noqa: SIM115 - closed by the WSGI server
            return Response(
                wrap_file(req.environ, f), content_type="audio/mpeg", direct_passthrough=True
            )
        # Seed tracks have no audio of their own: serve a short silent WAV.
        return Response(_silent_wav(tid), content_type="audio/wav")

    # -- likes and follows -------------------------------------------------------------------------
    def _like(self, req: Request, kind: str, target: int):
        uid = self.user_id(req)
        if req.method == "POST":
            self.store.x("INSERT OR IGNORE INTO likes VALUES (?, ?, ?)", uid, kind, target)
        else:
            self.store.x(
                "DELETE FROM likes WHERE user_id=? AND kind=? AND target_id=?", uid, kind, target
            )
        return json_response({"status": "200 - OK"})

    def h_like_track(self, req: Request, ref: str):
        return self._like(req, "track", self.visible_track(req, ref_id(ref, "track"))["id"])

    def h_like_playlist(self, req: Request, ref: str):
        return self._like(req, "playlist", self.visible_playlist(req, ref)["id"])

    def h_me_likes_tracks(self, req: Request):
        uid = self.user_id(req)
        rows = self.store.q(
            "SELECT target_id FROM likes WHERE user_id=? AND kind='track' ORDER BY rowid DESC", uid
        )
        ts = [t for t in (self.store.track(r["target_id"]) for r in rows) if t]
        views: dict = {}
        return json_response(self._map_page(page_of(req, ts), lambda t: self.v_track(t, views)))

    def h_me_likes_playlists(self, req: Request):
        uid = self.user_id(req)
        rows = self.store.q(
            "SELECT target_id FROM likes WHERE user_id=? AND kind='playlist' ORDER BY rowid DESC",
            uid,
        )
        ps = [p for p in (self.store.playlist(r["target_id"]) for r in rows) if p]
        return json_response(self._map_page(page_of(req, ps), lambda p: self.v_playlist(req, p)))

    def h_me_followings(self, req: Request):
        uid = self.user_id(req)
        rows = self.store.q(
            "SELECT target_id FROM followings WHERE user_id=? ORDER BY at DESC", uid
        )
        ids = [r["target_id"] for r in rows]
        return json_response(self._map_page(page_of(req, ids), self.v_user))

    def h_me_following(self, req: Request, ref: str):
        uid = self.user_id(req)
        target = ref_id(ref, "user")
        user = self.v_user(target)
        exists = self.store.q1(
            "SELECT 1 FROM followings WHERE user_id=? AND target_id=?", uid, target
        )
        if req.method == "GET":
            if not exists:
                raise ApiAbort(404, "not following this user")
            return json_response(user)
        if req.method == "DELETE":
            if not exists:
                raise ApiAbort(404, "not following this user")
            self.store.x("DELETE FROM followings WHERE user_id=? AND target_id=?", uid, target)
            return json_response({"status": "200 - OK"})
        if exists:
            return json_response({"status": "200 - Successful"})
        if target == uid:
            raise ApiAbort(422, "you cannot follow yourself")
        count = self.store.q1("SELECT COUNT(*) AS n FROM followings WHERE user_id=?", uid)["n"]
        if count >= self.cfg("follow_limit"):
            raise ApiAbort(422, f"You have reached the maximum number of followings ({count}).")
        self.store.x("INSERT INTO followings VALUES (?, ?, ?)", uid, target, time.time())
        return json_response(self.v_user(target), 201)

    # -- sets --------------------------------------------------------------------------------------
    def _playlist_fields(self, req: Request) -> dict:
        if req.is_json:
            body = req.get_json(silent=True)
            if not isinstance(body, dict) or not isinstance(body.get("playlist"), dict):
                raise ApiAbort(400, 'send {"playlist": {...}}')
            raw = dict(body["playlist"])
            urns = (
                [
                    x.get("urn", "") if isinstance(x, dict) else str(x)
                    for x in raw.pop("tracks", None) or []
                ]
                if "tracks" in body["playlist"]
                else None
            )
        else:
            raw = {
                k[9:-1]: v
                for k, v in req.form.items()
                if k.startswith("playlist[") and k.endswith("]") and "][" not in k
            }
            joined = req.form.get("playlist[tracks][][urn]")
            urns = [u for u in joined.split(",") if u] if joined is not None else None
        out = {
            k: str(v)
            for k, v in raw.items()
            if k
            in (
                "title",
                "description",
                "sharing",
                "set_type",
                "genre",
                "tag_list",
                "license",
                "label_name",
                "release_date",
                "purchase_url",
                "ean",
            )
        }
        if "sharing" in out and out["sharing"] not in ("public", "private"):
            raise ApiAbort(422, "sharing must be public or private")
        if "set_type" in out and out["set_type"] not in ("album", "playlist"):
            raise ApiAbort(422, "set_type must be album or playlist")
        if urns is not None:
            ids = []
            for u in urns:
                tid = (
                    ref_id(u.strip(), "track")
                    if re.fullmatch(r"(soundcloud:tracks:)?\d+", u.strip())
                    else None
                )
                if tid is None or self.store.track(tid) is None:
                    raise ApiAbort(422, f"unknown track {u}")
                ids.append(tid)
            out["tracks"] = ids
        return out

    def create_playlist(self, req: Request):
        uid = self.user_id(req)
        fields = self._playlist_fields(req)
        if not fields.get("title"):
            raise ApiAbort(422, "playlist title is required")
        pid = self.store.new_id("playlists", PLAYLIST_BASE + 10000)
        p = {
            "id": pid,
            "user_id": uid,
            "description": "",
            "sharing": "public",
            "set_type": "playlist",
            "genre": "",
            "tag_list": "",
            "license": "all-rights-reserved",
            "created_at": _now_api(),
            "tracks": [],
        }
        p.update(fields)
        p.setdefault("permalink", slug(p["title"]))  # fixed now: a later rename keeps the URL
        self.store.x(
            "INSERT INTO playlists VALUES (?, ?, ?, ?)",
            pid,
            uid,
            json.dumps({k: v for k, v in p.items() if k != "tracks"}),
            json.dumps(p["tracks"]),
        )
        return json_response(self.v_playlist(req, self.store.playlist(pid)), 201)

    # -- resolve -----------------------------------------------------------------------------------
    def h_resolve(self, req: Request):
        url = req.args.get("url", "")
        parts = urlsplit(url if "://" in url else "https://" + url)
        host = parts.netloc.lower()
        segs = [s for s in parts.path.split("/") if s]
        target = None
        if host in ("on.soundcloud.com",) and len(segs) == 1:
            m = re.fullmatch(r"[Tt]([0-9a-zA-Z]+)", segs[0])
            if m:
                tid = int(m.group(1), 36)
                target = f"/tracks/soundcloud:tracks:{tid}" if self.store.track(tid) else None
        elif host in ("soundcloud.com", "www.soundcloud.com", "m.soundcloud.com") and segs:
            target = self._resolve_path(req, segs)
        if not target:
            raise ApiAbort(404, f"could not resolve {url}")
        location = self.api_base + target
        return Response(
            json.dumps({"status": "302 - Found", "location": location}),
            status=302,
            content_type="application/json; charset=utf-8",
            headers={"Location": location},
        )

    def _resolve_path(self, req: Request, segs: list[str]) -> str | None:
        user = next(
            (
                json.loads(r["data"])
                for r in self.store.q("SELECT data FROM users")
                if json.loads(r["data"])["permalink"] == segs[0]
            ),
            None,
        )
        if user is None:
            return None
        uid = user["id"]
        if len(segs) == 1:
            return f"/users/soundcloud:users:{uid}"
        if len(segs) == 3 and segs[1] == "sets":
            for r in self.store.q("SELECT id FROM playlists WHERE user_id=?", uid):
                p = self.store.playlist(r["id"])
                view = self.v_playlist(req, p, show_tracks=False)
                if view["permalink"] == segs[2]:
                    return f"/playlists/{view['urn']}"
            return None
        if len(segs) == 2:
            for r in self.store.q("SELECT id FROM tracks WHERE user_id=?", uid):
                t = self.store.track(r["id"])
                if self.v_track(t)["permalink"] == segs[1]:
                    return f"/tracks/soundcloud:tracks:{t['id']}"
        return None


def _silent_wav(tid: int, seconds: float = 0.25, rate: int = 8000) -> bytes:
    import struct

    n = int(seconds * rate)
    data = bytes(n)
    header = (
        b"RIFF"
        + struct.pack("<I", 36 + n)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)
        + b"data"
        + struct.pack("<I", n)
    )
    return header + data
