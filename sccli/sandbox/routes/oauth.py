"""The auth host: the consent page (/authorize) and the token endpoint (/oauth/token)."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import time
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request, Response

from sccli.sandbox.context import Ctx
from sccli.sandbox.http import error_body, html_page, json_response, rate_limited
from sccli.sandbox.routes import api
from sccli.sandbox.store import APP, SANDBOX_USER_ID

LOOPBACK_CALLBACK = re.compile(r"http://127\.0\.0\.1:(\d{1,5})/callback")
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
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _redirect_problem(c: Ctx, uri: str) -> str | None:
    exact = c.services.redirect_uri
    if exact:
        return None if uri == exact else "redirect_uri does not match the app's registered one."
    m = LOOPBACK_CALLBACK.fullmatch(uri)
    if not m or not 0 < int(m.group(1)) <= 65535:
        return "redirect_uri must be http://127.0.0.1:PORT/callback."
    return None


def _check_authorize(c: Ctx, p: MultiDict[str, str]) -> str | None:
    if p.get("client_id") != APP["client_id"]:
        return "Unknown client_id: this sandbox knows the app 'sandbox'."
    problem = _redirect_problem(c, p.get("redirect_uri", ""))
    if problem:
        return problem
    if p.get("response_type") != "code":
        return "response_type must be 'code'."
    if p.get("code_challenge_method") != "S256":
        return "PKCE is required: code_challenge_method must be S256."
    if not re.fullmatch(r"[A-Za-z0-9_-]{43,128}", p.get("code_challenge", "")):
        return "PKCE is required: code_challenge is missing or malformed."
    return None


def authorize(c: Ctx) -> Response:
    p = c.req.form if c.req.method == "POST" else c.req.args
    problem = _check_authorize(c, p)
    if problem:
        return _authorize_error(c.req, problem)
    if c.req.method == "GET":
        return _consent_page(c, p)
    target = p["redirect_uri"]
    extra = {"state": p["state"]} if p.get("state") else {}
    if p.get("decision") != "allow":
        query = urlencode({"error": "access_denied", **extra})
        return Response(status=302, headers={"Location": f"{target}?{query}"})
    code = c.store.tokens.new_code(
        p["client_id"], target, p["code_challenge"], SANDBOX_USER_ID, c.cfg("code_lifetime")
    )
    query = urlencode({"code": code, **extra})
    return Response(status=302, headers={"Location": f"{target}?{query}"})


def _authorize_error(req: Request, problem: str) -> Response:
    """A page for a person's browser; the API's JSON error for anything else."""
    if req.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return html_page(400, "Authorization error", f"<p id='error'>{html.escape(problem)}</p>")
    return json_response(error_body(400, problem), 400)


def _consent_page(c: Ctx, p: MultiDict[str, str]) -> Response:
    user = c.store.user(SANDBOX_USER_ID) or {}
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


def _client_auth(req: Request) -> tuple[str | None, str | None]:
    if req.authorization and req.authorization.type == "basic":
        return req.authorization.username, req.authorization.password
    return req.form.get("client_id"), req.form.get("client_secret")


def token(c: Ctx) -> Response:
    client_id, secret = _client_auth(c.req)
    if client_id != APP["client_id"] or secret != APP["client_secret"]:
        return oauth_error("invalid_client", 401)
    grants = {
        "authorization_code": _grant_code,
        "refresh_token": _grant_refresh,
        "client_credentials": _grant_client,
    }
    grant = grants.get(c.req.form.get("grant_type", ""))
    if grant is None:
        return oauth_error("unsupported_grant_type")
    return grant(c, client_id)


def _grant_code(c: Ctx, client_id: str) -> Response:
    form = c.req.form
    row = c.store.tokens.take_code(form.get("code", ""))
    if (
        row is None
        or row["expires_at"] < time.time()
        or row["client_id"] != client_id
        or row["redirect_uri"] != form.get("redirect_uri")
        or s256(form.get("code_verifier", "")) != row["challenge"]
    ):
        return oauth_error("invalid_grant")
    c.services.monitor.count_token("authorization_code")
    lifetime = c.cfg("token_lifetime")
    return json_response(c.store.tokens.issue("user", client_id, row["user_id"], lifetime, True))


def _grant_refresh(c: Ctx, client_id: str) -> Response:
    row = c.store.tokens.take_refresh(c.req.form.get("refresh_token", ""), client_id)
    if row is None:
        return oauth_error("invalid_grant")
    kind = "user" if row["user_id"] is not None else "app"
    lifetime = c.cfg("token_lifetime")
    body = c.store.tokens.issue(kind, client_id, row["user_id"], lifetime, True)
    c.services.monitor.count_token("refresh_token")
    return json_response(body)


def _grant_client(c: Ctx, client_id: str) -> Response:
    now = time.time()
    ip = c.req.remote_addr or "?"
    tokens = c.store.tokens
    with c.store.db.transaction():
        per_ip, per_app = c.cfg("cc_per_ip_1h"), c.cfg("cc_per_app_12h")
        if tokens.grants_since("ip", ip, now - 3600) >= per_ip:
            return rate_limited("by-ip", int(per_ip), "PT1H", NAME, now + 3600)
        if tokens.grants_since("client_id", client_id, now - 12 * 3600) >= per_app:
            return rate_limited("by-client", int(per_app), "PT12H", NAME, now + 12 * 3600)
        tokens.record_grant(client_id, ip, now)
    c.services.monitor.count_token("client_credentials")
    lifetime = c.cfg("token_lifetime")
    return json_response(tokens.issue("app", client_id, None, lifetime, True))


def sign_out(c: Ctx) -> Response:
    """Invalidate the access token this request carries."""
    if c.token is not None:
        c.store.tokens.revoke(c.token["access"])
    return json_response({"status": "200 - OK"})


NAME = "client-credentials-exchange"
ROUTES = [
    *api("/sign-out", "POST", handler=sign_out),
    *api("/authorize", "GET", "POST", handler=authorize, auth=False),
    *api("/oauth/token", "POST", handler=token, auth=False),
]
