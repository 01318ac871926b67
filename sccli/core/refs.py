"""References: a numeric id, a URN or a soundcloud.com URL, turned into a URN."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sccli.core.errors import ApiError, UsageError
from sccli.core.kinds import BY_PLURAL, KINDS, kind_of
from sccli.core.record import record

if TYPE_CHECKING:
    from sccli.core.client import Client

ALL = tuple(KINDS)  # a reference may name any of them unless a command says otherwise
_URN = re.compile(r"^soundcloud:(tracks|users|playlists):([0-9]+)$")
_ID = re.compile(r"^[0-9]+$")  # ASCII digits only: '²' and '١٢' are digits to str.isdigit()
_PERMALINK = re.compile(r"^[A-Za-z0-9_-]+(/sets)?(/[A-Za-z0-9_-]+)?$")
_SECRET = re.compile(r"^s-[A-Za-z0-9]+$")
_WEB_HOSTS = ("soundcloud.com", "www.soundcloud.com", "m.soundcloud.com", "on.soundcloud.com")


@record
class Ref:
    """A parsed reference: either a URN already, or a URL that needs /resolve."""

    text: str
    urn: str | None = None
    url: str | None = None
    secret: str | None = None  # a secret link's token (`s-...`), sent on as `secret_token`


def urn_kind(urn: str) -> str:
    """`track`, `user` or `playlist`."""
    return kind_of(urn).name


def urn_path(urn: str, *rest: str) -> str:
    """The API path of a resource: /tracks/soundcloud:tracks:1[/rest...]."""
    return kind_of(urn).path_of(urn, *rest)


def parse_ref(text: str, kinds: tuple[str, ...] = ALL, default: str | None = None) -> Ref:
    """Parse without any request; a malformed reference is a usage error (exit 2)."""
    t = text.strip()
    label = "/".join(k.upper() for k in kinds)
    if _ID.match(t):
        return Ref(t, urn=KINDS[default or kinds[0]].urn(t.lstrip("0") or "0"))
    m = _URN.match(t)
    if m:
        kind = BY_PLURAL[m.group(1)].name
        if kind not in kinds:
            raise UsageError(f"{t!r} is a {kind}, but a {label} is wanted here")
        return Ref(t, urn=t)
    if re.match(r"^(https?://)?([a-z]+\.)?soundcloud\.com(/|$)", t, re.I):
        url = t if "://" in t else "https://" + t
        parts = urlsplit(url)
        if parts.netloc.lower() in _WEB_HOSTS and parts.path.strip("/"):
            return Ref(t, url=url, secret=_secret_of(parts.path))
    if _PERMALINK.match(t):  # `user`, `user/track`, `user/sets/name`: soundcloud.com/<t>
        return Ref(t, url=f"https://soundcloud.com/{t}")
    raise UsageError(
        f"invalid {label} reference {text!r}: use a numeric id, a URN like "
        f"soundcloud:{kinds[0]}s:123, a soundcloud.com URL or a permalink like user/title"
    )


_URN_KINDS = ("track", "user", "playlist", "comment")


def fill_urns(obj: Any, kind: str | None = None) -> Any:
    """Give every object that has `kind` and `id` but no `urn` (answers recorded before
    mid-2025 have none) the URN they name, nested ones too; the object is changed in place.
    `kind`: what the object is when it does not say (an endpoint's list of comments)."""
    if isinstance(obj, list):
        for item in obj:
            fill_urns(item)
    elif isinstance(obj, dict):
        kind, oid = obj.get("kind") or kind, obj.get("id")
        if not obj.get("urn") and kind in _URN_KINDS and _is_id(oid):
            obj["urn"] = f"soundcloud:{kind}s:{oid}"
        for value in obj.values():
            if isinstance(value, (dict, list)):
                fill_urns(value)
    return obj


def _is_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or isinstance(value, str) and bool(_ID.match(value))


def _secret_of(path: str) -> str | None:
    """The token of a secret link: soundcloud.com/USER/TITLE/s-TOKEN (or USER/sets/NAME/s-TOKEN)."""
    segs = [s for s in path.split("/") if s]
    shape = len(segs) == 3 and segs[1] != "sets" or len(segs) == 4 and segs[1] == "sets"
    return segs[-1] if shape and _SECRET.match(segs[-1]) else None


def resolve_url(client: Client, url: str, secret: str | None = None) -> Any:
    """GET /resolve, then follow its 302 ourselves so the Authorization header goes along
    (and a secret link's token, where the location does not carry it already). The body
    names the target too (`{"status": "302 - Found", "location": ...}`): a proxy that drops
    the header does not lose it."""
    resp = client.request("GET", "/resolve", params={"url": url}, follow_redirects=False, ok=(302,))
    location = resp.headers.get("Location")
    if resp.status_code in (301, 302, 303, 307) and not location:
        location = _body_location(resp.text)
    if resp.status_code in (301, 302, 303, 307) and location:
        if secret and "secret_token=" not in location:
            return client.get(location, params={"secret_token": secret})
        return client.get(location)
    if resp.status_code == 200 and resp.content:
        from sccli.core.client import decode

        return decode(resp)
    raise ApiError(f"/resolve gave no location for {url}")


def _body_location(text: str) -> str | None:
    try:
        body = json.loads(text)
    except ValueError:
        return None
    where = body.get("location") if isinstance(body, dict) else None
    return where if isinstance(where, str) and where.startswith(("http://", "https://")) else None


def _resolved(
    client: Client, url: str, kinds: tuple[str, ...], secret: str | None = None
) -> dict[str, Any]:
    obj = resolve_url(client, url, secret)
    urn = obj.get("urn") if isinstance(obj, dict) else None
    if not isinstance(urn, str) or not _URN.match(urn):
        raise ApiError(f"{url} did not resolve to a track, user or playlist")
    kind = urn_kind(urn)
    if kind not in kinds:
        raise UsageError(f"{url} is a {kind}, but a {'/'.join(kinds)} is wanted here")
    resolved: dict[str, Any] = obj
    return resolved


@record
class Resolved:
    """A reference made a URN, with the whole object when resolving fetched it (a URL's
    /resolve answers with it): whoever needs the object next uses it instead of a GET."""

    urn: str
    obj: dict[str, Any] | None = None


def resolve(
    client: Client | None, text: str, kinds: tuple[str, ...] = ALL, default: str | None = None
) -> Resolved:
    ref = parse_ref(text, kinds, default)
    if ref.urn:
        return Resolved(ref.urn)
    assert client is not None and ref.url
    obj = _resolved(client, ref.url, kinds, ref.secret)
    urn = str(obj["urn"])
    if ref.secret:
        client.secret_tokens[urn] = ref.secret
    return Resolved(urn, obj)


def to_urn(
    client: Client | None, text: str, kinds: tuple[str, ...] = ALL, default: str | None = None
) -> str:
    return resolve(client, text, kinds, default).urn


def fetch(
    client: Client, text: str, kinds: tuple[str, ...], default: str | None = None
) -> dict[str, Any]:
    """The object itself: a URL's /resolve already answers with it, so it is not fetched twice."""
    ref = parse_ref(text, kinds, default)
    if ref.url:
        obj = _resolved(client, ref.url, kinds, ref.secret)
        if ref.secret:
            client.secret_tokens[str(obj["urn"])] = ref.secret
        return obj
    assert ref.urn
    return client.get(urn_path(ref.urn), need=("urn",))
