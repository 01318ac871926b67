"""The authorization-code login: PKCE, a one-shot loopback listener, and the code exchange."""

from __future__ import annotations

import secrets
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from sccli.core.auth import Authenticator
from sccli.core.errors import AuthError, SccliError, UsageError
from sccli.core.tokens import TokenRecord

if TYPE_CHECKING:
    from sccli.core.client import Client

DONE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>sc: {title}</title></head>"
    "<body><h1>{title}</h1><p>{text}</p></body></html>"
)
NOT_OURS = (
    "This answer is not for the login sc is waiting for, so sc ignored it and is still waiting."
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
        """Check the callback, exchange the code, learn who logged in, and store the tokens.
        The state first: what does not carry it is not the answer to this login at all."""
        if not self.is_ours(params):
            raise AuthError(
                "the login callback's state does not match: it was not the answer to this login",
                hint="run `sc auth login` again",
            )
        if params.get("error"):
            if params["error"] == "access_denied":
                raise AuthError(
                    "authorization was denied in the browser", hint="run `sc auth login` again"
                )
            raise AuthError(f"authorization failed: {params['error']}")
        code = params.get("code")
        if not code:
            raise AuthError("the login callback carried no authorization code")
        body = self.pkce.exchange(code, self.client_secret)
        rec = TokenRecord.from_token_response(
            body, kind="user", client_id=self.client_id, client_secret=self.client_secret
        )
        return self.auth.adopt(rec)

    def is_ours(self, params: dict[str, str]) -> bool:
        # As bytes: compare_digest refuses str with non-ASCII characters (a hostile URL's).
        given = params.get("state", "").encode("utf-8", "replace")
        return secrets.compare_digest(given, self.state.encode())


def parse_callback_url(text: str) -> dict[str, str]:
    """The query of a pasted redirect URL (or of a bare `code=...&state=...`)."""
    text = text.strip()
    query = urlsplit(text).query if "://" in text else text.lstrip("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    if not params.get("code") and not params.get("error"):
        raise UsageError("that does not look like the redirected URL: it has no code in it")
    return params


def default_redirect_uri(port: int) -> str:
    return f"http://127.0.0.1:{port}/callback"


def listen_address(redirect_uri: str) -> tuple[int, str] | None:
    """Where a registered redirect URI can be listened on here: (port, path), or None when
    it is not plain http on this machine (its answer must then be pasted)."""
    parts = urlsplit(redirect_uri)
    if parts.scheme != "http" or (parts.hostname or "") not in ("127.0.0.1", "localhost"):
        return None
    return parts.port or 80, parts.path or "/"


MAX_FORM = 64 * 1024  # a callback's POST body: a code and a state, not megabytes


class _QuietServer(HTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a broken browser request is no reason to print a traceback on sc's stderr


class LoopbackReceiver:
    """Listens on http://127.0.0.1:PORT/callback (or the path of the app's registered
    redirect URI) for the browser's redirect: a GET with the code in the query, or a POST
    with it in a form body, as SoundCloud's own sc-api-auth takes it, at the path with or
    without a trailing slash.

    Only a callback carrying this login's state is taken. Any other (a web page trying to
    abort the login with ?error=x, a stale tab) is answered 400 and the wait goes on. The
    browser's page tells how the login ended: it is answered after sc has checked the
    callback and exchanged the code, so it never says "Logged in" when sc did not."""

    VERDICT_TIMEOUT = 60.0

    def __init__(self, port: int, path: str = "/callback", redirect_uri: str | None = None) -> None:
        self.params: dict[str, str] | None = None
        self.session: LoginSession | None = None
        self._got = threading.Event()
        self._verdict = threading.Event()
        self._ok = False
        try:
            self.server = _QuietServer(("127.0.0.1", port), _handler(self, path))
        except OSError as e:
            raise SccliError(f"cannot listen on 127.0.0.1:{port}: {e.strerror}") from None
        self.port = self.server.server_port
        self.redirect_uri = redirect_uri or default_redirect_uri(self.port)
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _take(self, params: dict[str, str]) -> bool:
        """The first callback with this login's state; anything else is not ours."""
        if self._got.is_set() or self.session is None or not self.session.is_ours(params):
            return False
        self.params = params
        self._got.set()
        return True

    def expect(self, session: LoginSession) -> None:
        """The login whose callback to take: set before its URL is shown to anyone."""
        self.session = session

    def receive(self, session: LoginSession, timeout: float) -> TokenRecord:
        """Wait for the session's callback and finish the login; then answer the browser."""
        self.expect(session)
        try:
            if not self._got.wait(timeout):
                raise AuthError(
                    f"no answer from the browser within {int(timeout)}s",
                    hint="run `sc auth login` again, or `sc auth login --no-browser` to open the URL yourself",
                )
            assert self.params is not None
            rec = session.finish(self.params)
            self._ok = True
            return rec
        finally:
            self._verdict.set()
            self.close()

    def close(self) -> None:
        self._verdict.set()  # a handler still waiting answers "Login failed" and lets go
        self.server.shutdown()
        self.server.server_close()


def _handler(receiver: LoopbackReceiver, path: str) -> type[BaseHTTPRequestHandler]:
    """The callback's handler: GET or POST at `path`, with or without a trailing slash."""
    wanted = path.rstrip("/") or "/"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._callback(b"")

        def do_POST(self) -> None:  # noqa: N802
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_FORM:
                self.send_error(413)
                return
            self._callback(self.rfile.read(length))

        def _callback(self, body: bytes) -> None:
            parts = urlsplit(self.path)
            if (parts.path.rstrip("/") or "/") != wanted:
                self.send_error(404)
                return
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            form = parse_qs(body.decode("utf-8", "replace"))
            params.update({k: v[0] for k, v in form.items()})  # the body's, if both
            if not receiver._take(params):
                self._page(400, "Login failed", NOT_OURS)
                return
            receiver._verdict.wait(receiver.VERDICT_TIMEOUT)
            if receiver._ok:
                self._page(200, "Logged in", "You can close this tab and return to the terminal.")
            else:
                self._page(400, "Login failed", "sc could not log in; see the terminal.")

        def _page(self, status: int, title: str, text: str) -> None:
            body = DONE_PAGE.format(title=title, text=text).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(
            self, format: str, *args: Any
        ) -> None:  # the URL holds the code: log nothing
            pass

    return Handler


def sandbox_login_if_needed(auth: Authenticator, api: Client) -> None:
    """--sandbox: log the built-in user in through the real consent form, without asking;
    again when the stored login is one the sandbox no longer knows (its state was reset).
    `api`: the Client that sends the stored token (the check is a request with it)."""
    if auth.store.load() is not None:
        try:
            api.get("/me")  # a local request: the sandbox is in this process
            return
        except AuthError:
            auth.store.delete()
            auth.record = None
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
