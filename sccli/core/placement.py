"""Where each downloaded file goes, for `sc sync` and `sc tracks download --template`: named
by the template (or by the server), never onto another track's file, never outside the
folder, and two names that differ only in case kept apart (for case-insensitive disks)."""

from __future__ import annotations

import threading
from pathlib import Path, PurePosixPath
from typing import Any

from sccli.core.archive import Archive
from sccli.core.download import Target, part_of
from sccli.core.errors import SccliError


class NamedTarget(Target):
    """A folder whose files are named by a template; see the module docstring."""

    def __init__(
        self,
        folder: Path,
        template: str | None,
        *,
        playlist: dict[str, Any] | None = None,
        numbers: dict[str, int] | None = None,
        claims: Archive | None = None,
    ):
        super().__init__(folder, True)
        self.template = template
        self.playlist = playlist
        self.numbers = numbers or {}  # URN -> its place in the source, from 1
        self.claims = claims  # who each .part is for (sync's archive), to resume only one's own
        self.lock = threading.Lock()
        self.folded: set[str] = set()  # names given out in this run, case-folded
        self.own: dict[str, Path] = {}  # URN -> a file of its own found in place

    def relative(self, server_name: str, track: dict[str, Any]) -> PurePosixPath:
        from sccli.core.names import MAX_FILE_BYTES, render, safe_component, track_values

        if self.template is None:
            return PurePosixPath(safe_component(server_name, limit=MAX_FILE_BYTES))
        ext = server_name.rpartition(".")[2].lower() if "." in server_name else ""
        number = self.numbers.get(str(track.get("urn")))
        values = track_values(track, ext, playlist=self.playlist, number=number)
        return render(self.template, values)

    def place(self, name: str, track: dict[str, Any] | None = None) -> Path:
        track = track or {}
        rel = self.relative(name, track)
        parent = self.path / rel.parent
        if not parent.resolve().is_relative_to(self.path.resolve()):
            raise SccliError(f"{parent} lies outside {self.path} (a link?): not written")
        with self.lock:
            dest = self._free(rel, track)
            self.folded.add(str(dest).casefold())
            if self.claims is not None and self.claims.owner(dest) != track.get("urn"):
                self.claims.claim(str(track.get("urn")), dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    def _free(self, rel: PurePosixPath, track: dict[str, Any]) -> Path:
        """The first of NAME, NAME-ID, ... that no other track holds (in this run or on disk);
        a file there that carries this track's URN in its tags is its own."""
        from sccli.core.names import tagged
        from sccli.core.tagging import read_urn

        urn = str(track.get("urn"))
        tid = str(track.get("id") or urn.rsplit(":", 1)[-1])
        names = (rel.name, tagged(rel.name, tid), *(tagged(rel.name, f"{tid}-{n}") for n in (2, 3)))
        for name in names:
            dest = self.path / rel.parent / name
            if str(dest).casefold() in self.folded or self._others_part(dest, urn):
                continue
            if not dest.exists() and not dest.is_symlink():
                return dest
            if self.skip_complete and dest.is_file():
                return dest  # `tracks download --skip-existing`: whole is skipped, else refused
            if dest.is_file() and not dest.is_symlink() and read_urn(dest) == urn:
                self.own[urn] = dest  # from a run that died before its archive line
                return dest
        raise SccliError(f"no free name for {urn} in {self.path / rel.parent}")

    def _others_part(self, dest: Path, urn: str) -> bool:
        """A `.part` there that another track's download left (sync knows by its claims)."""
        if self.claims is None or not part_of(dest).exists():
            return False
        return self.claims.owner(dest) != urn

    def refuse_existing(self, dest: Path) -> None:
        """A file of the track's own (see _free) is kept; another only with --skip-existing,
        and then refused unless --force."""
        if dest not in self.own.values():
            super().refuse_existing(dest)
