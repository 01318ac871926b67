"""Push: do the plan. Tracks first (N at a time), then the set in one write, then the old
tracks a --replace-audio swapped out, then --wait, then --publish (all or nothing:
release/publish.py), so listeners never see half a release. The state file is saved after every successful write, so a push killed at any
moment is finished by the next one."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NotFound, SccliError
from sccli.core.interrupt import workers_stop_on_interrupt
from sccli.core.playlists import create_playlist, update_playlist
from sccli.core.release.manifest import Manifest
from sccli.core.release.plan import Action, Plan, TrackPlan, summarize
from sccli.core.release.planner import make_plan
from sccli.core.release.publish import publish_all
from sccli.core.release.state import SET, ReleaseState
from sccli.core.resources import delete
from sccli.core.safewrite import LOOKUP_DELAYS
from sccli.core.tracks import update_track
from sccli.core.upload import check_artwork, check_audio, upload_track, wait_until_processed

if TYPE_CHECKING:
    from sccli.core.client import Client

Log = Callable[[str], None]
# An upload's progress: given its label and size, a context in which a callback (bytes sent,
# total) follows it, or None. The CLI draws bars with it on a terminal; core draws nothing.
Progress = Callable[
    [str, int], contextlib.AbstractContextManager[Callable[[int, int], None] | None]
]


def _no_progress(_label: str, _size: int) -> contextlib.AbstractContextManager[None]:
    return contextlib.nullcontext()


@dataclass
class PushOptions:
    jobs: int = 2
    wait: bool = False
    publish: bool = False
    replace_audio: bool = False
    wait_timeout: float = 600
    overwrite_remote: bool = False  # drift and conflicts: the manifest's value wins


@dataclass
class PushReport:
    actions: list[Action]
    writes: int
    ok: bool
    set_urn: str | None = None
    track_urns: list[str | None] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "actions": [a.to_json() for a in self.actions],
            "writes": self.writes,
            "ok": self.ok,
            "set_urn": self.set_urn,
        }

    def summary(self) -> str:
        done = [a for a in self.actions if a.status == "done"]
        label = "Pushed" if self.ok else "Push incomplete"
        return summarize(done, self.writes, label)


class AudioChanged(ApiError):
    """The API cannot replace audio: push stops (exit 1) unless --replace-audio."""


def push_release(
    client: Client,
    manifest: Manifest,
    state: ReleaseState,
    opts: PushOptions,
    *,
    log: Log | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
) -> PushReport:
    def planned() -> Plan:
        return make_plan(
            client,
            manifest,
            state,
            publish=opts.publish,
            replace_audio=opts.replace_audio,
            overwrite_remote=opts.overwrite_remote,
        )

    say = log or (lambda _m: None)
    plan = planned()
    # A push killed while a creating write was on its way may have created the object after
    # all, later than this push's look: look again before repeating it, as after a lost answer.
    for delay in LOOKUP_DELAYS[1:]:
        waiting = unlanded(plan)
        if not waiting:
            break
        say(
            f"an earlier push was stopped while creating {', '.join(waiting)}: "
            f"looking again in {delay:g} s before sending it again"
        )
        sleep(delay)
        plan = planned()
    refuse_changed_audio(plan)
    client.allow_parallel(opts.jobs)
    pusher = Pusher(client, plan, opts, say, sleep)
    pusher.progress = progress or _no_progress
    return pusher.run()


def unlanded(plan: Plan) -> list[str]:
    """What an earlier push began to create, and this plan would create again."""
    sent = plan.state.in_flight()
    again = [
        t.spec.key
        for t in plan.tracks
        if t.spec.rel in sent and (t.action == "upload" or t.action == "replace" and not t.adopt)
    ]
    return again + (["the set"] if SET in sent and plan.set.action == "create" else [])


def refuse_changed_audio(plan: Plan) -> None:
    """Stop before any write when a file differs from what was uploaded (push and publish)."""
    if plan.audio_changed:
        names = ", ".join(f"{t.spec.key} ({t.spec.rel})" for t in plan.audio_changed)
        raise AudioChanged(
            f"audio changed since the last push: {names}; the API cannot replace a track's audio",
            hint="push --replace-audio uploads the new version, swaps it into the set at the "
            "same place, then deletes the old track",
        )


class Pusher:
    """One push: runs the phases in order and stops at the first that fails."""

    def __init__(
        self,
        client: Client,
        plan: Plan,
        opts: PushOptions,
        log: Log,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.client = client
        self.sleep = sleep  # between polls of --wait (tests pass a fast one)
        self.plan = plan
        self.opts = opts
        self.log = log
        self.progress: Progress = _no_progress
        self.state = plan.state
        self.rows = plan.actions()
        self.writes = 0
        self._lock = threading.Lock()
        self.urns: dict[int, str] = {t.spec.index: t.urn for t in plan.tracks if t.urn}
        remote = plan.set.remote
        self.set_urn: str | None = remote["urn"] if remote else None
        at = plan.manifest.release.publish_at  # recorded beside the set, for `release publish`
        self.publish_at = at.isoformat() if at else None

    def run(self) -> PushReport:
        ok = True
        self._drift()
        phases = (self._tracks, self._set, self._deletes, self._wait, self._agreed, self._publish)
        for phase in phases:
            if not phase():
                ok = False
                break
        self._close_rows()
        urns = [self.urns.get(t.spec.index) for t in self.plan.tracks]
        return PushReport(self.rows, self.writes, ok, self.set_urn, urns)

    def _close_rows(self) -> None:
        """Every row gets a status; an overwritten drift says whether its write was sent."""
        sent = {r.target for r in self.rows if r.action == "update" and r.status == "done"}
        for row in self.rows:
            if row.drift is not None and self.opts.overwrite_remote:
                row.status = "overwritten" if row.target in sent else "skipped"
            elif row.status is None:
                row.status = "ok" if row.action == "ok" else "skipped"

    # -- helpers ---------------------------------------------------------------------------------
    def _row(self, target: str, action: str, urn: str | None = None) -> Action:
        for row in self.rows:
            if row.target == target and row.action == action and (urn is None or row.urn == urn):
                return row
        row = Action(target, action, urn=urn)  # not planned (a wait): reported all the same
        self.rows.append(row)
        return row

    def _wrote(self) -> None:
        with self._lock:
            self.writes += 1

    def _attempt(self, row: Action, work: Callable[[], str | None]) -> bool:
        """Run one step; its row says done (with the URN it produced) or failed (with why)."""
        try:
            urn = work()
        except (SccliError, OSError) as e:
            row.status = "failed"
            row.error = e.message if isinstance(e, SccliError) else str(e)
            self.log(f"failed: {row.action} {row.target} {row.title!r}: {row.error}")
            return False
        row.status = "done"
        if urn:
            row.urn = urn
        return True

    def _parallel(self, steps: Sequence[Callable[[], bool]]) -> bool:
        if not steps:
            return True
        with (
            ThreadPoolExecutor(max_workers=max(1, self.opts.jobs)) as pool,
            workers_stop_on_interrupt(pool),  # Ctrl-C: uploads in flight stop between blocks
        ):
            results = list(pool.map(lambda step: step(), steps))
        return all(results)

    def _record(self, t: TrackPlan, urn: str, **extra: Any) -> None:
        self.urns[t.spec.index] = urn
        self.state.update_track(
            t.spec.rel,
            urn=urn,
            sha256=t.sha256,
            size=t.size,
            mtime_ns=t.mtime_ns,
            artwork_sha256=t.artwork_sha256,
            pushed=t.pushed,
            **extra,
        )

    # -- phase 1: tracks ---------------------------------------------------------------------------
    def _tracks(self) -> bool:
        steps = []
        for t in self.plan.tracks:
            if t.action == "ok":
                self._record(t, t.urn or "")
                continue
            work = {"upload": self._upload, "replace": self._replace, "update": self._update}
            do = work[t.action]
            steps.append(partial(self._attempt, self._row(t.spec.key, t.action), partial(do, t)))
        return self._parallel(steps)

    def _send_upload(self, t: TrackPlan) -> str:
        audio = check_audio(t.spec.file)
        art = check_artwork(t.spec.artwork) if t.spec.artwork else None
        self.state.begin(t.spec.rel)
        with self.progress(f"{t.spec.key} {t.spec.title}", audio.size) as tick:
            result = upload_track(self.client, audio, dict(t.desired), artwork=art, progress=tick)
        self._wrote()
        urn = str(result.track["urn"])
        self.log(f"uploaded {t.spec.key} {t.spec.title!r}: {urn}")
        return urn

    def _upload(self, t: TrackPlan) -> str:
        urn = self._send_upload(t)
        self._record(t, urn)
        return urn

    def _replace(self, t: TrackPlan) -> str:
        assert t.remote is not None
        urn = t.adopt["urn"] if t.adopt else self._send_upload(t)
        self._record(t, urn, replaces=t.remote["urn"])
        return urn

    def _update(self, t: TrackPlan) -> str:
        assert t.urn is not None
        art = check_artwork(t.spec.artwork) if t.artwork and t.spec.artwork else None
        update_track(self.client, t.urn, t.changes, art)
        self._wrote()
        self._record(t, t.urn)
        fields = ", ".join(sorted(t.changes) + (["artwork"] if art else []))
        self.log(f"updated {t.spec.key} {t.spec.title!r} ({fields})")
        return t.urn

    # -- phase 2: the set, one write ------------------------------------------------------------
    def _set(self) -> bool:
        s = self.plan.set
        release = self.plan.manifest.release
        if s.action == "ok":
            self.state.update_set(
                set_urn=self.set_urn,
                set_artwork_sha256=s.artwork_sha256,
                set_pushed=s.pushed,
                publish_at=self.publish_at,
            )
            return True
        urns = [self.urns[t.spec.index] for t in self.plan.tracks]
        art = check_artwork(release.artwork) if s.artwork and release.artwork else None

        def write() -> str:
            if s.remote is None:
                extra = {k: v for k, v in s.desired.items() if k not in _SET_ARGS}
                self.state.begin(SET)
                p = create_playlist(
                    self.client,
                    release.title,
                    sharing=s.desired["sharing"],
                    set_type=release.set_type,
                    tracks=urns,
                    fields=extra,
                    artwork=art,
                )
            else:
                assert self.set_urn is not None
                tracks = urns if s.tracks else None
                p = update_playlist(
                    self.client, self.set_urn, s.changes, tracks=tracks, artwork=art
                )
            self._wrote()
            self.set_urn = urn = str(p["urn"])
            self.state.update_set(
                set_urn=urn,
                set_artwork_sha256=s.artwork_sha256,
                set_pushed=s.pushed,
                publish_at=self.publish_at,
            )
            self.log(f"{'created' if s.remote is None else 'updated'} set {urn}")
            return urn

        return self._attempt(self._row("set", s.action), write)

    # -- phase 3: old tracks a replace swapped out, only now that the set no longer holds them --
    def _deletes(self) -> bool:
        ok = True
        for t in self.plan.tracks:
            for old in t.delete:
                row = self._row(t.spec.key, "delete", old)
                ok = self._attempt(row, partial(self._delete, t, old)) and ok
        return ok

    def _delete(self, t: TrackPlan, old: str) -> str:
        try:
            delete(self.client, old)
            self._wrote()
        except NotFound:
            pass  # gone already: a push killed after the delete, before the state was saved
        self.state.update_track(t.spec.rel, urn=self.urns[t.spec.index], replaces=None)
        self.log(f"deleted the old {t.spec.key} {old}")
        return old

    # -- phase 4: --wait -------------------------------------------------------------------------
    def _wait(self) -> bool:
        if not self.opts.wait:
            return True
        steps = []
        for t in self.plan.tracks:
            urn = self.urns[t.spec.index]
            row = Action(t.spec.key, "wait", [], urn, t.spec.title)
            steps.append(partial(self._waited, row, partial(self._wait_for, urn)))
        return self._parallel(steps)

    def _wait_for(self, urn: str) -> str:
        wait_until_processed(self.client, urn, timeout=self.opts.wait_timeout, sleep=self.sleep)
        return urn

    def _waited(self, row: Action, wait: Callable[[], str]) -> bool:
        if self._attempt(row, wait):
            return True
        with self._lock:
            self.rows.append(row)  # only a failed wait is worth a line of the report
        return False

    # -- drift: changed on SoundCloud since the last push -----------------------------------------
    def _drift(self) -> None:
        """Drift is left alone with a warning; a conflict is refused (the push then fails
        before publishing); --overwrite-remote sends the manifest's value for both."""
        if self.opts.overwrite_remote:
            return
        for row in self.rows:
            if row.drift is None:
                continue
            what = f"{row.target} {row.drift.describe()}"
            if row.action == "drift":
                row.status = "left alone"
                self.log(f"warning: changed on SoundCloud, left alone: {what} (--overwrite-remote)")
            else:
                row.status = "failed"
                row.error = f"conflict, changed on both sides: {what}"

    def _agreed(self) -> bool:
        """No conflict was refused: only then is the release what the manifest says."""
        return not self.plan.conflicts

    # -- phase 5: --publish, all or nothing, the set last ----------------------------------------
    def _publish(self) -> bool:
        targets = self.plan.publish_targets(self.urns, self.set_urn)
        if not targets:
            return True
        out = publish_all(self.client, targets, log=self.log)
        with self._lock:
            self.writes += out.writes
        rows = {t.label: self._row(t.label, "publish") for t in targets}
        for t in out.published:
            rows[t.label].status = "done"
        for t in out.undone:
            rows[t.label].status = "undone"
        for t, why in out.not_undone:
            rows[t.label].status, rows[t.label].error = "still public", why
        if out.failed is not None:
            row = rows[out.failed.label]
            row.status, row.error = "failed", out.message()
        return out.ok


_SET_ARGS = ("title", "set_type", "sharing")
