"""Scheduled publishing: the API has no `sharing=schedule`, so a release pushed private with a
`publish_at` is made public by `sc release publish`, run from a scheduled job once it is due."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError
from sccli.core.release.manifest import Manifest
from sccli.core.release.plan import Plan
from sccli.core.release.planner import make_plan
from sccli.core.release.publish import PublishOutcome, publish_all
from sccli.core.release.push import refuse_changed_audio
from sccli.core.release.state import ReleaseState

if TYPE_CHECKING:
    from sccli.core.client import Client


@dataclass
class Schedule:
    at: datetime | None  # None: no publish_at, due at once
    now: float

    @property
    def due(self) -> bool:
        return self.at is None or self.at.timestamp() <= self.now

    def until(self) -> str:
        """'not due until 2026-12-24T09:00:00+01:00 (in 2 d 3 h)'."""
        assert self.at is not None
        return f"not due until {self.at.isoformat()} (in {_span(self.at.timestamp() - self.now)})"


def schedule_of(manifest: Manifest, state: ReleaseState, now: float) -> Schedule:
    """The manifest's publish_at, else the one the last push recorded."""
    at = manifest.release.publish_at
    if at is None and state.publish_at:
        try:
            at = datetime.fromisoformat(state.publish_at)
        except ValueError:
            at = None
    return Schedule(at if at is None or at.tzinfo else None, now)


@dataclass
class Published:
    outcome: PublishOutcome
    already: list[str] = field(default_factory=list)  # public before this run

    def to_json(self) -> dict[str, Any]:
        o = self.outcome
        return {
            "status": "published" if o.ok else "failed",
            "published": [t.urn for t in o.published],
            "already_public": self.already,
            "undone": [t.urn for t in o.undone],
            "still_public": [t.urn for t, _ in o.not_undone],
            "writes": o.writes,
        }


def publish_release(
    client: Client,
    manifest: Manifest,
    state: ReleaseState,
    *,
    log: Callable[[str], None] | None = None,
) -> Published:
    """Make the pushed release public, all or nothing; refuse one that is not all pushed."""
    plan = make_plan(client, manifest, state, publish=True)
    missing = [t.spec.key for t in plan.tracks if t.remote is None]
    if plan.set.remote is None:
        missing.append("set")
    if missing:
        raise ApiError(
            f"the release is not on SoundCloud yet: {', '.join(missing)} missing",
            hint="`sc release push MANIFEST` uploads it (private) first",
        )
    _refuse_stale(plan)
    assert plan.set.remote is not None
    urns = {t.spec.index: t.urn for t in plan.tracks if t.urn}
    set_urn = plan.set.remote["urn"]
    targets = plan.publish_targets(urns, set_urn)
    already = [t.urn for t in plan.tracks if t.urn and not t.publish]
    already += [] if plan.set.publish else [set_urn]
    return Published(publish_all(client, targets, log=log), already)


# What a push would still change: publishing now would make public what the manifest no longer says.
_UNPUSHED = ("update", "reorder", "delete", "conflict")


def _refuse_stale(plan: Plan) -> None:
    """Publish only the release the manifest describes: refuse (before any write) when its audio
    or fields differ from what is on SoundCloud, as push does. Drift (changed by hand on
    SoundCloud only) is left to the person who made it."""
    refuse_changed_audio(plan)
    stale = [f"{a.target} {a.action}" for a in plan.actions() if a.action in _UNPUSHED]
    if stale:
        raise ApiError(
            f"the release on SoundCloud does not match the manifest: {', '.join(stale)}",
            hint="`sc release push MANIFEST` first (see `sc release plan MANIFEST`)",
        )


def _span(seconds: float) -> str:
    minutes = max(1, int(seconds // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    show_minutes = minutes or not (days or hours)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else ""]
    parts.append(f"{minutes} min" if show_minutes else "")
    return " ".join(p for p in parts if p)
