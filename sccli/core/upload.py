"""Uploading a track: validate first, stream the multipart body, never upload twice by accident."""

from __future__ import annotations

import contextlib
import os
import shlex
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NetworkError, ServerError, UsageError
from sccli.core.media import ACCEPTED, sniff_audio, sniff_image
from sccli.core.safewrite import made, recover, snapshot

if TYPE_CHECKING:
    from sccli.core.client import Client

# SoundCloud's developer documentation gives 4 GB per file; its API maintainers have
# confirmed that uploads up to 1 GB work (soundcloud/api issue 477, December 2025).
MAX_BYTES = 4 * 2**30
CONFIRMED_BYTES = 2**30
MAX_NAME = 255
UPLOAD_RATE = 256 * 1024  # bytes/s: the slowest link an upload is given time for


@dataclass
class UploadFile:
    path: Path
    kind: str
    size: int


def _head(path: Path, n: int, what: str) -> tuple[bytes, int]:
    """The first `n` bytes and the size of a file to send; any trouble is exit 2 (a usage
    error), checked before anything is sent."""
    try:
        if not path.exists():
            raise UsageError(f"no such {what}: {path}")
        if not path.is_file():
            raise UsageError(f"not a file: {path}")
        with open(path, "rb") as f:
            return f.read(n), os.fstat(f.fileno()).st_size
    except OSError as e:  # unreadable, or a name longer than the file system allows
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None


def check_audio(path: Path) -> UploadFile:
    """Exit 2 before anything is sent: missing, unreadable, too big, badly named, not audio."""
    if len(path.name) > MAX_NAME:
        raise UsageError(f"file name is longer than {MAX_NAME} characters: SoundCloud refuses it")
    head, size = _head(path, 64, "file")
    if size == 0:
        raise UsageError(f"{path} is empty")
    if size > MAX_BYTES:
        raise UsageError(f"{path} is {gigabytes(size)}; SoundCloud takes at most 4 GB per file")
    kind = sniff_audio(head)
    if kind is None:
        raise UsageError(f"{path} is not audio SoundCloud accepts ({ACCEPTED})")
    return UploadFile(path, kind, size)


def gigabytes(size: int) -> str:
    return f"{size / 2**30:.1f} GB"


def size_note(audios: list[UploadFile]) -> str | None:
    """One note for files past what the API is confirmed to take (they may still work)."""
    big = [a for a in audios if a.size > CONFIRMED_BYTES]
    if not big:
        return None
    names = ", ".join(f"{a.path.name} ({gigabytes(a.size)})" for a in big)
    return (
        f"note: {names}: SoundCloud's API has confirmed uploads up to 1 GB; its documentation "
        "allows 4 GB per file"
    )


def check_artwork(path: Path) -> UploadFile:
    head, size = _head(path, 16, "artwork file")
    kind = sniff_image(head)
    if kind is None:
        raise UsageError(f"artwork {path} must be a JPEG or PNG image")
    return UploadFile(path, kind, size)


def tag_list(tags: list[str]) -> str:
    """Space separated, multi-word tags in double quotes, as the API wants."""
    out = []
    for t in tags:
        t = t.strip().replace('"', "")
        if t:
            out.append(f'"{t}"' if " " in t else t)
    return " ".join(out)


def parse_tag_list(text: str) -> list[str]:
    try:
        return shlex.split(text or "")
    except ValueError:
        return (text or "").split()


def form_fields(meta: dict[str, Any], resource: str = "track") -> list[tuple[str, str]]:
    """`track[...]` (or `playlist[...]`) form fields for the metadata given (None: not given).
    A list is a set's track URNs: one `playlist[tracks][][urn]` field, comma-joined, as the
    spec's form request takes them."""
    fields = []
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, list):
            fields.append((f"{resource}[{key}][][urn]", ",".join(map(str, value))))
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        fields.append((f"{resource}[{key}]", str(value)))
    return fields


def own_tracks(client: Client) -> Iterator[dict[str, Any]]:
    """The logged-in user's tracks, newest first."""
    return client.paginate("/me/tracks", page_size=200)


def skipped_line(track: dict[str, Any]) -> str:
    """What --if-absent says: a skip, not a failure ("not uploaded" is a failure's prefix)."""
    return f'skipped: you already have "{track.get("title")}" ({track.get("urn")})'


def find_own_track(client: Client, title: str) -> dict[str, Any] | None:
    """The user's newest track with this title."""
    return next((t for t in own_tracks(client) if t.get("title") == title), None)


def upload_deadline(client: Client, size: int) -> float:
    """The total time one sending of `size` bytes may take: SC_TIMEOUT, plus the time the
    bytes need at UPLOAD_RATE."""
    return client.deadline + size / UPLOAD_RATE


@dataclass
class UploadResult:
    track: dict[str, Any]
    uploaded: bool  # False: an existing track was returned (--if-absent)
    recovered: bool = False  # True: the request failed, but the track was found created

    def describe(self) -> str:
        urn = self.track.get("urn")
        if not self.uploaded:
            return skipped_line(self.track)
        if self.recovered:
            return f"uploaded {urn} (the server answered with an error, but the track was created)"
        return f"uploaded {urn}"


def upload_track(
    client: Client,
    audio: UploadFile,
    meta: dict[str, Any],
    *,
    artwork: UploadFile | None = None,
    if_absent: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> UploadResult:
    title = meta["title"]
    if if_absent:
        existing = find_own_track(client, title)
        if existing:
            return UploadResult(existing, uploaded=False)

    def same(t: dict[str, Any]) -> bool:
        return bool(t.get("title") == title)

    def made_now() -> dict[str, Any] | None:
        return before.first_new(own_tracks(client), same)

    before = snapshot(client, lambda: own_tracks(client), same)
    try:
        track = _post_upload(client, audio, meta, artwork, progress)
    except (NetworkError, ServerError) as e:
        # The upload may have gone through anyway (504, reset after sending): look first.
        check = f"`sc tracks list` shows whether a track titled {title!r} was uploaded"
        return UploadResult(recover(client, e, made_now, "uploaded", check), True, recovered=True)
    return UploadResult(track, uploaded=True)


@contextlib.contextmanager
def multipart(
    meta: dict[str, Any],
    *,
    audio: UploadFile | None = None,
    artwork: UploadFile | None = None,
    progress: Callable[[int, int], None] | None = None,
    resource: str = "track",
) -> Iterator[Any]:
    """The one multipart body of upload and update, of tracks and sets: `resource[...]`
    fields, then the files, streamed from disk (never read into memory)."""
    from sccli.core.multipart import FilePart, MultipartBody

    with contextlib.ExitStack() as files:
        fields: list[tuple[str, str | FilePart]] = list(form_fields(meta, resource))
        for name, part, mime in (
            ("asset_data", audio, "audio"),
            ("artwork_data", artwork, "image"),
        ):
            if part is not None:
                f = files.enter_context(open(part.path, "rb"))
                fields.append(
                    (f"{resource}[{name}]", FilePart(f, part.path.name, f"{mime}/{part.kind}"))
                )
        yield MultipartBody(fields, progress)


def _post_upload(
    client: Client,
    audio: UploadFile,
    meta: dict[str, Any],
    artwork: UploadFile | None,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    """One POST /tracks, the multipart body streamed from disk; made anew (the files opened
    again from the start) if it must go again after a refused token or a near 429 reset."""
    from sccli.core.client import decode

    size = audio.size + (artwork.size if artwork else 0)
    resp = client.request(
        "POST",
        "/tracks",
        body=lambda: multipart(meta, audio=audio, artwork=artwork, progress=progress),
        timeout=(10.0, 900.0),
        deadline=upload_deadline(client, size),
    )
    return made(decode(resp))  # an upload answered without its track is a lost answer


def wait_until_processed(
    client: Client,
    urn: str,
    *,
    timeout: float = 600,
    interval: float = 1.0,
    tick: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Poll until transcoding finishes: `state` when present, else stream URLs appearing."""
    deadline = time.monotonic() + timeout
    while True:
        track: dict[str, Any] = client.get(f"/tracks/{urn}")
        state = track.get("state")
        if tick:
            tick(state or "processing")
        if state == "failed":
            raise ApiError(f"SoundCloud could not process the audio of {urn} (state: failed)")
        if state == "finished":
            return track
        if state is None:
            streams = client.get(f"/tracks/{urn}/streams") or {}
            if any(v for k, v in streams.items() if k.endswith("_url")):
                return track
        if time.monotonic() > deadline:
            raise ApiError(
                f"{urn} is still processing after {int(timeout)}s",
                hint=f"check later with `sc tracks get {urn}`",
            )
        sleep(interval)
