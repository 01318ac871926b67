"""The playlist file a sync leaves beside the music: `DIR/<set title>.m3u8` (UTF-8, paths
relative to DIR, `#EXTINF:<seconds>,<artist> - <title>`), in SOURCE's order, rewritten
whole (atomically) on every sync."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sccli.core.fsutil import atomic_write
from sccli.core.names import safe_component

if TYPE_CHECKING:
    from sccli.core.archive import Archive
    from sccli.core.sync_plan import Plan


def m3u_name(plan: Plan) -> str:
    """The set's title; for another source, its name (likes, reposts, mine, the user)."""
    if plan.playlist is not None:
        title = str(plan.playlist.get("title") or "set")
    else:
        title = plan.source.ref or plan.source.kind.replace("-", "stdin")
    return safe_component(f"{title}.m3u8")


def write_m3u(folder: Path, plan: Plan, archive: Archive) -> Path:
    """Every track of the plan that has a file in `folder`, in order."""
    lines = ["#EXTM3U"]
    for item in plan.items:
        entry = archive.get(item.urn)
        if entry is None or entry.path is None or not entry.path.is_file():
            continue
        try:
            rel = entry.path.absolute().relative_to(folder.absolute())
        except ValueError:
            continue  # another folder's file
        t = item.track
        seconds = round(int(t.get("duration") or 0) / 1000) or -1
        user = t.get("user") if isinstance(t.get("user"), dict) else {}
        artist = t.get("metadata_artist") or (user or {}).get("username") or ""
        label = f"{artist} - {t.get('title') or ''}" if artist else str(t.get("title") or "")
        lines.append(f"#EXTINF:{seconds},{' '.join(label.split())}")
        lines.append(rel.as_posix())
    path = folder / m3u_name(plan)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"), mode=0o644)
    return path
