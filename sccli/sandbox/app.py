"""The sandbox WSGI app: routing, authentication, fault injection, and the error boundary."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sccli.sandbox.api import ApiHandlers
from sccli.sandbox.control import ControlHandlers, Fault
from sccli.sandbox.http import ApiAbort, error_body, json_response
from sccli.sandbox.lists import ListHandlers
from sccli.sandbox.oauth import OAuthHandlers
from sccli.sandbox.store import Store

MAX_UPLOAD = 500 * 1024 * 1024  # the guide's cap on a request body

R = Rule
ROUTES = Map(
    [
        # OAuth (the sandbox serves the auth host's paths too)
        R("/authorize", endpoint="authorize", methods=["GET", "POST"]),
        R("/oauth/token", endpoint="token", methods=["POST"]),
        # API
        R("/me", endpoint="me", methods=["GET"]),
        R("/me/tracks", endpoint="me_tracks", methods=["GET"]),
        R("/me/playlists", endpoint="me_playlists", methods=["GET"]),
        R("/me/likes/tracks", endpoint="me_likes_tracks", methods=["GET"]),
        R("/me/likes/playlists", endpoint="me_likes_playlists", methods=["GET"]),
        R("/me/followings", endpoint="me_followings", methods=["GET"]),
        R("/me/followers", endpoint="me_followers", methods=["GET"]),
        R("/me/reposts/tracks", endpoint="me_reposts_tracks", methods=["GET"]),
        R("/me/reposts/playlists", endpoint="me_reposts_playlists", methods=["GET"]),
        R("/me/feed", endpoint="me_feed", methods=["GET"]),
        R("/me/feed/tracks", endpoint="me_feed_tracks", methods=["GET"]),
        R("/me/activities", endpoint="me_activities", methods=["GET"]),
        R("/me/activities/all/own", endpoint="me_activities_own", methods=["GET"]),
        R("/me/activities/tracks", endpoint="me_activities_tracks", methods=["GET"]),
        R("/me/recently-played/tracks", endpoint="me_recently_played", methods=["GET"]),
        R("/me/followings/<ref>", endpoint="me_following", methods=["GET", "PUT", "DELETE"]),
        R("/tracks", endpoint="tracks", methods=["GET", "POST"]),
        R("/tracks/<ref>", endpoint="track", methods=["GET", "PUT", "DELETE"]),
        R("/tracks/<ref>/comments", endpoint="track_comments", methods=["GET", "POST"]),
        R("/tracks/<ref>/streams", endpoint="track_streams", methods=["GET"]),
        R("/tracks/<ref>/streams/<fmt>", endpoint="track_stream", methods=["GET"]),
        R("/tracks/<ref>/download", endpoint="track_download", methods=["GET"]),
        R("/tracks/<ref>/related", endpoint="track_related", methods=["GET"]),
        R("/tracks/<ref>/favoriters", endpoint="track_favoriters", methods=["GET"]),
        R("/tracks/<ref>/reposters", endpoint="track_reposters", methods=["GET"]),
        R("/users", endpoint="users", methods=["GET"]),
        R("/users/<ref>", endpoint="user", methods=["GET"]),
        R("/users/<ref>/tracks", endpoint="user_tracks", methods=["GET"]),
        R("/users/<ref>/playlists", endpoint="user_playlists", methods=["GET"]),
        R("/users/<ref>/followers", endpoint="user_followers", methods=["GET"]),
        R("/users/<ref>/followings", endpoint="user_followings", methods=["GET"]),
        R("/users/<ref>/likes/tracks", endpoint="user_likes_tracks", methods=["GET"]),
        R("/users/<ref>/likes/playlists", endpoint="user_likes_playlists", methods=["GET"]),
        R("/users/<ref>/reposts/tracks", endpoint="user_reposts_tracks", methods=["GET"]),
        R("/users/<ref>/reposts/playlists", endpoint="user_reposts_playlists", methods=["GET"]),
        R("/users/<ref>/related", endpoint="user_related", methods=["GET"]),
        R("/users/<ref>/web-profiles", endpoint="user_web_profiles", methods=["GET"]),
        R("/playlists", endpoint="playlists", methods=["GET", "POST"]),
        R("/playlists/<ref>", endpoint="playlist", methods=["GET", "PUT", "DELETE"]),
        R("/playlists/<ref>/tracks", endpoint="playlist_tracks", methods=["GET"]),
        R("/playlists/<ref>/reposters", endpoint="playlist_reposters", methods=["GET"]),
        R("/likes/tracks/<ref>", endpoint="like_track", methods=["POST", "DELETE"]),
        R("/likes/playlists/<ref>", endpoint="like_playlist", methods=["POST", "DELETE"]),
        R("/reposts/tracks/<ref>", endpoint="repost_track", methods=["POST", "DELETE"]),
        R("/reposts/playlists/<ref>", endpoint="repost_playlist", methods=["POST", "DELETE"]),
        R("/resolve", endpoint="resolve", methods=["GET"]),
        R("/cdn/<int:tid>/<fmt>", endpoint="cdn", methods=["GET"]),
        # test-only controls, off the API's own paths
        R("/_sandbox/stats", endpoint="ctl_stats", methods=["GET"]),
        R("/_sandbox/faults", endpoint="ctl_faults", methods=["GET", "POST", "DELETE"]),
        R("/_sandbox/config", endpoint="ctl_config", methods=["GET", "POST"]),
        R("/_sandbox/reset", endpoint="ctl_reset", methods=["POST"]),
        R("/_sandbox/secrets", endpoint="ctl_secrets", methods=["GET"]),
        R("/_sandbox/login", endpoint="ctl_login", methods=["POST"]),
        R("/_sandbox/requests", endpoint="ctl_requests", methods=["GET"]),
    ],
    strict_slashes=False,
)
PUBLIC = {"authorize", "token", "cdn"}


class Sandbox(ApiHandlers, ListHandlers, OAuthHandlers, ControlHandlers):
    """A local, stateful imitation of the SoundCloud API."""

    def __init__(self, data_dir: Path, *, redirect_uri: str | None = None):
        self.store = Store(data_dir)
        self.redirect_uri = redirect_uri
        self.stats: Counter[str] = Counter()
        self.tokens_issued: Counter[str] = Counter()
        self.faults: list[Fault] = []
        self.log: list[dict] = []  # recent request summaries, for tests
        self.api_base = ""  # set per request from the Host header

    # -- settings with defaults; all adjustable through /_sandbox/config --------------------------
    def cfg(self, key: str) -> float:
        defaults = {
            "token_lifetime": 3599,
            "code_lifetime": 300,
            "transcode_delay": 2,
            "follow_limit": 2000,
            "cc_per_app_12h": 50,
            "cc_per_ip_1h": 30,
        }
        return self.store.setting(key, defaults[key])

    # -- WSGI --------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        req = Request(environ)
        req.max_content_length = MAX_UPLOAD
        resp = self.dispatch(req)
        return resp(environ, start_response)

    def dispatch(self, req: Request) -> Response:
        self.api_base = req.host_url.rstrip("/")
        adapter = ROUTES.bind_to_environ(req.environ)
        try:
            endpoint, args = adapter.match()
        except NotFound:
            return json_response(error_body(404, f"no route for {req.path}"), 404)
        except HTTPException as e:
            return json_response(
                error_body(e.code or 400, e.description or "bad request"), e.code or 400
            )
        route = f"{req.method} {adapter.map._rules_by_endpoint[endpoint][0].rule}"
        if not endpoint.startswith("ctl_"):
            self.stats[route] += 1
            self.log.append({"route": route, "path": req.full_path, "at": time.time()})
            del self.log[:-500]
            fault = self.take_fault(req, route)
            if fault:
                early = fault.before(req)
                if early is not None:
                    return early
        else:
            fault = None
        try:
            if endpoint not in PUBLIC and not endpoint.startswith("ctl_"):
                req.sc_token = self.authenticate(req)  # type: ignore[attr-defined]
            resp = getattr(self, "h_" + endpoint)(req, **args)
        except ApiAbort as e:
            resp = e.get_response()
        except RequestEntityTooLarge:
            resp = json_response(error_body(413, "request body exceeds 500 MB"), 413)
        if fault:
            resp = fault.apply_after(req, resp)
        return resp

    def authenticate(self, req: Request):
        header = req.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() not in ("oauth", "bearer") or not value.strip():
            raise ApiAbort(401, "Authorization header missing: send 'Authorization: OAuth <token>'")
        row = self.store.token(value.strip())
        if row is None:
            raise ApiAbort(401, "invalid access token")
        if row["expires_at"] < time.time():
            raise ApiAbort(401, "access token expired")
        return row

    def user_id(self, req: Request) -> int:
        """The logged-in user; app-only (client credentials) tokens get 401, as on the real API."""
        row = req.sc_token  # type: ignore[attr-defined]
        if row["user_id"] is None:
            raise ApiAbort(
                401, "this endpoint needs a user token; client credentials grant no user"
            )
        return int(row["user_id"])
