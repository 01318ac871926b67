"""Three-way comparison: the manifest, SoundCloud, and what sc last pushed (the state file).

A field the manifest changed since the last push is pushed. A field changed only on
SoundCloud (a title fixed in the web app) is drift: shown, and left alone unless
--overwrite-remote. A field changed on both sides is a conflict: push refuses it unless
--overwrite-remote. Without a record of the last push, the manifest wins (two-way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sccli.core.playlists import set_type_of
from sccli.core.upload import parse_tag_list

# Sharing is not compared three ways: push never un-publishes, and publishing is its own step.
NOT_COMPARED = ("sharing",)


@dataclass
class Drift:
    field: str
    kind: str  # drift (changed on SoundCloud only) | conflict (changed on both sides)
    manifest: Any
    soundcloud: Any
    last_pushed: Any

    def describe(self) -> str:
        text = f"{self.field}: SoundCloud {_show(self.soundcloud)}, manifest {_show(self.manifest)}"
        if self.kind == "conflict":
            text += f", last pushed {_show(self.last_pushed)}"
        return text


@dataclass
class Comparison:
    changes: dict[str, Any] = field(default_factory=dict)  # what a PUT must carry
    drift: list[Drift] = field(default_factory=list)
    pushed: dict[str, Any] = field(default_factory=dict)  # the state's record once pushed


def compare(
    desired: dict[str, Any],
    remote: dict[str, Any],
    base: dict[str, Any] | None,
    *,
    overwrite_remote: bool = False,
) -> Comparison:
    """Each desired field against SoundCloud's value and the last pushed one."""
    out = Comparison()
    if not isinstance(base, dict):  # no record (or a state file edited into something else)
        base = None
    for key, value in desired.items():
        if key in NOT_COMPARED:
            continue
        out.pushed[key] = value
        if same_value(key, value, remote):
            continue
        if base is None or key not in base or same_value(key, base[key], remote):
            out.changes[key] = value  # changed in the manifest (or nothing known): push it
            continue
        kind = "drift" if base[key] == value else "conflict"
        out.drift.append(Drift(key, kind, value, remote_value(key, remote), base[key]))
        if overwrite_remote:
            out.changes[key] = value
        else:
            out.pushed[key] = base[key]  # still the last value sc pushed
    return out


def as_pushed(desired: dict[str, Any]) -> dict[str, Any]:
    """The record of a push that sent every desired field (a new upload or set)."""
    return {k: v for k, v in desired.items() if k not in NOT_COMPARED}


def remote_value(key: str, remote: dict[str, Any]) -> Any:
    """SoundCloud's value of a field, in the manifest's terms where they differ."""
    if key == "set_type":
        return set_type_of(remote)
    if key == "release_date":
        return remote_date(remote)
    return remote.get(key)


def _show(value: Any) -> str:
    return '""' if value is None else repr(value) if isinstance(value, str) else str(value)


def changed_fields(desired: dict[str, Any], remote: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in desired.items() if not same_value(k, v, remote)}


def same_value(key: str, value: object, remote: dict[str, Any]) -> bool:
    got = remote.get(key)
    if key == "set_type":
        return set_type_of(remote) == value
    if key == "tag_list":
        return parse_tag_list(got or "") == parse_tag_list(str(value))
    if key == "release_date":
        return remote_date(remote) == value
    if key == "isrc":
        return str(got or "").replace("-", "").upper() == value
    if isinstance(value, bool):
        return got is value or str(got).lower() == str(value).lower()
    return (got if got is not None else "") == value


def remote_date(obj: dict[str, Any]) -> str | None:
    """yyyy-mm-dd from release_year/month/day when the API gives them, else release_date."""
    y, m, d = obj.get("release_year"), obj.get("release_month"), obj.get("release_day")
    if isinstance(y, int) and isinstance(m, int) and isinstance(d, int):
        return f"{y:04d}-{m:02d}-{d:02d}"
    text = obj.get("release_date")
    return str(text)[:10].replace("/", "-") if text else None
