"""Finding a release again in the real world: its set by title and type, its tracks by the
state's URN, else ISRC, else title within the set, else title and duration among your tracks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sccli.core import resources
from sccli.core.errors import NotFound
from sccli.core.playlists import find_own_playlist
from sccli.core.release.manifest import ReleaseSpec, TrackSpec
from sccli.core.release.state import ReleaseState

if TYPE_CHECKING:
    from sccli.core.client import Client

DURATION_SLACK_MS = 1000  # the API gives no size or checksum: a second of duration is the test


def find_release_set(
    client: Client, release: ReleaseSpec, state: ReleaseState
) -> dict[str, Any] | None:
    """The release's set with its tracks: the state's URN if it still exists, else by title."""
    with_tracks = {"show_tracks": "true"}
    if state.set_urn:
        try:
            return resources.get(client, state.set_urn, **with_tracks)
        except NotFound:
            pass
    found = find_own_playlist(client, release.title, release.set_type)
    if found is None:
        return None
    return resources.get(client, found["urn"], **with_tracks)


class TrackFinder:
    """Matches manifest tracks to existing ones; each existing track is claimed at most once."""

    def __init__(
        self,
        client: Client,
        set_tracks: list[dict[str, Any]],
        state: ReleaseState,
        duration_of: Callable[[TrackSpec], int | None],
    ):
        self.client = client
        self.set_tracks = set_tracks
        self.state = state
        self.duration_of = duration_of
        self.claimed: set[str] = set()
        self._mine: list[dict[str, Any]] | None = None

    def mine(self) -> list[dict[str, Any]]:
        """All your tracks, read once and only if the set alone did not answer."""
        if self._mine is None:
            self._mine = list(self.client.paginate("/me/tracks", page_size=200))
        return self._mine

    def match_all(self, specs: list[TrackSpec]) -> dict[int, dict[str, Any]]:
        """spec.index -> the existing track; each rule runs over every spec before the next."""
        found: dict[int, dict[str, Any]] = {}
        rules = (self._by_state, self._by_isrc, self._by_title_in_set, self._by_title_duration)
        for rule in rules:
            for spec in specs:
                if spec.index in found:
                    continue
                track = rule(spec)
                if track is not None:
                    found[spec.index] = track
                    self.claimed.add(track["urn"])
        return found

    def _free(
        self, tracks: list[dict[str, Any]], match: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any] | None:
        return next((t for t in tracks if t["urn"] not in self.claimed and match(t)), None)

    def _by_state(self, spec: TrackSpec) -> dict[str, Any] | None:
        rec = self.state.tracks.get(spec.rel)
        if rec is None:
            return None
        same = lambda t: t["urn"] == rec.urn  # noqa: E731
        return self._free(self.set_tracks, same) or self._free(self.mine(), same)

    def _by_isrc(self, spec: TrackSpec) -> dict[str, Any] | None:
        if not spec.isrc:
            return None
        same = lambda t: (t.get("isrc") or "").replace("-", "").upper() == spec.isrc  # noqa: E731
        return self._free(self.set_tracks, same) or self._free(self.mine(), same)

    def _by_title_in_set(self, spec: TrackSpec) -> dict[str, Any] | None:
        return self._free(self.set_tracks, lambda t: t.get("title") == spec.title)

    def _by_title_duration(self, spec: TrackSpec) -> dict[str, Any] | None:
        duration = self.duration_of(spec)
        if duration is None:
            return None
        return self.find_upload(spec.title, duration, exclude=set())

    def find_upload(self, title: str, duration: int, exclude: set[str]) -> dict[str, Any] | None:
        """Your unclaimed track with this title and duration (within a second)."""

        def same(t: dict[str, Any]) -> bool:
            got = t.get("duration")
            return (
                t.get("title") == title
                and t["urn"] not in exclude
                and isinstance(got, (int, float))
                and abs(got - duration) <= DURATION_SLACK_MS
            )

        return self._free(self.mine(), same)
