"""Uploading a track: validate first, stream the multipart body, never upload twice by accident."""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sccli.core.errors import (
    ApiError,
    NetworkError,
    RateLimited,
    SccliError,
    ServerError,
    UsageError,
)
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


def form_fields(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """track[...] form fields for the metadata that was given (None means: not given)."""
    fields = []
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        fields.append((f"track[{key}]", str(value)))
    return fields


def find_own_track(client: Client, title: str, since: float | None = None) -> dict | None:
    """The user's newest track with this title (created after `since`, when given)."""
    tracks = client.paginate("/me/tracks", page_size=200)
    return newest_match(tracks, lambda t: t.get("title") == title, since)


@dataclass
class UploadResult:
    track: dict
    uploaded: bool  # False: an existing track was returned (--if-absent)
    recovered: bool = False  # True: the request failed, but the track was found created


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


@dataclass
class UploadJob:
    audio: UploadFile
    meta: dict[str, Any]
    artwork: UploadFile | None = None


@dataclass
class UploadOutcome:
    job: UploadJob
    result: UploadResult | None = None
    error: SccliError | None = None


def upload_many(
    client: Client,
    jobs: list[UploadJob],
    *,
    parallel: int = 2,
    if_absent: bool = False,
    done: Callable[[UploadOutcome], None] | None = None,
) -> list[UploadOutcome]:
    """Upload several files, `parallel` at a time; one failing does not stop the others.
    Outcomes come back in the order of `jobs`; `done` hears of each as it finishes."""
    from concurrent.futures import ThreadPoolExecutor

    def one(job: UploadJob) -> UploadOutcome:
        try:
            out = UploadOutcome(
                job,
                upload_track(client, job.audio, job.meta, artwork=job.artwork, if_absent=if_absent),
            )
        except SccliError as e:
            out = UploadOutcome(job, error=e)
        if done:
            done(out)
        return out

    client.allow_parallel(parallel)
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        return list(pool.map(one, jobs))


def _post_upload(
    client: Client, audio: UploadFile, meta: dict[str, Any], artwork, progress
) -> dict:
    """One POST /tracks with the multipart body streamed from disk."""
    from requests_toolbelt import MultipartEncoder, MultipartEncoderMonitor

    with open(audio.path, "rb") as f, open(artwork.path, "rb") if artwork else _null() as art:
        fields: list[tuple[str, Any]] = form_fields(meta)
        fields.append(("track[asset_data]", (audio.path.name, f, f"audio/{audio.kind}")))
        if artwork:
            fields.append(
                ("track[artwork_data]", (artwork.path.name, art, f"image/{artwork.kind}"))
            )
        encoder = MultipartEncoder(fields=fields)
        body = MultipartEncoderMonitor(
            encoder, (lambda m: progress(m.bytes_read, m.len)) if progress else None
        )
        resp = client.request(
            "POST",
            "/tracks",
            data=body,
            headers={"Content-Type": body.content_type},
            timeout=(10.0, 900.0),
        )
        return resp.json()


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def wait_until_processed(
    client: Client,
    urn: str,
    *,
    timeout: float = 600,
    interval: float = 1.0,
    tick: Callable[[str], None] | None = None,
) -> dict:
    """Poll until transcoding finishes: `state` when present, else stream URLs appearing."""
    deadline = time.monotonic() + timeout
    while True:
        track = client.get(f"/tracks/{urn}")
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
        time.sleep(interval)


def default_title(path: Path) -> str:
    return os.path.splitext(path.name)[0]
