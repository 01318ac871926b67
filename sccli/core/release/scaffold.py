"""`sc release init`: a release.toml from a folder of audio files, their tags, else their names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sccli.core.errors import UsageError
from sccli.core.fsutil import atomic_write
from sccli.core.media import sniff_audio
from sccli.core.release.audio import read_audio_info
from sccli.core.release.manifest import MANIFEST_NAME
from sccli.core.titles import name_guess

_LICENSE_HINT = "all-rights-reserved"


@dataclass
class FoundTrack:
    file: str  # relative to the folder
    title: str
    number: int | None
    isrc: str | None


def find_tracks(folder: Path) -> list[FoundTrack]:
    """Audio files in `folder` (by content), ordered by track number, then by file name."""
    found = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if not _is_audio(path):
            continue
        info = read_audio_info(path)
        guessed_number, guessed_title = name_guess(path)
        number = info.track_number if info.track_number is not None else guessed_number
        found.append(FoundTrack(path.name, info.title or guessed_title, number, info.isrc))
    found.sort(key=lambda t: (t.number is None, t.number or 0, t.file))
    return found


def _is_audio(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return sniff_audio(f.read(64)) is not None
    except OSError:
        return False


def toml_string(value: str) -> str:
    """A TOML basic string that reads back as `value`: quotes, backslashes and the control
    characters TOML forbids raw (U+0000-U+001F but tab, and DEL) escaped. JSON's escaping
    is not enough: it writes DEL raw, which TOML refuses."""
    if any("\ud800" <= c <= "\udfff" for c in value):
        # A name that was not UTF-8 (Python keeps its bytes as lone surrogates): no TOML
        # string can hold it, so no manifest could name it.
        shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise UsageError(f"{shown!r} is not valid UTF-8: rename it to use it in a release")
    out = []
    for c in value:
        if c in ('"', "\\"):
            out.append("\\" + c)
        elif c != "\t" and (c < " " or c == "\x7f"):
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def manifest_text(title: str, tracks: list[FoundTrack], artwork: str | None = None) -> str:
    """The TOML text: whatever it names, `load_manifest` reads back exactly (toml_string)."""
    s = toml_string
    lines = [
        "# sc release: `sc release plan release.toml`, then `sc release push release.toml`.",
        "# Paths are relative to this file. Any track field may be set per track.",
        "[release]",
        f"title = {s(title)}",
        'type = "album"              # album | ep | single | compilation | playlist',
        'sharing = "private"         # while being built; `push --publish` makes it public',
        '# release_date = "2026-12-01"',
        f"{'' if artwork else '# '}artwork = {s(artwork or 'cover.jpg')}",
        '# description = ""',
        '# genre = ""',
        "# tags = []",
        f'# license = "{_LICENSE_HINT}"',
    ]
    for t in tracks:
        lines += ["", "[[track]]", f"file = {s(t.file)}", f"title = {s(t.title)}"]
        if t.isrc:
            lines.append(f"isrc = {s(t.isrc)}")
    return "\n".join(lines) + "\n"


def init_release(
    folder: Path, *, title: str | None = None, force: bool = False
) -> tuple[Path, list[FoundTrack]]:
    """Write folder/release.toml; refuse to overwrite one unless `force`."""
    if not folder.is_dir():
        raise UsageError(f"not a folder: {folder}")
    target = folder / MANIFEST_NAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="use --force to overwrite it")
    tracks = find_tracks(folder)
    if not tracks:
        raise UsageError(f"no audio files in {folder}")
    artwork = next(
        (
            p.name
            for p in sorted(folder.iterdir())
            if p.stem.lower() in ("cover", "artwork", "folder")
            and p.suffix.lower() in (".jpg", ".jpeg", ".png")
        ),
        None,
    )
    title = title or name_guess(Path(folder.resolve().name))[1]
    atomic_write(target, manifest_text(title, tracks, artwork).encode(), mode=0o644)
    return target, tracks
