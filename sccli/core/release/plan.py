"""A plan: what push would do, one action per object, and how many writes it takes.

Terraform's habit: one line per object with its action and the fields that differ, and a
count of writes; push then does exactly this, and a second push of the same manifest finds
nothing to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sccli.core.release.manifest import Manifest, ReleaseSpec, TrackSpec
from sccli.core.release.publish import Target
from sccli.core.release.state import ReleaseState

if TYPE_CHECKING:
    from sccli.core.release.drift import Drift

# Writes each action makes (a replace is the new upload; the old track's deletion is its own).
WRITES = {
    "upload": 1,
    "replace": 1,
    "update": 1,
    "create": 1,
    "reorder": 1,
    "delete": 1,
    "publish": 1,
}


@dataclass
class Action:
    """One line of a plan or a push report."""

    target: str  # "set" or "track[N]"
    action: (
        str  # upload | replace | audio changed | update | ok | create | reorder | delete | publish
    )
    fields: list[str] = field(default_factory=list)
    urn: str | None = None
    title: str = ""
    writes: int = 0
    status: str | None = None  # push only: done | failed | skipped | undone | still public
    error: str | None = None
    drift: Drift | None = None  # a drift or conflict row: the three values

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "target": self.target,
            "action": self.action,
            "fields": self.fields,
            "urn": self.urn,
            "title": self.title,
        }
        if self.status is not None:
            out["status"] = self.status
        if self.error is not None:
            out["error"] = self.error
        if self.drift is not None:
            out["manifest"] = self.drift.manifest
            out["soundcloud"] = self.drift.soundcloud
            out["last_pushed"] = self.drift.last_pushed
        return out


@dataclass
class TrackPlan:
    spec: TrackSpec
    remote: dict[str, Any] | None  # the existing track, None: to upload
    sha256: str
    size: int
    mtime_ns: int
    desired: dict[str, Any]  # every managed field, as the API takes it
    changes: dict[str, Any] = field(default_factory=dict)  # what a PUT must carry
    artwork: bool = False  # send the artwork file (on upload, or as a change)
    artwork_sha256: str | None = None
    audio_changed: bool = False
    replace: bool = False  # --replace-audio: upload the new audio as a new track
    adopt: dict[str, Any] | None = None  # an earlier upload of the new audio, found again
    delete: list[str] = field(default_factory=list)  # old tracks, deleted after the set write
    publish: bool = False
    drift: list[Drift] = field(default_factory=list)  # changed on SoundCloud (and maybe here)
    pushed: dict[str, Any] = field(default_factory=dict)  # the state's record after the push

    @property
    def action(self) -> str:
        if self.remote is None:
            return "upload"
        if self.audio_changed:
            return "replace" if self.replace else "audio changed"
        return "update" if self.changes or self.artwork else "ok"

    @property
    def urn(self) -> str | None:
        return self.remote["urn"] if self.remote else None


@dataclass
class SetPlan:
    remote: dict[str, Any] | None
    desired: dict[str, Any]
    changes: dict[str, Any] = field(default_factory=dict)
    artwork: bool = False
    artwork_sha256: str | None = None
    tracks: bool = False  # the track list must be written
    publish: bool = False
    drift: list[Drift] = field(default_factory=list)
    pushed: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.remote is None:
            return "create"
        if self.changes or self.artwork:
            return "update"
        return "reorder" if self.tracks else "ok"


@dataclass
class Plan:
    manifest: Manifest
    state: ReleaseState
    tracks: list[TrackPlan]
    set: SetPlan
    publish: bool = False
    replace_audio: bool = False
    overwrite_remote: bool = False

    @property
    def audio_changed(self) -> list[TrackPlan]:
        return [t for t in self.tracks if t.audio_changed and not self.replace_audio]

    def actions(self) -> list[Action]:
        """Every step in the order push takes them: tracks, the set, deletions, publishing."""
        rows: list[Action] = []
        for t in self.tracks:
            rows.append(_track_action(t))
            rows += _drift_actions(t.spec.key, t.urn, t.spec.title, t.drift)
        rows.append(_set_action(self.set, self.manifest.release))
        set_urn = self.set.remote["urn"] if self.set.remote else None
        rows += _drift_actions("set", set_urn, self.manifest.release.title, self.set.drift)
        for t in self.tracks:
            for old in t.delete:
                rows.append(Action(t.spec.key, "delete", [], old, t.spec.title, 1))
        for t in self.tracks:
            if t.publish:
                rows.append(Action(t.spec.key, "publish", ["sharing"], t.urn, t.spec.title, 1))
        if self.set.publish:
            urn = self.set.remote["urn"] if self.set.remote else None
            rows.append(Action("set", "publish", ["sharing"], urn, self.manifest.release.title, 1))
        return rows

    @property
    def writes(self) -> int:
        return sum(a.writes for a in self.actions())

    @property
    def conflicts(self) -> list[Action]:
        """Fields changed on both sides, which push refuses (unless --overwrite-remote)."""
        if self.overwrite_remote:
            return []
        return [a for a in self.actions() if a.action == "conflict"]

    @property
    def changes(self) -> bool:
        """A push would do something (or stop on changed audio): --detailed-exitcode's 2."""
        return any(a.action != "ok" for a in self.actions())

    def publish_targets(self, urns: dict[int, str], set_urn: str | None) -> list[Target]:
        """What the publish step makes public, in its order: the tracks, then the set."""
        out = [
            Target(t.spec.key, urns[t.spec.index], t.spec.title) for t in self.tracks if t.publish
        ]
        if self.set.publish and set_urn:
            out.append(Target("set", set_urn, self.manifest.release.title))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"actions": [a.to_json() for a in self.actions()], "writes": self.writes}

    def summary(self) -> str:
        return summarize(self.actions(), self.writes, "Plan")


def summarize(actions: list[Action], writes: int, label: str) -> str:
    """'Plan: 3 upload, 1 create; 4 writes' (Terraform's closing line, in our actions)."""
    counts: dict[str, int] = {}
    for a in actions:
        if a.action != "ok":
            counts[a.action] = counts.get(a.action, 0) + 1
    steps = ", ".join(f"{n} {action}" for action, n in counts.items()) or "nothing to do"
    return f"{label}: {steps}; {writes} write{'' if writes == 1 else 's'}"


def _track_action(t: TrackPlan) -> Action:
    action = t.action
    if action == "upload":
        fields = sorted(t.desired) + (["artwork"] if t.artwork else [])
    elif action in ("replace", "audio changed"):
        fields = ["audio"]
    else:
        fields = sorted(t.changes) + (["artwork"] if t.artwork else [])
    writes = WRITES.get(action, 0) - (1 if action == "replace" and t.adopt else 0)
    return Action(t.spec.key, action, fields, t.urn, t.spec.title, writes)


def _set_action(s: SetPlan, release: ReleaseSpec) -> Action:
    action = s.action
    if action == "create":
        fields = sorted(s.desired) + (["artwork"] if s.artwork else []) + ["tracks"]
    else:
        fields = sorted(s.changes) + (["artwork"] if s.artwork else [])
        fields += ["tracks"] if s.tracks else []
    urn = s.remote["urn"] if s.remote else None
    return Action("set", action, fields, urn, release.title, WRITES.get(action, 0))


def _drift_actions(target: str, urn: str | None, title: str, drift: list[Drift]) -> list[Action]:
    """A row per field changed on SoundCloud: `drift` (there only) or `conflict` (both sides)."""
    return [Action(target, d.kind, [d.field], urn, title, drift=d) for d in drift]
