"""The auth host: the consent page (/authorize) and the token endpoint (/oauth/token)."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
import time
from datetime import datetime, timezone
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from sccli.sandbox.http import html_page, json_response
from sccli.sandbox.store import APP, SANDBOX_USER_ID

LOOPBACK_CALLBACK = re.compile(r"^http://127\.0\.0\.1:(\d{1,5})/callback$")
PARAMS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "code_challenge",
    "code_challenge_method",
    "state",
)


def oauth_error(error: str, status: int = 400, description: str | None = None) -> Response:
    body = {"error": error}
    if description:
        body["error_description"] = description
    return json_response(body, status)


def s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


class OAuthHandlers:
    # -- /authorize ----------------------------------------------------------------------------
    def _check_authorize(self, p) -> str | None:
        if p.get("client_id") != APP["client_id"]:
            return "Unknown client_id: this sandbox knows the app 'sandbox'."
        uri = p.get("redirect_uri", "")
        if self.redirect_uri:
            if uri != self.redirect_uri:
                return "redirect_uri does not match the app's registered redirect URI."
        elif not LOOPBACK_CALLBACK.match(uri):
            return "redirect_uri must be http://127.0.0.1:PORT/callback."
        if p.get("response_type") != "code":
            return "response_type must be 'code'."
        if p.get("code_challenge_method") != "S256":
            return "PKCE is required: code_challenge_method must be S256."
        if not re.fullmatch(r"[A-Za-z0-9_-]{43,128}", p.get("code_challenge", "")):
            return "PKCE is required: code_challenge is missing or malformed."
        return None

    def h_authorize(self, req: Request):
        p = req.form if req.method == "POST" else req.args
        problem = self._check_authorize(p)
        if problem:
            return html_page(
                400, "Authorization error", f"<p id='error'>{html.escape(problem)}</p>"
            )
        if req.method == "GET":
            return self._consent_page(p)
        target = p["redirect_uri"]
        extra = {"state": p["state"]} if p.get("state") else {}
        if p.get("decision") != "allow":
            return Response(
                status=302,
                headers={"Location": target + "?" + urlencode({"error": "access_denied", **extra})},
            )
        code = secrets.token_urlsafe(24)
        self.store.x(
            "INSERT INTO codes VALUES (?, ?, ?, ?, ?, 0, ?)",
            code,
            p["client_id"],
            target,
            p["code_challenge"],
            SANDBOX_USER_ID,
            time.time() + self.cfg("code_lifetime"),
        )
        return Response(
            status=302, headers={"Location": target + "?" + urlencode({"code": code, **extra})}
        )

    def _consent_page(self, p) -> Response:
        user = self.store.user(SANDBOX_USER_ID) or {}
        hidden = "".join(
            f"<input type='hidden' name='{k}' value='{html.escape(p.get(k, ''), quote=True)}'>"
            for k in PARAMS
        )
        body = (
            f"<p>The app <strong id='app-name'>{html.escape(APP['name'])}</strong> "
            f"wants to connect to your SoundCloud account "
            f"<strong id='user'>{html.escape(user.get('username', ''))}</strong>.</p>"
            "<p>Scopes: <span id='scopes'>non-expiring (default): read your profile, "
            "upload and manage your tracks and sets, comment, like and follow</span></p>"
            f"<form method='post' action='/authorize'>{hidden}"
            "<button id='allow' type='submit' name='decision' value='allow'>Allow</button> "
            "<button id='deny' type='submit' name='decision' value='deny'>Deny</button>"
            "</form>"
        )
        return html_page(200, "Connect to SoundCloud (sandbox)", body)

    # -- /oauth/token --------------------------------------------------------------------------
    def _client_auth(self, req: Request) -> tuple[str | None, str | None]:
        if req.authorization and req.authorization.type == "basic":
            return req.authorization.username, req.authorization.password
        return req.form.get("client_id"), req.form.get("client_secret")

    def h_token(self, req: Request):
        client_id, secret = self._client_auth(req)
        if client_id != APP["client_id"] or secret != APP["client_secret"]:
            return oauth_error("invalid_client", 401)
        grant = req.form.get("grant_type")
        lifetime = self.cfg("token_lifetime")
        if grant == "authorization_code":
            return self._grant_code(req, client_id, lifetime)
        if grant == "refresh_token":
            return self._grant_refresh(req, client_id, lifetime)
        if grant == "client_credentials":
            return self._grant_client(req, client_id, lifetime)
        return oauth_error("unsupported_grant_type")

    def _grant_code(self, req, client_id, lifetime):
        code = req.form.get("code", "")
        with self.store.lock:
            row = self.store.q1("SELECT * FROM codes WHERE code=?", code)
            if (
                row is None
                or row["used"]
                or row["expires_at"] < time.time()
                or row["client_id"] != client_id
                or row["redirect_uri"] != req.form.get("redirect_uri")
                or s256(req.form.get("code_verifier", "")) != row["challenge"]
            ):
                if row is not None:
                    self.store.x("UPDATE codes SET used=1 WHERE code=?", code)
                return oauth_error("invalid_grant")
            self.store.x("UPDATE codes SET used=1 WHERE code=?", code)
        self.tokens_issued["authorization_code"] += 1
        body = self.store.issue_token("user", client_id, row["user_id"], lifetime, True)
        return json_response(body)

    def _grant_refresh(self, req, client_id, lifetime):
        refresh = req.form.get("refresh_token", "")
        with self.store.lock:
            row = self.store.q1("SELECT * FROM refresh_tokens WHERE refresh=?", refresh)
            if row is None or row["used"] or row["client_id"] != client_id:
                return oauth_error("invalid_grant")
            # Single use: the old refresh token dies the moment a new one is issued.
            self.store.x("UPDATE refresh_tokens SET used=1 WHERE refresh=?", refresh)
            kind = "user" if row["user_id"] is not None else "app"
            body = self.store.issue_token(kind, client_id, row["user_id"], lifetime, True)
        self.tokens_issued["refresh_token"] += 1
        return json_response(body)

    def _grant_client(self, req, client_id, lifetime):
        now = time.time()
        ip = req.remote_addr or "?"
        with self.store.lock:
            per_app = self.store.q1(
                "SELECT COUNT(*) AS n FROM grants WHERE client_id=? AND at>?",
                client_id,
                now - 12 * 3600,
            )["n"]
            per_ip = self.store.q1(
                "SELECT COUNT(*) AS n FROM grants WHERE ip=? AND at>?", ip, now - 3600
            )["n"]
            if per_ip >= self.cfg("cc_per_ip_1h"):
                return _cc_limited("by-ip", int(self.cfg("cc_per_ip_1h")), "PT1H", now + 3600)
            if per_app >= self.cfg("cc_per_app_12h"):
                return _cc_limited(
                    "by-client", int(self.cfg("cc_per_app_12h")), "PT12H", now + 12 * 3600
                )
            self.store.x("INSERT INTO grants VALUES (?, ?, ?)", client_id, ip, now)
        self.tokens_issued["client_credentials"] += 1
        return json_response(self.store.issue_token("app", client_id, None, lifetime, True))


def _cc_limited(bucket: str, maximum: int, window: str, reset: float) -> Response:
    reset_time = datetime.fromtimestamp(reset, tz=timezone.utc).strftime("%Y/%m/%d %H:%M:%S +0000")
    return json_response(
        {
            "errors": [
                {
                    "meta": {
                        "rate_limit": {
                            "bucket": bucket,
                            "max_nr_of_requests": maximum,
                            "time_window": window,
                            "name": "client-credentials-exchange",
                        },
                        "remaining_requests": 0,
                        "reset_time": reset_time,
                    }
                }
            ]
        },
        429,
    )
