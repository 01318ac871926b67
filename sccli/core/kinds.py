"""The kinds of resource a reference names: one type with its plural, its label and its paths,
instead of strings sliced at each use (`kind[:-1]`, `"set"` -> `"playlist"`)."""

from __future__ import annotations

from sccli.core.record import record


@record
class Kind:
    name: str  # as a URN and the renderer call it: track, user, playlist
    plural: str  # the URN's middle and the API's collection: tracks, users, playlists
    label: str  # what a person calls it: track, user, set

    @property
    def path(self) -> str:
        """The API's collection: /tracks."""
        return f"/{self.plural}"

    def urn(self, ident: str | int) -> str:
        return f"soundcloud:{self.plural}:{ident}"

    def path_of(self, urn: str, *rest: str) -> str:
        """One resource's path: /tracks/soundcloud:tracks:1[/rest...]."""
        return "/".join((self.path, urn, *rest))


TRACK = Kind("track", "tracks", "track")
USER = Kind("user", "users", "user")
PLAYLIST = Kind("playlist", "playlists", "set")
KINDS = {k.name: k for k in (TRACK, USER, PLAYLIST)}
BY_PLURAL = {k.plural: k for k in KINDS.values()}
BY_LABEL = {k.label: k for k in KINDS.values()}


def kind_of(urn: str) -> Kind:
    """The kind a URN names: soundcloud:tracks:1 is a track."""
    return BY_PLURAL[urn.split(":")[1]]
