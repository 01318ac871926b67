"""The one HTTP client: base URLs, the auth header, timeouts, retries, error mapping, pagination."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import requests

from sccli import __version__
from sccli.core.config import Settings
from sccli.core.errors import ApiError, NetworkError, RateLimited, SccliError
from sccli.core.http_errors import error_for_response, parse_json
from sccli.core.redact import Scrubber, redact_body, redact_headers, redact_url

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_PAGE = 200


class TokenSource(Protocol):
    def token(self) -> str: ...

    def refresh_after_401(self, rejected: str) -> str | None: ...


class RetryPolicy:
    """Exponential backoff with full jitter, capped; 429 waits only when the reset is near."""

    def __init__(
        self, attempts: int = 4, base: float = 0.25, cap: float = 4.0, max_wait: float = 60.0
    ):
        self.attempts = attempts
        self.base = base
        self.cap = cap
        self.max_wait = max_wait

    def backoff(self, attempt: int) -> float:
        return random.uniform(self.base / 2, min(self.cap, self.base * 2**attempt))


class Client:
    def __init__(
        self,
        settings: Settings,
        tokens: TokenSource | None = None,
        *,
        debug: Callable[[str], None] | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = (10.0, 60.0),
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self.tokens = tokens
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.scrub = Scrubber()
        self._debug = debug
        self._sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"sccli/{__version__}"
        self.session.headers["Accept"] = "application/json; charset=utf-8"

    # -- logging -------------------------------------------------------------------------
    def log(self, text: str) -> None:
        if self._debug:
            self._debug(self.scrub(text))

    def _log_request(self, req: requests.PreparedRequest) -> None:
        if not self._debug:
            return
        self.log(f"> {req.method} {redact_url(req.url or '')}")
        for k, v in redact_headers(dict(req.headers)).items():
            self.log(f"> {k}: {v}")
        body = req.body
        if isinstance(body, (bytes, str)):
            self.log("> " + _truncate(redact_body(body, req.headers.get("Content-Type", ""))))
        elif body is not None:
            self.log(f"> <streamed body, {req.headers.get('Content-Length', '?')} bytes>")

    def _log_response(self, resp: requests.Response, elapsed: float, unread: bool) -> None:
        if not self._debug:
            return
        self.log(f"< {resp.status_code} {resp.reason} ({elapsed * 1000:.0f} ms)")
        for k, v in redact_headers(dict(resp.headers)).items():
            self.log(f"< {k}: {v}")
        if unread or resp.headers.get("Content-Type", "").startswith(("audio/", "image/")):
            return
        self.log("< " + _truncate(redact_body(resp.content, resp.headers.get("Content-Type", ""))))

    # -- URLs ----------------------------------------------------------------------------
    def api_url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return urljoin(self.settings.api_url + "/", path_or_url.lstrip("/"))

    def auth_url(self, path: str) -> str:
        return urljoin(self.settings.auth_url + "/", path.lstrip("/"))

    def _is_api_host(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.settings.api_url).netloc

    # -- sending -------------------------------------------------------------------------
    def send(
        self,
        method: str,
        url: str,
        *,
        timeout: tuple[float, float] | None = None,
        stream: bool = False,
        **kwargs: Any,
    ) -> requests.Response:
        """One exchange, logged; network failures become NetworkError (exit 6).
        `stream`: a successful body is left unread for the caller (downloads)."""
        req = self.session.prepare_request(requests.Request(method, url, **kwargs))
        self._log_request(req)
        start = time.monotonic()
        try:
            resp = self.session.send(
                req, timeout=timeout or self.timeout, allow_redirects=False, stream=True
            )
            unread = (stream and resp.status_code < 300) or resp.headers.get(
                "Content-Type", ""
            ).startswith("audio/")
            if not unread:
                resp.content  # noqa: B018 - read the body now, inside the try
        except requests.exceptions.RequestException as e:
            sent = _may_have_been_sent(e)
            self.log(f"! {type(e).__name__}: {e}")
            where = urlsplit(url).netloc
            if isinstance(e, requests.exceptions.Timeout):
                msg = f"timed out talking to {where}"
            elif sent:
                msg = f"connection to {where} dropped before an answer came"
            else:
                msg = f"cannot connect to {where}"
            raise NetworkError(msg, sent=sent) from None
        self._log_response(resp, time.monotonic() - start, unread)
        return resp

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Any = None,
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        authenticated: bool = True,
        follow_redirects: bool = True,
        timeout: tuple[float, float] | None = None,
        ok: tuple[int, ...] = (),
        stream: bool = False,
    ) -> requests.Response:
        """An API request with auth, retries for what is safe to repeat, and error mapping.
        `stream=True` leaves a successful body unread (read it with `iter_content`); headers
        such as Range go along to every hop of a redirect."""
        method = method.upper()
        url = self.api_url(path_or_url)
        # A streamed body cannot be replayed; a POST is never repeated once it may have arrived.
        replayable = data is None or isinstance(data, (bytes, str, dict, list))
        idempotent = method in IDEMPOTENT and replayable
        refreshed = False
        attempt = 0
        while True:
            hdrs = dict(headers or {})
            token = None
            if authenticated and self.tokens and self._is_api_host(url):
                token = self.tokens.token()
                self.scrub.add(token)
                hdrs["Authorization"] = f"OAuth {token}"
            try:
                resp = self.send(
                    method,
                    url,
                    params=params,
                    json=json,
                    data=data,
                    headers=hdrs,
                    timeout=timeout,
                    stream=stream,
                )
            except NetworkError as e:
                if attempt + 1 < self.retry.attempts and replayable and (idempotent or not e.sent):
                    self._sleep(self._backoff(attempt, e.message))
                    attempt += 1
                    continue
                raise
            status = resp.status_code
            if (
                follow_redirects
                and status in (301, 302, 303, 307, 308)
                and "Location" in resp.headers
            ):
                url = urljoin(url, resp.headers["Location"])
                if status == 303 or (status in (301, 302) and method != "GET"):
                    method = "GET"
                params = json = data = None
                continue
            if status < 400 or status in ok:
                return resp
            if status == 401 and token and not refreshed and self.tokens and replayable:
                refreshed = True
                self.log("! 401: refreshing the token and retrying once")
                if self.tokens.refresh_after_401(token):
                    continue
            err = error_for_response(
                status, resp.headers, resp.text, method=method, what=_what(url)
            )
            delay = self._retry_delay(err, attempt, idempotent, replayable)
            if delay is None:
                raise err
            self._sleep(delay)
            attempt += 1

    def _retry_delay(
        self, err: SccliError, attempt: int, idempotent: bool, replayable: bool
    ) -> float | None:
        """How long to wait before sending again, or None: do not send again."""
        if attempt + 1 >= self.retry.attempts or err.status not in RETRY_STATUSES:
            return None
        if not replayable:
            return None
        if isinstance(err, RateLimited):
            # A 429 was not carried out, so even a POST may go again, if the reset is near.
            if err.retry_at is None:
                return self._backoff(attempt, "429")
            wait = max(err.retry_at - time.time(), 0.0)
            if wait > self.retry.max_wait:
                return None
            self.log(f"! 429: waiting {wait:.1f}s for the rate limit to reset")
            return wait + 0.5
        return self._backoff(attempt, str(err.status)) if idempotent else None

    def _backoff(self, attempt: int, why: str) -> float:
        delay = self.retry.backoff(attempt)
        self.log(f"! {why}: retry {attempt + 2}/{self.retry.attempts} in {delay:.2f}s")
        return delay

    # -- conveniences --------------------------------------------------------------------
    def get(self, path: str, params: Any = None) -> Any:
        return decode(self.request("GET", path, params=params))

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        return decode(self.request(method, path, **kwargs))

    def paginate(
        self, path: str, params: dict[str, Any] | None = None, *, page_size: int | None = 50
    ) -> Iterator[dict]:
        """Yield every item, following next_href; stop on a cursor the server already gave.
        `page_size=None` sends no `limit`, for endpoints that do not declare one."""
        query = dict(params or {})
        query["linked_partitioning"] = "true"
        if page_size is not None:
            query["limit"] = max(1, min(page_size, MAX_PAGE))
        url: str | None = self.api_url(path)
        followed: set[str] = set()  # every page URL requested, as sent
        first = True
        while url:
            resp = self.request("GET", url, params=query if first else None)
            first = False
            followed.add(resp.url)
            body = decode(resp)
            if isinstance(body, list):  # the deprecated unpaginated form
                yield from body
                return
            if not isinstance(body, dict):
                raise ApiError(f"unexpected response from {_what(url)}")
            yield from body.get("collection") or []
            nxt = body.get("next_href")
            if nxt and nxt in followed:
                raise ApiError(
                    "the server sent a next_href to a page already read; stopping to avoid a loop"
                )
            url = nxt or None


def decode(resp: requests.Response) -> Any:
    if resp.status_code == 204 or not resp.content:
        return None
    body = parse_json(resp.text)
    if body is None:
        ctype = resp.headers.get("Content-Type", "?")
        raise ApiError(f"expected JSON from the API but got {ctype}")
    return body


def _truncate(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


def _what(url: str) -> str:
    return urlsplit(url).path or "/"


def _may_have_been_sent(e: Exception) -> bool:
    """False only when we know the request never left: refused or connect timeout."""
    if isinstance(e, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(e, requests.exceptions.ConnectionError):
        text = repr(e.args[0] if e.args else e)
        return not any(
            s in text
            for s in ("NewConnectionError", "Connection refused", "Name or service", "getaddrinfo")
        )
    return True
