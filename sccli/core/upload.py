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

from sccli.core.errors import ApiError, NetworkError, RateLimited, ServerError, UsageError
from sccli.core.media import ACCEPTED, sniff_audio, sniff_image
from sccli.core.safewrite import SKEW, newest_match, recover

if TYPE_CHECKING:
    from sccli.core.client import Client

MAX_BYTES = 500 * 1024 * 1024
MAX_NAME = 255
MAX_RATE_WAIT = 60.0  # a 429 whose reset is further off ends the upload (exit 5)


@dataclass
class UploadFile:
    path: Path
    kind: str
    size: int


def check_audio(path: Path) -> UploadFile:
    """Exit 2 before anything is sent: missing, unreadable, too big, badly named, not audio."""
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    if not path.is_file():
        raise UsageError(f"not a file: {path}")
    if len(path.name) > MAX_NAME:
        raise UsageError(f"file name is longer than {MAX_NAME} characters: SoundCloud refuses it")
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}") from None
    size = path.stat().st_size
    if size == 0:
        raise UsageError(f"{path} is empty")
    if size > MAX_BYTES:
        raise UsageError(f"{path} is {size / 2**20:.0f} MB; SoundCloud takes at most 500 MB")
    kind = sniff_audio(head)
    if kind is None:
        raise UsageError(f"{path} is not audio SoundCloud accepts ({ACCEPTED})")
    return UploadFile(path, kind, size)


def check_artwork(path: Path) -> UploadFile:
    if not path.is_file():
        raise UsageError(f"no such artwork file: {path}")
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror}") from None
    kind = sniff_image(head)
    if kind is None:
        raise UsageError(f"artwork {path} must be a JPEG or PNG image")
    return UploadFile(path, kind, path.stat().st_size)


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


def find_own_track(client: Client, title: str, since: float | None = None) -> dict[str, Any] | None:
    """The user's newest track with this title (created after `since`, when given)."""
    tracks = client.paginate("/me/tracks", page_size=200)
    return newest_match(tracks, lambda t: t.get("title") == title, since)


@dataclass
class UploadResult:
    track: dict[str, Any]
    uploaded: bool  # False: an existing track was returned (--if-absent)
    recovered: bool = False  # True: the request failed, but the track was found created

    def describe(self) -> str:
        urn = self.track.get("urn")
        if not self.uploaded:
            return f"not uploaded: you already have {urn} titled {self.track.get('title')!r}"
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
    started = time.time() - SKEW
    for attempt in range(3):
        try:
            return UploadResult(_post_upload(client, audio, meta, artwork, progress), uploaded=True)
        except RateLimited as e:
            # A 429 means nothing was stored: send again (from the start of the file) if it is soon.
            wait = (e.retry_at - time.time()) if e.retry_at else None
            if wait is None or wait > MAX_RATE_WAIT or attempt == 2:
                raise
            client.log(f"! 429 on upload: sending again in {max(wait, 0):.1f}s")
            time.sleep(max(wait, 0) + 0.5)
        except (NetworkError, ServerError) as e:
            # The upload may have gone through anyway (504, reset after sending): look first.
            found = recover(client, e, lambda: find_own_track(client, title, started), "uploaded")
            return UploadResult(found, uploaded=True, recovered=True)
    raise AssertionError("unreachable")


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
    fields, then the files, streamed from disk (the body is an iterator over open files,
    never read into memory)."""
    from requests_toolbelt import MultipartEncoder, MultipartEncoderMonitor

    with contextlib.ExitStack() as files:
        fields: list[tuple[str, Any]] = list(form_fields(meta, resource))
        for name, part, mime in (
            ("asset_data", audio, "audio"),
            ("artwork_data", artwork, "image"),
        ):
            if part is not None:
                f = files.enter_context(open(part.path, "rb"))
                fields.append((f"{resource}[{name}]", (part.path.name, f, f"{mime}/{part.kind}")))
        encoder = MultipartEncoder(fields=fields)
        yield MultipartEncoderMonitor(
            encoder, (lambda m: progress(m.bytes_read, m.len)) if progress else None
        )


def _post_upload(
    client: Client,
    audio: UploadFile,
    meta: dict[str, Any],
    artwork: UploadFile | None,
    progress: Callable[[int, int], None] | None,
) -> dict[str, Any]:
    """One POST /tracks with the multipart body streamed from disk."""
    with multipart(meta, audio=audio, artwork=artwork, progress=progress) as body:
        resp = client.request(
            "POST",
            "/tracks",
            data=body,
            headers={"Content-Type": body.content_type},
            timeout=(10.0, 900.0),
        )
        result: dict[str, Any] = resp.json()
        return result


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


def default_title(path: Path) -> str:
    return os.path.splitext(path.name)[0]
