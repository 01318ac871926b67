"""Scrub secrets from anything that may be shown: URLs, headers, form and JSON bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sccli.core.jsontext import loads as json_loads

MASK = "***"
SECRET_KEYS = frozenset(
    {
        "access_token",
        "refresh_token",
        "client_secret",
        "code",
        "code_verifier",
        "password",
        "token",
        "authorization",
        "id_token",
    }
)


def _is_secret_key(key: str) -> bool:
    return key.lower() in SECRET_KEYS


def redact_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, MASK if _is_secret_key(k) else v) for k, v in pairs]


def redact_url(url: str) -> str:
    """The URL with its secret query values and any password in it (`user:pw@host`) masked."""
    parts = urlsplit(url)
    if parts.password is None and not parts.query:
        return url
    if parts.password is not None:
        user, _, host = parts.netloc.rpartition("@")
        parts = parts._replace(netloc=f"{user.split(':', 1)[0]}:{MASK}@{host}")
    if not parts.query:
        return urlunsplit(parts)
    query = urlencode(redact_pairs(parse_qsl(parts.query, keep_blank_values=True)), safe="*:,/")
    return urlunsplit(parts._replace(query=query))


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for k, v in headers.items():
        if k.lower() in ("authorization", "proxy-authorization", "cookie", "set-cookie"):
            scheme = v.split(" ", 1)[0] if " " in v else ""
            v = f"{scheme} {MASK}".strip()
        elif k.lower() in ("location", "content-location", "referer"):
            v = redact_url(v)  # a redirect can carry ?code=...
        out[k] = v
    return out


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: MASK if _is_secret_key(k) else _redact_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_json(v) for v in value]
    return value


def redact_body(body: bytes | str | None, content_type: str = "") -> str:
    """A printable, secret-free rendering of a request or response body."""
    if body is None or body == b"" or body == "":
        return ""
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return f"<{len(body)} bytes of binary data>"
    else:
        text = body
    ctype = content_type.lower()
    if "json" in ctype or text[:1] in "{[":
        try:
            return json.dumps(_redact_json(json_loads(text)), ensure_ascii=False)
        except (ValueError, RecursionError):  # not JSON, or too deep to walk: left as it is
            pass
    if "x-www-form-urlencoded" in ctype:
        return urlencode(redact_pairs(parse_qsl(text, keep_blank_values=True)), safe="*:,/")
    return text


class Scrubber:
    """Replaces known secret values wherever they appear, as a last line of defence."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()

    def add(self, *values: str | None) -> None:
        for v in values:
            if v and len(v) >= 6:
                self._secrets.add(v)

    def __call__(self, text: str) -> str:
        for s in sorted(self._secrets, key=len, reverse=True):
            if s in text:
                text = text.replace(s, MASK)
        return text


_BEARER = re.compile(r"(?i)\b(OAuth|Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}")


def scrub_auth_words(text: str) -> str:
    """Mask `OAuth <token>` / `Bearer <token>` spelled out in free text (error pages echoing headers)."""
    return _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
