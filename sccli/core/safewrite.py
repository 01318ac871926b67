"""A POST is never repeated blindly: when its answer is lost, look for what it created."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NetworkError, SccliError, ServerError

if TYPE_CHECKING:
    from sccli.core.client import Client

SKEW = 120  # seconds of clock difference allowed between us and the server


def api_time(text: str) -> float | None:
    for fmt in ("%Y/%m/%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            dt = datetime.strptime(text, fmt)
            return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp()
        except (TypeError, ValueError):
            continue
    return None


def newest_match(
    items: Iterable[dict[str, Any]], match: Callable[[dict[str, Any]], bool], since: float | None
) -> dict[str, Any] | None:
    """The first item (newest first) that matches and was created after `since`."""
    for item in items:
        created = api_time(item.get("created_at", ""))
        if since is not None and created is not None and created < since:
            return None  # older than the write: nothing further down can be it
        if match(item):
            return item
    return None


def recover(
    client: Client, err: SccliError, find: Callable[[], dict[str, Any] | None], what: str
) -> dict[str, Any]:
    """After a failed POST: the object if it was created after all, else a clear 'not <what>'."""
    if not isinstance(err, (ServerError, NetworkError)):
        raise err
    if isinstance(err, NetworkError) and not err.sent:
        raise err  # it never left: nothing can have been created
    client.log(f"! {err.message}: checking whether it was {what} anyway")
    for delay in (0.0, 1.0, 3.0):  # a 504 can come before the write is visible
        time.sleep(delay)
        try:
            found = find()
        except (NetworkError, ServerError):
            continue
        if found:
            return found
    raise ApiError(
        f"not {what}: {err.message}", hint="nothing was created; it is safe to run it again"
    )


def post_once(
    client: Client,
    path: str,
    body: dict[str, Any],
    find: Callable[[float], dict[str, Any] | None],
    what: str,
) -> tuple[dict[str, Any], bool]:
    """POST `body`; on a lost answer, `find(since)` decides. Returns (object, recovered)."""
    return write_once(client, lambda: client.call("POST", path, json=body), find, what)


def write_once(
    client: Client,
    send: Callable[[], dict[str, Any]],
    find: Callable[[float], dict[str, Any] | None],
    what: str,
) -> tuple[dict[str, Any], bool]:
    """`send()` a creating request once; on a lost answer, `find(since)` decides."""
    since = time.time() - SKEW
    try:
        return send(), False
    except (ServerError, NetworkError) as e:
        return recover(client, e, lambda: find(since), what), True
