"""Publishing a release, all or nothing: the tracks, then the set, made public; when one step
fails, what this run made public is made private again, and what could not be is named.

Used by `release push --publish` and `release publish`. Only objects that were private when
planned are given here, so a rollback never makes private what was public before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sccli.core.errors import SccliError
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
    failure stops the rest before they are public and leaves the least to undo."""
    say = log or (lambda _m: None)
    out = PublishOutcome()
    for t in targets:
        try:
            set_sharing(client, t.urn, "public")
            out.writes += 1
        except SccliError as e:
            out.failed, out.error = t, e.message
            # The answer may be lost after the write happened: look before undoing or not.
            if sharing_now(client, t.urn) != "private":
                out.published.append(t)
            say(f"failed: publish {t.label} {t.urn}: {e.message}; making private again what was")
            _rollback(client, out, say)
            return out
        out.published.append(t)
        say(f"published {t.label} {t.urn}")
    return out


def _rollback(client: Client, out: PublishOutcome, say: Log) -> None:
    for t in reversed(out.published):
        try:
            set_sharing(client, t.urn, "private")
            out.writes += 1
        except SccliError as e:
            # A PUT whose answer was lost may have been carried out: check before reporting.
            if sharing_now(client, t.urn) != "private":
                out.not_undone.append((t, e.message))
                say(f"could not make {t.label} {t.urn} private again: {e.message}")
                continue
        out.undone.append(t)
        say(f"made {t.label} {t.urn} private again")
    out.published = []


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
