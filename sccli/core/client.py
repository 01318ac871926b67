"""The one HTTP client: base URLs, the auth header, timeouts, retries, error mapping, pagination."""

from __future__ import annotations

import contextlib
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol
from urllib.parse import quote, unquote, urljoin, urlsplit

import requests

from sccli import __version__
from sccli.core.config import Settings
from sccli.core.deadline import Deadline, DeadlinePassed, WatchedAdapter
from sccli.core.errors import ApiError, NetworkError, NotFound, RateLimited, SccliError, UsageError
from sccli.core.http_errors import error_for_response, parse_json
from sccli.core.redact import Scrubber, redact_body, redact_headers, redact_url
from sccli.core.refs import fill_urns

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_PAGE = 200
MAX_REDIRECTS = 10
EMPTY_PAGES = 10  # pages in a row with nothing new before a listing is taken for a loop
RECENT = 5000  # items remembered to tell "nothing new" (a cycle of pages up to this long)

# Makes a fresh body for each sending: a streamed body is used up once sent, so a request that
# must go again (a refused token, a 429 whose reset is near) opens it anew from the start.
BodyFactory = Callable[[], AbstractContextManager[Any]]


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


class _Attempts:
    """Where one request stands: how often it was sent, and what an earlier sending may have done."""

    def __init__(self, idempotent: bool):
        self.idempotent = idempotent
        self.attempt = 0
        self.refreshed = False
        self.redirects = 0
        self.maybe_done = False  # an earlier sending may have been carried out

    def again(self, *, maybe_done: bool) -> None:
        self.attempt += 1
        self.maybe_done = self.maybe_done or maybe_done

    def redirected(self, url: str) -> None:
        self.redirects += 1
        if self.redirects > MAX_REDIRECTS:
            where = urlsplit(url)
            raise NetworkError(
                f"stopped after {MAX_REDIRECTS} redirects (the last to {where.netloc}"
                f"{where.path}): the server is redirecting in a loop"
            )


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
        scrub: Scrubber | None = None,
    ):
        """`tokens`: where the OAuth token of each API request comes from (the Authenticator),
        or None for a Client that sends none (the one OAuth's own endpoints are called with).
        `scrub`: the secrets to mask, shared by the Clients of one invocation."""
        self.settings = settings
        self.tokens = tokens
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.scrub = scrub if scrub is not None else Scrubber()
        self._debug = debug
        self.sleep = sleep  # every wait of the Client and of the writes' checks goes through it
        self.deadline = settings.timeout  # seconds one exchange may take, connect to last byte
        self.server_date: float | None = None  # the Date of the last answer (server clock)
        # Secret links met in this invocation: their token goes along on every GET of that
        # track or set (and of its streams, comments, download) on the API's host.
        self.secret_tokens: dict[str, str] = {}
        self.session = requests.Session()
        for scheme in ("http://", "https://"):
            self.session.mount(scheme, WatchedAdapter())
        self.session.headers["User-Agent"] = f"sccli/{__version__}"
        self.session.headers["Accept"] = "application/json; charset=utf-8"

    def allow_parallel(self, n: int) -> None:
        """Keep up to `n` connections per host alive, for `n` requests at once (uploads)."""
        if n > 10:  # requests' default pool holds 10; more would be opened and thrown away
            # Still the watched adapter: every connection, at any --jobs, is under the deadline.
            for prefix in ("http://", "https://"):
                self.session.mount(prefix, WatchedAdapter(pool_connections=10, pool_maxsize=n))

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

    def is_api_host(self, url: str) -> bool:
        """The API's own scheme and host: the only place the token is ever sent."""
        mine, theirs = urlsplit(self.settings.api_url), urlsplit(url)
        return (theirs.scheme, theirs.netloc) == (mine.scheme, mine.netloc)

    # -- sending -------------------------------------------------------------------------
    def send(
        self,
        method: str,
        url: str,
        *,
        timeout: tuple[float, float] | None = None,
        deadline: float | None = None,
        stream: bool = False,
        **kwargs: Any,
    ) -> requests.Response:
        """One exchange, logged, within a total deadline (connect to the answer's last byte);
        network failures become NetworkError (exit 6). `stream`: a successful body is left
        unread for the caller (downloads), so only its headers fall within the deadline."""
        req = self.session.prepare_request(requests.Request(method, url, **kwargs))
        self._log_request(req)
        start = time.monotonic()
        limit = deadline or self.deadline
        connect, read = timeout or self.timeout
        with Deadline(limit) as clock:
            try:
                resp = self.session.send(
                    req,
                    timeout=(min(connect, limit), min(read, limit)),
                    allow_redirects=False,
                    stream=True,
                )
                unread = (stream and resp.status_code < 300) or resp.headers.get(
                    "Content-Type", ""
                ).startswith("audio/")
                if not unread:
                    resp.content  # noqa: B018 - read the body now, inside the deadline
            except Exception as e:
                raise self._network_error(e, url, clock) from None
        self._log_response(resp, time.monotonic() - start, unread)
        # An earlier Date is still a lower bound of the server's time: keep it if none came.
        self.server_date = _date(resp.headers.get("Date")) or self.server_date
        return resp

    def _network_error(self, e: Exception, url: str, clock: Deadline) -> Exception:
        parts = urlsplit(url)  # the host and port, never a user:password@ given in the URL
        where = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
        if clock.expired:
            self.log(f"! deadline of {clock.seconds:g}s passed ({type(e).__name__})")
            return DeadlinePassed(
                f"no complete answer from {where} within {clock.seconds:g}s",
                hint="set SC_TIMEOUT (seconds) to allow a slow connection more time",
                sent=True,
            )
        if not isinstance(e, requests.exceptions.RequestException):
            return e
        sent = _may_have_been_sent(e)
        self.log(f"! {type(e).__name__}: {e}")
        if isinstance(e, requests.exceptions.Timeout):
            msg = f"timed out talking to {where}"
        elif sent:
            msg = f"connection to {where} dropped before an answer came"
        else:
            msg = f"cannot connect to {where}"
        return NetworkError(msg, sent=sent)

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Any = None,
        json: Any = None,
        data: Any = None,
        body: BodyFactory | None = None,
        headers: dict[str, str] | None = None,
        authenticated: bool = True,
        follow_redirects: bool = True,
        timeout: tuple[float, float] | None = None,
        deadline: float | None = None,
        ok: tuple[int, ...] = (),
        stream: bool = False,
    ) -> requests.Response:
        """An API request with auth, retries for what is safe to repeat, and error mapping.

        `body` makes a fresh (streamed) body for each sending: unlike a stream passed as
        `data`, it can go again after a refused token or a 429. `deadline` (seconds) bounds
        each exchange instead of SC_TIMEOUT. A write is never repeated once it may have
        been carried out. `stream=True` leaves a successful body unread (read it with
        `iter_content`); headers such as Range go along to every hop of a redirect."""
        method = method.upper()
        url = self.api_url(path_or_url)
        _check_text(params, json, data if isinstance(data, (dict, list, str)) else None)
        if method == "GET" and self.secret_tokens:
            params = self._with_secret(url, params)
        replayable = body is not None or data is None or isinstance(data, (bytes, str, dict, list))
        state = _Attempts(method in IDEMPOTENT and replayable)
        while True:
            hdrs = dict(headers or {})
            token = self._authorize(hdrs, url, authenticated)
            try:
                with body() if body else contextlib.nullcontext(data) as payload:
                    if body is not None and getattr(payload, "content_type", None):
                        hdrs["Content-Type"] = payload.content_type
                    resp = self.send(
                        method, url, params=params, json=json, data=payload, headers=hdrs,
                        timeout=timeout, deadline=deadline, stream=stream,
                    )  # fmt: skip
            except NetworkError as e:
                self._after_network_error(e, state, replayable)
                continue
            status = resp.status_code
            if follow_redirects and status in REDIRECTS and "Location" in resp.headers:
                url = urljoin(url, resp.headers["Location"])
                state.redirected(url)
                if status == 303 or (status in (301, 302) and method != "GET"):
                    method = "GET"
                params = json = data = body = None
                continue
            if status < 400 or status in ok:
                return resp
            if status == 401 and token and not state.refreshed and self.tokens and replayable:
                state.refreshed = True
                self.log("! 401: refreshing the token and retrying once")
                if self.tokens.refresh_after_401(token):
                    continue
            err = error_for_response(
                status, resp.headers, resp.text, method=method, what=_what(url)
            )
            if method == "DELETE" and isinstance(err, NotFound) and state.maybe_done:
                # An earlier sending was carried out; only its answer was lost.
                self.log("! 404 on a DELETE sent again: the first one did it")
                return _no_content(resp)
            delay = self._retry_delay(err, state.attempt, state.idempotent, replayable)
            if delay is None:
                raise err
            self.sleep(delay)
            state.again(maybe_done=not isinstance(err, RateLimited))

    def _with_secret(self, url: str, params: Any) -> Any:
        """`secret_token` added for a GET of a track or set known by its secret link."""
        m = _OBJECT_PATH.match(urlsplit(url).path)
        secret = self.secret_tokens.get(m.group(1)) if m else None
        if not secret or not self.is_api_host(url) or "secret_token=" in url:
            return params
        if params is None or isinstance(params, dict):
            return {**(params or {}), "secret_token": secret}
        return params

    def _authorize(self, headers: dict[str, str], url: str, authenticated: bool) -> str | None:
        """Add the Authorization header (API host only); the token sent, if any."""
        if not (authenticated and self.tokens and self.is_api_host(url)):
            return None
        token = self.tokens.token()
        self.scrub.add(token)
        headers["Authorization"] = f"OAuth {token}"
        return token

    def _after_network_error(self, e: NetworkError, state: _Attempts, replayable: bool) -> None:
        """Wait before sending again, or raise: a write that may have arrived never goes
        again, nor does anything after a deadline passed (the server is that slow)."""
        if (
            isinstance(e, DeadlinePassed)
            or state.attempt + 1 >= self.retry.attempts
            or not replayable
            or not (state.idempotent or not e.sent)
        ):
            raise e
        self.sleep(self._backoff(state.attempt, e.message))
        state.again(maybe_done=e.sent)

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
    def get(self, path: str, params: Any = None, *, need: tuple[str, ...] = ()) -> dict[str, Any]:
        """One object (a track, a user, /me, a stream list...): an answer of another shape,
        or one without the fields in `need`, is a malformed answer (exit 1), never printed
        or used as if it were the object."""
        resp = self.request("GET", path, params=params)
        return _object(decode(resp), "GET", resp.url or self.api_url(path), need)

    def call(
        self, method: str, path: str, *, need: tuple[str, ...] | None = None, **kwargs: Any
    ) -> Any:
        """Any request's decoded answer; with `need`, it must be an object with those fields."""
        resp = self.request(method, path, **kwargs)
        body = decode(resp)
        if need is None:
            return body
        return _object(body, method.upper(), resp.url or self.api_url(path), need)

    def paginate(
        self, path: str, params: dict[str, Any] | None = None, *, page_size: int | None = 50
    ) -> Iterator[dict[str, Any]]:
        """Yield every item, following next_href. Stop on a page already read (URLs compared
        normalized: a relative, re-encoded or re-cased next_href is the same page) and after
        EMPTY_PAGES pages in a row that bring nothing new. `page_size=None` sends no `limit`,
        for endpoints that do not declare one."""
        query = dict(params or {})
        query["linked_partitioning"] = "true"
        if page_size is not None:
            query["limit"] = max(1, min(page_size, MAX_PAGE))
        url: str | None = self.api_url(path)
        followed: set[str] = set()  # every page URL requested, normalized
        stale = 0  # pages in a row with nothing new
        recent: dict[str, None] = {}  # the last RECENT items' keys, oldest first (bounded)
        first = True
        while url:
            resp = self.request("GET", url, params=query if first else None)
            if not first:
                followed.add(_normal_url(url, url))
            first = False
            followed.add(_normal_url(resp.url, resp.url))
            items, nxt = _page(decode(resp), url)
            yield from items
            keys = [_item_key(i) for i in items]
            stale = stale + 1 if all(k in recent for k in keys) else 0
            _remember(recent, keys)
            url = _next_page(nxt, resp.url, followed, stale)


def _next_page(nxt: str | None, page_url: str, followed: set[str], stale: int) -> str | None:
    """The next page's absolute URL, or None at the end; a loop is an API error (exit 1)."""
    if not nxt:
        return None
    target = _normal_url(nxt, page_url)
    if target in followed:
        raise ApiError(
            "the server sent a next_href to a page already read; stopping to avoid a loop"
        )
    if stale >= EMPTY_PAGES:
        raise ApiError(
            f"the server sent {stale} pages in a row with nothing new; stopping to avoid a loop"
        )
    return urljoin(page_url, nxt)


def _remember(recent: dict[str, None], keys: list[str]) -> None:
    """Note a page's items; memory stays bounded (RECENT keys) however long the listing."""
    for k in keys:
        recent.pop(k, None)
        recent[k] = None
    while len(recent) > RECENT:
        del recent[next(iter(recent))]


def _item_key(item: dict[str, Any]) -> str:
    """What tells an item from another: its urn or id, else a hash of its content (an
    activity has neither), kept short so the remembered keys stay small."""
    key = item.get("urn") or item.get("id")
    if isinstance(key, (str, int)):
        return str(key)
    try:
        return f"#{hash(repr(sorted(item.items(), key=lambda kv: kv[0])))}"
    except RecursionError:
        return f"#{id(item)}"


def _normal_url(url: str, base: str) -> str:
    """`url` resolved against `base` and written one way: scheme and host in lower case, no
    default port, an empty path as `/`, percent-encoding decoded and re-encoded the same way.
    A next_href that does not parse as a URL is a malformed answer (exit 1)."""
    try:
        parts = urlsplit(urljoin(base, url.strip()))
        port = parts.port
        host = (parts.hostname or "").lower()
    except ValueError as e:
        raise ApiError(f"the API sent a next_href that is not a URL ({e})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise ApiError(f"the API sent a next_href that is not an http(s) URL: {url[:100]!r}")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    path = quote(unquote(parts.path) or "/", safe="/:@!$&'()*+,;=-._~")
    query = quote(unquote(parts.query), safe="/:@!$&'()*+,;=?-._~")
    return f"{scheme}://{host}{path}?{query}"


_OBJECT_PATH = re.compile(r"^/(?:tracks|playlists)/(soundcloud:(?:tracks|playlists):[0-9]+)(?:/|$)")


def _page(body: Any, url: str) -> tuple[list[dict[str, Any]], str | None]:
    """A page's items and next_href, checked: a page of anything else is an API error."""
    if body is None:
        raise ApiError(f"the API sent an empty answer to GET {_what(url)}")
    if isinstance(body, list):  # the deprecated unpaginated form
        items, nxt = body, None
    elif isinstance(body, dict):
        items, nxt = body.get("collection") or [], body.get("next_href") or None
    else:
        items, nxt = None, None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ApiError(f"unexpected response from {_what(url)}: not a page of objects")
    if nxt is not None and not isinstance(nxt, str):
        raise ApiError(f"unexpected response from {_what(url)}: next_href is not a URL")
    return items, nxt


def _object(body: Any, method: str, url: str, need: tuple[str, ...]) -> dict[str, Any]:
    what = _what(url)
    if body is None:  # an answer that says nothing, where an object was promised
        raise ApiError(f"the API sent an empty answer to {method} {what}")
    if not isinstance(body, dict):
        raise ApiError(f"unexpected response from {method} {what}: not an object")
    missing = [k for k in need if not isinstance(body.get(k), str) or not body[k]]
    if missing:
        raise ApiError(f"unexpected response from {method} {what}: no {', '.join(missing)}")
    return body


def decode(resp: requests.Response) -> Any:
    if resp.status_code == 204 or not resp.content:
        return None
    body = parse_json(resp.text)
    if body is None:
        ctype = resp.headers.get("Content-Type") or "?"
        what = "malformed JSON" if "json" in ctype.lower() else ctype
        raise ApiError(f"expected JSON from the API but got {what} ({_what(resp.url or '')})")
    return fill_urns(body)


def _no_content(resp: requests.Response) -> requests.Response:
    """An empty 204 in place of `resp`: what a DELETE that was carried out answers."""
    done = requests.Response()
    done.status_code = 204
    done.reason = "No Content"
    done.url = resp.url
    done.request = resp.request
    done._content = b""
    return done


def _date(value: str | None) -> float | None:
    """An HTTP Date header as epoch seconds (None when absent or unreadable)."""
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


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


def _check_text(*values: Any) -> None:
    """Nothing that is not UTF-8 is sent: bytes that were not (an argument from a Latin-1
    terminal) reach Python as lone surrogates, which JSON would carry as \\udcff and the server
    store as such. A usage error (exit 2) before anything goes out, naming the text."""
    for value in values:
        for text in _strings(value):
            if any("\ud800" <= c <= "\udfff" for c in text):
                raise UsageError(
                    f'text that is not valid UTF-8 cannot be sent: "{_as_typed(text)[:80]}"',
                    hint="check the encoding of the arguments or files given (the locale may "
                    "not be UTF-8)",
                )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _as_typed(text: str) -> str:
    """The text with its stray bytes as \\xNN, as they were given."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte (from JSON's \\ud800)
        raw = text.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")
