"""Stream URLs: choosing the best one, and following the API's authenticated hop to the CDN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sccli.core.errors import ApiError, NotFound

if TYPE_CHECKING:
    from sccli.core.client import Client

# Best first. http_mp3_128_url is deprecated and not offered. hls_aac_96_url is the one
# SoundCloud says every track will have once the MP3 streams go (API-NOTES.md); MP3 stays
# while the spec lists it.
FORMAT_KEYS = {
    "hls-aac": "hls_aac_160_url",
    "hls-aac-96": "hls_aac_96_url",
    "hls-mp3": "hls_mp3_128_url",
    "preview": "preview_mp3_128_url",
}


FULL = ("hls-aac", "hls-aac-96", "hls-mp3")


@dataclass
class StreamChoice:
    url: str
    warning: str | None = None  # set when what is printed is a 30-second preview, unasked


def pick_stream(
    streams: dict[str, Any], fmt: str | None, urn: str, access: str | None = None
) -> StreamChoice:
    """The asked-for stream, else the best full one. A preview (the track's `access` is
    `preview`, or only `preview_mp3_128_url` is there) is never passed off as the track: it
    is chosen only when asked for, or with a warning. A `blocked` track has no stream."""
    refuse_blocked(urn, access)
    keys = [FORMAT_KEYS[fmt]] if fmt else [FORMAT_KEYS[f] for f in FULL]
    url = next((str(streams[k]) for k in keys if streams.get(k)), None)
    if url is not None:
        snippet = access == "preview" and fmt != "preview"
        return StreamChoice(url, _preview_warning(urn) if snippet else None)
    preview = streams.get(FORMAT_KEYS["preview"])
    if fmt is None and preview:
        return StreamChoice(str(preview), _preview_warning(urn))
    available = ", ".join(f for f, k in FORMAT_KEYS.items() if streams.get(k)) or "none"
    raise NotFound(f"no {fmt or 'full'} stream for {urn} (available: {available})")


def refuse_blocked(urn: str, access: str | None) -> None:
    """A blocked track has no stream at all: exit 3, with the reason."""
    if access == "blocked":
        raise NotFound(
            f"{urn} is blocked where you are: SoundCloud gives its metadata only, no stream "
            "(the rights holder or a region lock)"
        )


def _preview_warning(urn: str) -> str:
    return (
        f"warning: {urn} is a 30-second preview only here (Go+ or a region lock), "
        "not the whole track; --format preview asks for it without this warning"
    )


def resolve_stream(client: Client, url: str) -> str:
    """An API link needs the Authorization header, then redirects to the CDN: return where
    it goes. Any other link (/streams may answer with signed CDN links already) is returned
    as it is: it needs no token, and the token never goes to a host other than the API's."""
    if not client.is_api_host(url):
        return url
    resp = client.request("GET", url, follow_redirects=False, ok=(301, 302, 303, 307, 308))
    location = resp.headers.get("Location")
    if not location:
        raise ApiError("the stream URL did not redirect to the CDN")
    return location


def track_and_streams(client: Client, ref: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The track (it says whether it is playable here, a preview only, or blocked, and why)
    and its /streams answer. A blocked track is refused before its streams are asked for.
    Where the track itself is 404 but its streams answer (a recording of /streams alone, or
    a track the API will not show here), its access is unknown and the streams decide."""
    from sccli.core.refs import fetch, parse_ref

    try:
        obj = fetch(client, ref, ("track",))
    except NotFound as missing:
        urn = parse_ref(ref, ("track",)).urn
        if not urn:
            raise
        try:
            streams = client.get(f"/tracks/{urn}/streams") or {}
        except NotFound:
            raise missing from None
        return {"urn": urn}, streams
    refuse_blocked(obj["urn"], obj.get("access"))
    return obj, client.get(f"/tracks/{obj['urn']}/streams") or {}
