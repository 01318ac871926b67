"""A POST is never repeated blindly: when its answer is lost, look for what it created.

Only an object that this attempt created may be claimed. Before sending, `snapshot` notes the
matching objects that already exist and when the attempt starts by the server's clock (the
Date of the answer just read: the server's time at that moment, whatever our clock says).
Afterwards, `Before.first_new` claims an object only if it matches, was created at or after
that moment, and was not there before. The API gives no size or checksum of an uploaded file,
so nothing is matched on those.

No write is taken as done on a 2xx alone: an answer without the object (an empty 200) is a lost
answer. A creating write's is looked for as above (`made`); a change is read back (`updated`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NetworkError, SccliError, ServerError
from sccli.core.record import record
from sccli.core.resources import get
from sccli.core.timefmt import parse_api_time

if TYPE_CHECKING:
    from sccli.core.client import Client

SKEW = 120  # seconds our clock may be off, when the server sent no Date to measure it by
RESOLUTION = 1.0  # Date and created_at count whole seconds, and may come from other hosts
LOOKUP_DELAYS = (0.0, 1.0, 3.0)  # a 504 can come before the write is visible

Listing = Callable[[], Iterable[dict[str, Any]]]  # the candidates, newest first
Match = Callable[[dict[str, Any]], bool]


def api_time(text: str) -> float | None:
    """An object's created_at as epoch seconds, in either of the API's formats."""
    dt = parse_api_time(text)
    return dt.timestamp() if dt else None


def identity(item: dict[str, Any]) -> str:
    return str(item.get("urn") or item.get("id"))


@record
class Before:
    """What existed before a write: its moment (server clock) and the matches already there."""

    since: float
    existing: frozenset[str]

    def first_new(self, items: Iterable[dict[str, Any]], match: Match) -> dict[str, Any] | None:
        """The newest matching item that this attempt made (None: it made none)."""
        for item in items:
            created = api_time(item.get("created_at", ""))
            if created is not None and created < self.since:
                return None  # newest first: nothing further down is new
            if match(item) and identity(item) not in self.existing:
                return item
        return None


def snapshot(client: Client, items: Listing, match: Match) -> Before:
    """Read the matches that exist now, before the write (their listing runs newest first)."""
    started = time.time()
    since: float | None = None
    existing: set[str] = set()
    for item in items():
        if since is None:  # the first page has come, with the server's Date
            since = _since(client, started)
        created = api_time(item.get("created_at", ""))
        if created is not None and created < since:
            break  # older than the write can be: never a candidate, not worth a page
        if match(item):
            existing.add(identity(item))
    return Before(_since(client, started) if since is None else since, frozenset(existing))


def _since(client: Client, started: float) -> float:
    """The earliest server time at which the coming write can have been created."""
    date = client.server_date
    if date is None:
        return started - SKEW
    return date - RESOLUTION


def recover(
    client: Client,
    err: SccliError,
    find: Callable[[], dict[str, Any] | None],
    what: str,
    check: str,
) -> dict[str, Any]:
    """After a failed POST: the object if it was created after all; else a clear 'not <what>'
    when the look could be made, or 'cannot tell' (with `check`, how to look) when it could not."""
    if not isinstance(err, (ServerError, NetworkError)):
        raise err
    if isinstance(err, NetworkError) and not err.sent:
        raise err  # it never left: nothing can have been created
    client.log(f"! {err.message}: checking whether it was {what} anyway")
    failed: SccliError | None = None
    for delay in LOOKUP_DELAYS:
        if delay:
            client.sleep(delay)
        try:
            found = find()
        except SccliError as e:
            client.log(f"! the check failed: {e.message}")
            failed = e
            continue
        if found:
            return found
        failed = None
    if failed is not None:
        raise ApiError(
            f"cannot tell whether it was {what}: {err.message}, and the check afterwards "
            f"failed too ({failed.message})",
            hint=f"look before running it again: {check}",
        )
    cls = NetworkError if isinstance(err, NetworkError) else ApiError
    raise cls(f"not {what}: {err.message}", hint="nothing was created; it is safe to run it again")


def post_once(
    client: Client,
    path: str,
    body: dict[str, Any],
    what: str,
    *,
    items: Listing,
    match: Match,
    check: str,
) -> tuple[dict[str, Any], bool]:
    """POST `body` once; on a lost answer, look in `items` for what it made (see the module
    docstring). Returns (object, recovered)."""
    send = lambda: client.call("POST", path, json=body)  # noqa: E731
    return write_once(client, send, what, items=items, match=match, check=check)


def write_once(
    client: Client,
    send: Callable[[], dict[str, Any]],
    what: str,
    *,
    items: Listing,
    match: Match,
    check: str,
) -> tuple[dict[str, Any], bool]:
    """`send()` a creating request once (a JSON or multipart POST); on a lost answer, look in
    `items` for what it made. Returns (object, recovered)."""
    before = snapshot(client, items, match)
    try:
        answer = send()
        if not isinstance(answer, dict) or not isinstance(answer.get("urn"), str):
            # A success whose answer is not the object made: the write happened, but what it
            # made is unknown, as after a lost answer; look for it the same way.
            raise ServerError("the answer did not describe what was created (no object with a urn)")
        return answer, False
    except (ServerError, NetworkError) as e:
        found = recover(client, e, lambda: before.first_new(items(), match), what, check)
        return found, True


def made(answer: Any) -> dict[str, Any]:
    """The object a creating write answered with. Without one the write may still have been
    made: a ServerError, which `recover` treats as a lost answer (it looks, never repeats)."""
    if isinstance(answer, dict) and answer:
        return answer
    raise ServerError("the API answered the write without the object it made")


def updated(client: Client, answer: Any, urn: str, sent: dict[str, Any]) -> dict[str, Any]:
    """The object a change answered with; without one (an empty 200), the object read back,
    if it shows what was `sent` (fields it does not show cannot be checked); else exit 1."""
    if isinstance(answer, dict) and answer:
        return answer
    client.log(f"! the API answered the write to {urn} without it: reading it back")
    try:
        now = get(client, urn)
    except SccliError as e:
        raise ApiError(
            f"cannot tell whether {urn} was changed: the API answered without it, and reading "
            f"it back failed ({e.message})",
            hint="look before running it again",
        ) from None
    seen = {k: _shows(now[k], v) for k, v in sent.items() if k in now}
    wrong = [k for k, ok in seen.items() if not ok]
    if wrong or not seen:
        why = f"it does not show {', '.join(wrong)}" if wrong else "its fields cannot be checked"
        raise ApiError(
            f"{urn} may not have been changed: the API answered without it, and {why}",
            hint="run it again (a change is safe to repeat)",
        )
    return now


def _shows(have: Any, sent: Any) -> bool:
    if isinstance(sent, list):  # a set's tracks, as URNs or {"urn": ...}
        want = [t["urn"] if isinstance(t, dict) else t for t in sent]
        got = [t.get("urn") if isinstance(t, dict) else t for t in have or []]
        return isinstance(have, list) and got == want
    return bool(have == sent)
