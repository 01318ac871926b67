"""Publishing a release, all or nothing: the tracks, then the set, made public; when one step
fails, what this run made public is made private again, and what could not be is named.

Used by `release push --publish` and `release publish`. Only objects that were private when
planned are given here, so a rollback never makes private what was public before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sccli.core.errors import ApiError, Interrupted, RateLimited, SccliError
from sccli.core.interrupt import held_interrupt
from sccli.core.playlists import update_playlist
from sccli.core.resources import get
from sccli.core.tracks import update_track

if TYPE_CHECKING:
    from sccli.core.client import Client

Log = Callable[[str], None]


@dataclass
class Target:
    """One object to make public: a track (`track[2]`) or the set."""

    label: str
    urn: str
    title: str = ""


@dataclass
class PublishOutcome:
    published: list[Target] = field(default_factory=list)  # public now, by this run
    failed: Target | None = None  # the step that failed (then nothing stays published)
    error: str | None = None
    undone: list[Target] = field(default_factory=list)  # made private again
    not_undone: list[tuple[Target, str]] = field(default_factory=list)  # still public, and why
    writes: int = 0

    @property
    def ok(self) -> bool:
        return self.failed is None

    def message(self) -> str:
        """One line for the error boundary: what failed, what was undone, what is still public."""
        assert self.failed is not None
        text = f"publishing {self.failed.label} failed: {self.error}"
        if self.undone:
            text += f"; made private again: {', '.join(t.label for t in self.undone)}"
        if self.not_undone:
            still = ", ".join(f"{t.label} {t.urn} ({why})" for t, why in self.not_undone)
            text += f"; STILL PUBLIC, could not be made private again: {still}"
        return text


def publish_all(client: Client, targets: list[Target], *, log: Log | None = None) -> PublishOutcome:
    """Make each target public in order (tracks first, the set last). One at a time, so a
    failure stops the rest before they are public and leaves the least to undo. Ctrl-C (a CI
    job's cancel) is a failure too, once the write in flight is answered (else it could land
    unseen): what this run made public is undone, then `Interrupted` (exit 130)."""
    say = log or (lambda _m: None)
    out = PublishOutcome()

    def note() -> None:
        say("interrupted: finishing the step in flight, then making private again what was")

    with held_interrupt(note) as held:
        for t in targets:
            try:
                set_sharing(client, t.urn, "public")
                out.writes += 1
                _check_public(client, t)
                held.check()
            except (SccliError, KeyboardInterrupt) as e:
                _stop(client, out, t, e, say)
                return out
            out.published.append(t)
            say(f"published {t.label} {t.urn}")
    return out


def _check_public(client: Client, t: Target) -> None:
    """Read the sharing back: an answer (even a 200) is no proof that the write was made."""
    now = sharing_now(client, t.urn)
    if now != "public":
        raise ApiError(f"the API took the write, but {t.urn} is {now or 'unreadable'}, not public")


def _stop(
    client: Client, out: PublishOutcome, t: Target, e: SccliError | KeyboardInterrupt, say: Log
) -> None:
    """Undo after the step `t` failed or was interrupted; an interruption is raised on, once
    what it left public is undone or named."""
    interrupted = isinstance(e, KeyboardInterrupt)
    out.failed, out.error = t, "interrupted" if interrupted else _why(e)
    try:
        # The answer may be lost after the write happened: look before undoing or not.
        if sharing_now(client, t.urn) != "private":
            out.published.append(t)
        say(f"failed: publish {t.label} {t.urn}: {out.error}; making private again what was")
    except KeyboardInterrupt:  # a second Ctrl-C: no more looking, the step may be public
        out.published.append(t)
        out.not_undone += [(p, "interrupted again") for p in out.published]
        out.published, interrupted = [], True
    else:
        interrupted = _rollback(client, out, say) or interrupted
    if interrupted:
        raise Interrupted(out.message(), hint=_INTERRUPTED_HINT) from None


def _why(e: BaseException) -> str:
    """The failure in one line; a 429's says when to try again (its hint would be lost)."""
    if isinstance(e, RateLimited) and e.hint:
        return f"{e.message} ({e.hint})"
    return str(getattr(e, "message", e))


_INTERRUPTED_HINT = "run the same command again to publish it all"


def _rollback(client: Client, out: PublishOutcome, say: Log) -> bool:
    """Make private again what this run published; True when a Ctrl-C cut it short."""
    todo = list(reversed(out.published))
    for n, t in enumerate(todo):
        try:
            set_sharing(client, t.urn, "private")
            out.writes += 1
        except KeyboardInterrupt:  # stop undoing when asked twice, but name what is left
            out.not_undone += [(p, "interrupted again") for p in todo[n:]]
            say(f"interrupted again: {', '.join(p.label for p in todo[n:])} may still be public")
            out.published = []
            return True
        except SccliError as e:
            # A PUT whose answer was lost may have been carried out: check before reporting.
            if sharing_now(client, t.urn) != "private":
                out.not_undone.append((t, e.message))
                say(f"could not make {t.label} {t.urn} private again: {e.message}")
                continue
        out.undone.append(t)
        say(f"made {t.label} {t.urn} private again")
    out.published = []
    return False


def set_sharing(client: Client, urn: str, sharing: str) -> None:
    if urn.startswith("soundcloud:playlists:"):
        update_playlist(client, urn, {"sharing": sharing})
    else:
        update_track(client, urn, {"sharing": sharing})


def sharing_now(client: Client, urn: str) -> str | None:
    """The object's sharing as the server has it now; None when it cannot be read."""
    try:
        value = get(client, urn).get("sharing")
    except SccliError:
        return None
    return value if isinstance(value, str) else None
