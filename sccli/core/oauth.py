"""The OAuth 2 protocol on requests-oauthlib: the PKCE (S256) authorization URL and code
exchange, client credentials, and refresh.

What stays ours around it: every token request travels through the Client (`Client.send`), so
`--debug` logs it redacted, it carries our User-Agent and timeouts, and a network failure is a
NetworkError (exit 6); every answer is checked here before oauthlib parses it, so OAuth errors
keep our messages and exit codes. The token stores, the refresh lock and the re-read under it
live in auth.py. This module is imported lazily (inside functions): `sc --help` never loads it.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from oauthlib.oauth2 import BackendApplicationClient, OAuth2Error, WebApplicationClient
from requests.adapters import BaseAdapter
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

from sccli.core.auth import LOGIN_HINT
from sccli.core.errors import ApiError, AuthError, SccliError, UsageError
from sccli.core.http_errors import error_for_response, parse_json

if TYPE_CHECKING:
    from sccli.core.client import Client

TOKEN_PATH = "/oauth/token"
AUTHORIZE_PATH = "/authorize"

# requests-oauthlib's own DEBUG records print tokens, codes and request bodies in clear. sc's
# trace is `--debug` (redacted, through the Client); never let a DEBUG root logger show theirs.
for _name in ("requests_oauthlib", "oauthlib"):
    logging.getLogger(_name).setLevel(logging.INFO)


# -- plain http, on loopback only ----------------------------------------------------------------
class _LoopbackTransport:
    """oauthlib refuses any http:// URL unless OAUTHLIB_INSECURE_TRANSPORT is set in os.environ,
    which it reads at every check. The sandbox (and every test) serves OAuth on
    http://127.0.0.1, where plain http never leaves the machine. So: refuse plain http to any
    other host ourselves, before oauthlib sees the URL, and set the variable only while an OAuth
    call to a loopback host runs. Counted, because in-process tests run several `sc` in threads
    at once: the last one out restores what was there (the variable is never set globally)."""

    VAR = "OAUTHLIB_INSECURE_TRANSPORT"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved: str | None = None

    @contextlib.contextmanager
    def allow(self, url: str) -> Iterator[None]:
        parts = urlsplit(url)
        if parts.scheme != "http":
            yield  # https: oauthlib's own check passes
            return
        if not is_loopback(parts.hostname or ""):
            raise UsageError(
                f"refusing to send OAuth credentials over plain http to {parts.netloc}",
                hint="use an https:// auth URL (--auth-url / SC_AUTH_URL); "
                "plain http is allowed only for 127.0.0.1 and localhost",
            )
        with self._lock:
            if self._users == 0:
                self._saved = os.environ.get(self.VAR)
                os.environ[self.VAR] = "1"
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    if self._saved is None:
                        os.environ.pop(self.VAR, None)
                    else:
                        os.environ[self.VAR] = self._saved


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_transport = _LoopbackTransport()


# -- the session: requests-oauthlib's protocol on the Client's transport ------------------------
class _ClientAdapter(BaseAdapter):
    """A requests transport adapter that sends through `Client.send`: the OAuth session builds
    each token request (body, Basic auth, PKCE verifier); the Client sends and logs it."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        # Timeouts, TLS verification and proxies are the Client's own, as for every API call.
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        return self.client.send(
            request.method or "POST", request.url or "", data=request.body, headers=headers
        )

    def close(self) -> None:
        pass


class _TokenAnswer:
    """The session's response hook: maps a refused token request to our errors (before
    requests would follow a redirect or oauthlib would parse it) and keeps the body as sent."""

    def __init__(self, client: Client, grant: str) -> None:
        self.client = client
        self.grant = grant
        self.body: dict[str, Any] | None = None

    def __call__(self, resp: requests.Response, **_: Any) -> requests.Response:
        body = parse_json(resp.text)
        token = body.get("access_token") if isinstance(body, dict) else None
        if resp.status_code == 200 and isinstance(body, dict) and isinstance(token, str) and token:
            self.client.scrub.add(token, body.get("refresh_token"))
            self.body = body
            return resp
        raise token_error(resp.status_code, resp.headers, resp.text, self.grant)


def _session(
    client: Client, oauth_client: Any, grant: str, **kwargs: Any
) -> tuple[Any, _TokenAnswer]:
    session = OAuth2Session(client=oauth_client, **kwargs)
    session.headers.clear()  # the Client's own session adds User-Agent and Accept
    adapter = _ClientAdapter(client)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    answer = _TokenAnswer(client, grant)
    session.hooks["response"].append(answer)
    return session, answer


def _run(answer: _TokenAnswer, url: str, call: Callable[[], object]) -> dict[str, Any]:
    """Run one token request; the answer's body as the server sent it, checked."""
    with _transport.allow(url):
        try:
            call()
        except (OAuth2Error, ValueError) as e:
            # The hook let only a 200 with an access token through: oauthlib found the rest odd.
            raise ApiError(
                f"the token endpoint's answer could not be read ({_describe(e)})"
            ) from None
    if answer.body is None:  # pragma: no cover - the hook raises or sets it
        raise ApiError("the token endpoint sent no token")
    return answer.body


def _describe(e: Exception) -> str:
    return e.error if isinstance(e, OAuth2Error) else type(e).__name__


# -- grants ---------------------------------------------------------------------------------------
class PkceLogin:
    """One authorization-code login with PKCE S256: the URL to send the person to, then the
    code exchange on the same OAuth2Session, which holds the verifier it made for that URL."""

    def __init__(self, client: Client, client_id: str, redirect_uri: str) -> None:
        self.client = client
        self._oauth = WebApplicationClient(client_id)
        self._session, self._answer = _session(
            client, self._oauth, "authorization_code", redirect_uri=redirect_uri, pkce="S256"
        )
        authorize = client.auth_url(AUTHORIZE_PATH)
        with _transport.allow(authorize):
            url, state = self._session.authorization_url(authorize)
        self.url: str = url
        self.state: str = state
        self.verifier: str = self._oauth.code_verifier  # oauthlib keeps what it generated
        client.scrub.add(self.verifier)

    def exchange(self, code: str, client_secret: str) -> dict[str, Any]:
        """The code for tokens. SoundCloud takes the app's credentials in the body here."""
        self.client.scrub.add(code, client_secret)
        url = self.client.auth_url(TOKEN_PATH)
        return _run(
            self._answer,
            url,
            lambda: self._session.fetch_token(
                url, code=code, client_secret=client_secret, include_client_id=True
            ),
        )


def client_credentials_grant(client: Client, client_id: str, client_secret: str) -> dict[str, Any]:
    """An app token. SoundCloud wants the app's credentials as HTTP Basic auth here."""
    client.scrub.add(client_secret)
    session, answer = _session(client, BackendApplicationClient(client_id), "client_credentials")
    url = client.auth_url(TOKEN_PATH)
    basic = HTTPBasicAuth(client_id, client_secret)
    return _run(answer, url, lambda: session.fetch_token(url, auth=basic))


def refresh_grant(
    client: Client, refresh_token: str, client_id: str, client_secret: str
) -> dict[str, Any]:
    """Spend a (single-use) refresh token. SoundCloud wants client_id and client_secret in the
    body, not as Basic auth: passed as extra parameters, they go there."""
    client.scrub.add(refresh_token, client_secret)
    session, answer = _session(client, WebApplicationClient(client_id), "refresh_token")
    url = client.auth_url(TOKEN_PATH)
    return _run(
        answer,
        url,
        lambda: session.refresh_token(
            url, refresh_token=refresh_token, client_id=client_id, client_secret=client_secret
        ),
    )


# -- errors ---------------------------------------------------------------------------------------
_INVALID_GRANT = {
    "refresh_token": "the stored refresh token was refused (invalid_grant): "
    "it was already used or revoked",
    "authorization_code": "the authorization code was refused (invalid_grant): "
    "it is wrong, used already, or the PKCE verifier does not match",
}


def token_error(status: int, headers: Any, text: str, grant: str) -> SccliError:
    """A refused token request: OAuth error bodies are AuthErrors (exit 4); a 429 is
    RateLimited (exit 5), a 5xx a ServerError (exit 1), an HTML page one line."""
    body = parse_json(text)
    oauth_error = body.get("error") if isinstance(body, dict) else None
    if oauth_error == "invalid_grant":
        what = _INVALID_GRANT.get(grant, "the grant was refused (invalid_grant)")
        return AuthError(what, hint=LOGIN_HINT, status=status)
    if oauth_error == "invalid_client":
        return AuthError(
            "the app's client_id or client_secret was refused (invalid_client)",
            hint="check SC_CLIENT_ID / SC_CLIENT_SECRET, or run `sc auth login` again",
            status=status,
        )
    if oauth_error and status < 500 and status != 429:
        desc = body.get("error_description") if isinstance(body, dict) else None
        return AuthError(f"token request refused: {oauth_error}" + (f" ({desc})" if desc else ""))
    return error_for_response(status, headers, text, method="POST", what=TOKEN_PATH)
