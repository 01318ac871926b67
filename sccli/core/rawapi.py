"""`sc api` fields: KEY=VALUE pairs into query parameters or a nested JSON body."""

from __future__ import annotations

import re
from typing import Any

from sccli.core.errors import UsageError
from sccli.core.jsontext import loads as json_loads


def _value(raw: str) -> Any:
    """Numbers, true/false/null and JSON literals as themselves; anything else as a string."""
    if (
        raw in ("true", "false", "null")
        or raw[:1] in "[{"
        or raw.lstrip("-").replace(".", "", 1).isdigit()
    ):
        try:
            return json_loads(raw)
        except ValueError:
            pass
    return raw


def build_fields(method: str, fields: list[str]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    pairs = []
    for f in fields:
        key, sep, value = f.partition("=")
        if not sep or not key:
            raise UsageError(f"invalid field {f!r}: use KEY=VALUE")
        pairs.append((key, value))
    if method in ("GET", "DELETE", "HEAD"):
        return dict(pairs), None
    body: dict[str, Any] = {}
    for key, value in pairs:
        cur = body
        parts = key.split(".")
        for p in parts[:-1]:
            nxt = cur.setdefault(p, {})
            if not isinstance(nxt, dict):
                raise UsageError(f"field {key!r} conflicts with another field")
            cur = nxt
        cur[parts[-1]] = _value(value)
    return {}, body or None


def page_size(params: dict[str, Any]) -> int:
    """`--paginate`'s page size: the `limit` field taken out of the query, else 200."""
    text = str(params.pop("limit", "200")).strip()
    if not re.fullmatch(r"[0-9]{1,6}", text) or int(text) < 1:
        raise UsageError(f"invalid field limit={text!r} with --paginate: use a whole number from 1")
    return int(text)


def api_target(path: str) -> str:
    """`sc api`'s PATH: an API path (`/tracks`), or a whole http(s) URL that parses."""
    if "://" not in path:
        return path
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(path)
        parts.port  # noqa: B018 - raises on a port that is not a number below 65536
    except ValueError as e:
        raise UsageError(f"invalid URL {path!r}: {e}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"invalid URL {path!r}: give an API path like /tracks, or an http(s) URL")
    return path
