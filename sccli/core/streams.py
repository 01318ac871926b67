"""Stream URLs: choosing the best one, and following the API's authenticated hop to the CDN."""

from __future__ import annotations

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


def pick_stream(streams: dict[str, Any], fmt: str | None, urn: str) -> str:
    keys = [FORMAT_KEYS[fmt]] if fmt else list(FORMAT_KEYS.values())
    for key in keys:
        if streams.get(key):
            return str(streams[key])
    available = ", ".join(f for f, k in FORMAT_KEYS.items() if streams.get(k)) or "none"
    raise NotFound(f"no {fmt or 'playable'} stream for {urn} (available: {available})")


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
