"""Turn an HTTP error response into an SccliError a person can read."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

from sccli.core.errors import (
    ApiError,
    AuthError,
    NotFound,
    RateLimited,
    SccliError,
    ServerError,
)
from sccli.core.redact import scrub_auth_words
from sccli.core.timefmt import parse_api_time


def reason_phrase(status: int) -> str:
    """The standard reason phrase of a status code ("Not Found"), or "" for an unknown one."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(text: str) -> Any:
    """The JSON of an answer, strictly (None when it is not JSON): NaN and Infinity are
    Python's, not JSON's, and would make sc print documents no other parser reads."""
    try:
        return json.loads(text, parse_constant=_no_constant) if text else None
    except (ValueError, RecursionError):
        return None


def _oneline(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def api_message(body: Any) -> str | None:
    """The API's own words from any of its error body shapes."""
    if not isinstance(body, dict):
        return None
    parts: list[str] = []
    for key in ("message", "error_description"):
        if isinstance(body.get(key), str) and body[key]:
            parts.append(body[key])
    for item in body.get("errors") or []:
        if isinstance(item, dict) and isinstance(item.get("error_message"), str):
            parts.append(item["error_message"])
    if not parts and isinstance(body.get("error"), str) and body["error"]:
        parts.append(body["error"])
    seen: list[str] = []
    for p in parts:
        if p not in seen:
            seen.append(p)
    return "; ".join(seen) or None


def rate_limit_meta(body: Any) -> dict[str, Any] | None:
    if not isinstance(body, dict):
        return None
    for item in body.get("errors") or []:
        meta = item.get("meta") if isinstance(item, dict) else None
        if isinstance(meta, dict) and ("reset_time" in meta or "rate_limit" in meta):
            return meta
    return None


def parse_reset_time(value: str) -> datetime | None:
    return parse_api_time(value)


MAX_WAIT = 366 * 24 * 3600  # seconds: any longer wait a server names is read as a year


def retry_at(headers: Any, body: Any, now: float | None = None) -> float | None:
    """When (epoch seconds) the server says to try again: Retry-After, else the 429 reset_time."""
    now = time.time() if now is None else now
    ra = headers.get("Retry-After") if headers else None
    if ra:
        text = ra.strip()
        if text.isascii() and text.isdigit():  # '²' is a digit to str.isdigit, not to int()
            return now + min(int(text), MAX_WAIT)
        try:
            return parsedate_to_datetime(ra).timestamp()
        except (TypeError, ValueError, OverflowError):
            pass
    meta = rate_limit_meta(body)
    if meta and meta.get("reset_time"):
        dt = parse_reset_time(str(meta["reset_time"]))
        if dt:
            return dt.timestamp()
    return None


def describe_wait(at: float, now: float | None = None) -> str:
    now = time.time() if now is None else now
    at = min(at, now + MAX_WAIT)  # a hostile Retry-After cannot name a time past datetime's
    secs = max(0, int(at - now))
    when = datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    if secs >= 3600:
        span = f"{secs // 3600}h {secs % 3600 // 60}m"
    elif secs >= 60:
        span = f"{secs // 60}m {secs % 60}s"
    else:
        span = f"{secs}s"
    return f"{when} (in {span})"


def _html_title(text: str) -> str | None:
    import html  # only an error page needs it: 1 ms of start-up otherwise

    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    if m:
        return _oneline(html.unescape(m.group(1)))
    m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.I | re.S)
    return _oneline(html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))) if m else None


def error_for_response(
    status: int, headers: Any, text: str, *, method: str, what: str
) -> SccliError:
    """Map status + body to the right error class with one readable line."""
    reason = reason_phrase(status)
    ctype = (headers.get("Content-Type") or "") if headers else ""
    body = parse_json(text)
    msg = api_message(body)
    if msg is None:
        if "html" in ctype.lower() or text.lstrip()[:1] == "<":
            title = _html_title(text)
            msg = "the server answered with an HTML page" + (f" ({title})" if title else "")
        elif text.strip():
            msg = _oneline(text)
        else:
            msg = "empty response"
    msg = scrub_auth_words(msg)
    head = f"{status} {reason}".strip()
    full = f"{method} {what}: {head}: {msg}"
    if status == 401:
        return AuthError(f"authentication refused ({head}): {msg}", status=status)
    if status == 403:
        return AuthError(
            f"access denied ({head}): {msg}",
            hint="your token may lack access to this resource; `sc auth status` shows who you are",
            status=status,
        )
    if status == 404:
        return NotFound(f"not found: {what} ({msg})", status=status)
    if status == 429:
        at = retry_at(headers, body)
        hint = f"try again after {describe_wait(at)}" if at else "try again in a few minutes"
        meta = rate_limit_meta(body) or {}
        bucket = (meta.get("rate_limit") or {}).get("name")
        label = f"rate limited ({bucket})" if bucket else "rate limited"
        return RateLimited(f"{label}: {method} {what}", hint=hint, status=status, retry_at=at)
    err = ServerError(full, status=status) if status >= 500 else ApiError(full, status=status)
    err.detail = msg
    return err
