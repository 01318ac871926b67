"""Computing a plan: the manifest's wishes against what exists, with reads only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sccli.core.errors import NotFound
from sccli.core.playlists import api_set_type
from sccli.core.release.audio import file_sha256, read_audio_info
from sccli.core.release.drift import as_pushed, compare
from sccli.core.release.identity import TrackFinder, find_release_set
from sccli.core.release.manifest import Manifest, ReleaseSpec, TrackSpec
from sccli.core.release.plan import Plan, SetPlan, TrackPlan
from sccli.core.release.state import ReleaseState
from sccli.core.upload import tag_list

if TYPE_CHECKING:
    from sccli.core.client import Client

# Manifest keys that are track fields under the same name ("tags" becomes tag_list).
TRACK_KEYS = (
    "description",
    "genre",
    "license",
    "release_date",
    "label_name",
    "purchase_url",
    "downloadable",
    "commentable",
    "reveal_stats",
    "reveal_comments",
)
SET_KEYS = ("description", "genre", "license", "release_date", "label_name", "purchase_url")


def make_plan(
    client: Client,
    manifest: Manifest,
    state: ReleaseState,
    *,
    publish: bool = False,
    replace_audio: bool = False,
    overwrite_remote: bool = False,
) -> Plan:
    remote_set = find_release_set(client, manifest.release, state)
    owner = remote_set.get("user_urn") if remote_set else None
    set_tracks = [
        t
        for t in (remote_set or {}).get("tracks") or []
        if owner is None or t.get("user_urn") == owner
    ]
    durations: dict[int, int | None] = {}

    def duration_of(spec: TrackSpec) -> int | None:
        if spec.index not in durations:
            durations[spec.index] = read_audio_info(spec.file).duration_ms
        return durations[spec.index]

    finder = TrackFinder(client, set_tracks, state, duration_of)
    matched = finder.match_all(manifest.tracks)
    sharing = manifest.release.sharing
    tracks = [
        plan_track(spec, matched.get(spec.index), state, sharing, publish, overwrite_remote)
        for spec in manifest.tracks
    ]
    for t in tracks:
        _plan_replacement(client, t, finder, replace_audio, duration_of)
    set_plan = plan_set(manifest.release, remote_set, state, sharing, publish, overwrite_remote)
    set_plan.tracks = _tracks_differ(remote_set, tracks)
    return Plan(manifest, state, tracks, set_plan, publish, replace_audio, overwrite_remote)


def desired_track(spec: TrackSpec, sharing: str) -> dict[str, Any]:
    out: dict[str, Any] = {"title": spec.title, "sharing": sharing}
    if spec.isrc:
        out["isrc"] = spec.isrc
    for key in TRACK_KEYS:
        if key in spec.fields:
            out[key] = spec.fields[key]
    if "tags" in spec.fields:
        out["tag_list"] = tag_list(spec.fields["tags"])
    return out


def desired_set(release: ReleaseSpec, sharing: str) -> dict[str, Any]:
    # An EP, single or compilation is an album to the API (values.RELEASE_TYPES).
    kind = api_set_type(release.set_type)
    out: dict[str, Any] = {"title": release.title, "set_type": kind, "sharing": sharing}
    for key in SET_KEYS:
        if key in release.fields:
            out[key] = release.fields[key]
    if "tags" in release.fields:
        out["tag_list"] = tag_list(release.fields["tags"])
    return out


def plan_track(
    spec: TrackSpec,
    remote: dict[str, Any] | None,
    state: ReleaseState,
    sharing: str,
    publish: bool,
    overwrite: bool = False,
) -> TrackPlan:
    sha, size, mtime = state.file_hash(spec.rel, spec.file)
    art_sha = file_sha256(spec.artwork) if spec.artwork else None
    t = TrackPlan(spec, remote, sha, size, mtime, desired_track(spec, sharing))
    t.artwork_sha256 = art_sha
    rec = state.tracks.get(spec.rel)
    known = rec if rec and remote and rec.urn == remote["urn"] else None
    if remote is None:
        t.artwork = art_sha is not None
        t.publish = publish and sharing == "private"
        t.pushed = as_pushed(t.desired)
        return t
    found = compare(t.desired, remote, known.pushed if known else None, overwrite_remote=overwrite)
    t.changes, t.drift, t.pushed = found.changes, found.drift, found.pushed
    _sharing_change(t.changes, remote, sharing, publish)
    t.publish = publish and remote.get("sharing") != "public"
    t.artwork = _artwork_differs(art_sha, known.artwork_sha256 if known else None, remote)
    t.audio_changed = bool(known and known.sha256 and known.sha256 != sha)
    if known and known.replaces:
        t.delete.append(known.replaces)
    return t


def plan_set(
    release: ReleaseSpec,
    remote: dict[str, Any] | None,
    state: ReleaseState,
    sharing: str,
    publish: bool,
    overwrite: bool = False,
) -> SetPlan:
    art_sha = file_sha256(release.artwork) if release.artwork else None
    s = SetPlan(remote, desired_set(release, sharing), artwork_sha256=art_sha)
    if remote is None:
        s.artwork = art_sha is not None
        s.publish = publish and sharing == "private"
        s.pushed = as_pushed(s.desired)
        return s
    same = state.set_urn == remote["urn"]
    found = compare(
        s.desired, remote, state.set_pushed if same else None, overwrite_remote=overwrite
    )
    s.changes, s.drift, s.pushed = found.changes, found.drift, found.pushed
    _sharing_change(s.changes, remote, sharing, publish)
    s.publish = publish and remote.get("sharing") != "public"
    s.artwork = _artwork_differs(art_sha, state.set_artwork_sha256 if same else None, remote)
    return s


def _sharing_change(
    changes: dict[str, Any], remote: dict[str, Any], sharing: str, publish: bool
) -> None:
    """Push never un-publishes; a switch to public waits for the publish step when asked for."""
    changes.pop("sharing", None)
    if remote.get("sharing") != "public" and sharing == "public" and not publish:
        changes["sharing"] = "public"


def _artwork_differs(art_sha: str | None, known_sha: str | None, remote: dict[str, Any]) -> bool:
    """By the state's record of what was sent; without one, artwork present counts as right."""
    if art_sha is None:
        return False
    if known_sha is not None:
        return known_sha != art_sha
    return not remote.get("artwork_url")


def _plan_replacement(
    client: Client,
    t: TrackPlan,
    finder: TrackFinder,
    replace: bool,
    duration_of: Callable[[TrackSpec], int | None],
) -> None:
    """--replace-audio: a new upload (or one found again) takes the old track's place."""
    # A pending deletion the state remembers may have happened before the state was saved.
    t.delete = [urn for urn in t.delete if _exists(client, urn, finder)]
    if not (t.audio_changed and replace and t.remote):
        return
    old = t.remote["urn"]
    t.replace = True
    duration = duration_of(t.spec)
    if duration is not None:
        t.adopt = finder.find_upload(t.spec.title, duration, exclude={old})
        if t.adopt:
            finder.claimed.add(t.adopt["urn"])
    t.delete.append(old)


def _exists(client: Client, urn: str, finder: TrackFinder) -> bool:
    if any(x["urn"] == urn for x in finder.set_tracks):
        return True
    try:
        client.get(f"/tracks/{urn}")
        return True
    except NotFound:
        return False


def _tracks_differ(remote_set: dict[str, Any] | None, tracks: list[TrackPlan]) -> bool:
    if remote_set is None:
        return True
    if any(t.remote is None or t.replace for t in tracks):
        return True
    current = [x["urn"] for x in remote_set.get("tracks") or []]
    return current != [t.urn for t in tracks]
