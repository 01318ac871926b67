"""The authorization-code login: PKCE, a one-shot loopback listener, and the code exchange."""

from __future__ import annotations

import secrets
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sccli.core.auth import Authenticator
from sccli.core.errors import AuthError, SccliError, UsageError
from sccli.core.tokens import TokenRecord

DONE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>sc: {title}</title></head>"
    "<body><h1>{title}</h1><p>{text}</p></body></html>"
)


class LoginSession:
    """One login attempt: the URL to send the person to (with its PKCE challenge and state),
    then the checks on the callback and the code exchange (requests-oauthlib, core/oauth.py)."""

    def __init__(
        self, auth: Authenticator, client_id: str, client_secret: str, redirect_uri: str
    ) -> None:
        from sccli.core.oauth import PkceLogin

        self.auth = auth
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        auth.client.scrub.add(client_secret)
        self.pkce = PkceLogin(auth.client, client_id, redirect_uri)
        self.state = self.pkce.state
        self.url = self.pkce.url

    def finish(self, params: dict[str, str]) -> TokenRecord:
        """Check the callback, exchange the code, learn who logged in, and store the tokens."""
        if params.get("error"):
            if params["error"] == "access_denied":
                raise AuthError(
                    "authorization was denied in the browser", hint="run `sc auth login` again"
                )
            raise AuthError(f"authorization failed: {params['error']}")
        if not secrets.compare_digest(params.get("state", ""), self.state):
            raise AuthError(
                "the login callback's state does not match: it was not the answer to this login",
                hint="run `sc auth login` again",
            )
        code = params.get("code")
        if not code:
            raise AuthError("the login callback carried no authorization code")
        body = self.pkce.exchange(code, self.client_secret)
        rec = TokenRecord.from_token_response(
            body, kind="user", client_id=self.client_id, client_secret=self.client_secret
        )
        return self.auth.adopt(rec)


def parse_callback_url(text: str) -> dict[str, str]:
    """The query of a pasted redirect URL (or of a bare `code=...&state=...`)."""
    text = text.strip()
    query = urlsplit(text).query if "://" in text else text.lstrip("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    if not params.get("code") and not params.get("error"):
        raise UsageError("that does not look like the redirected URL: it has no code in it")
    return params


class LoopbackReceiver:
    """Listens once on http://127.0.0.1:PORT/callback for the browser's redirect."""

    def __init__(self, port: int) -> None:
        self.params: dict[str, str] | None = None
        self._got = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                if parts.path != "/callback":
                    self.send_error(404)
                    return
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                ok = "code" in params
                title = "Logged in" if ok else "Login failed"
                text = (
                    "You can close this tab and return to the terminal."
                    if ok
                    else "sc did not get an authorization code; see the terminal."
                )
                body = DONE_PAGE.format(title=title, text=text).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                receiver.params = params
                receiver._got.set()

            def log_message(
                self, format: str, *args: Any
            ) -> None:  # the URL holds the code: log nothing
                pass

        try:
            self.server = HTTPServer(("127.0.0.1", port), Handler)
        except OSError as e:
            raise SccliError(f"cannot listen on 127.0.0.1:{port}: {e.strerror}") from None
        self.port = self.server.server_port
        self.redirect_uri = f"http://127.0.0.1:{self.port}/callback"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def wait(self, timeout: float) -> dict[str, str]:
        try:
            if not self._got.wait(timeout):
                raise AuthError(
                    f"no answer from the browser within {int(timeout)}s",
                    hint="run `sc auth login` again, or `sc auth login --no-browser` to open the URL yourself",
                )
            assert self.params is not None
            return self.params
        finally:
            self.close()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def sandbox_login_if_needed(auth: Authenticator) -> None:
    """--sandbox: log the built-in user in through the real consent form, without asking."""
    if auth.store.load() is not None:
        return
    settings = auth.settings
    assert settings.client_id and settings.client_secret
    redirect = "http://127.0.0.1:1/callback"  # never contacted: we read the 302 ourselves
    session = LoginSession(auth, settings.client_id, settings.client_secret, redirect)
    query = dict(parse_qs(urlsplit(session.url).query))
    form = {k: v[0] for k, v in query.items()}
    form["decision"] = "allow"
    resp = auth.client.send("POST", auth.client.auth_url("/authorize"), data=form)
    location = resp.headers.get("Location", "")
    if resp.status_code != 302 or not location:
        raise SccliError("the sandbox did not complete its built-in login")
    session.finish(parse_callback_url(location))
