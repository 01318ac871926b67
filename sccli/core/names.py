"""File names from templates (`--template '{user.username}/{title}.{ext}'`), each component
safe on every common file system.

A field's value can never add a folder: it is made into one safe component before it is put
into the template, and every component of the result is made safe again (yt-dlp's
prepare_filename and sanitize_filename do the same two steps). Safe means: no `/` or `\\`,
none of `<>:"|?*`, no control or format characters, no leading dots, no trailing dots or
spaces, not a name Windows reserves (CON, NUL, COM1, ... with any extension), and at most
255 bytes of UTF-8, cut on a character boundary with the extension kept.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from sccli.core.errors import UsageError

MAX_COMPONENT_BYTES = 255
MAX_FILE_BYTES = MAX_COMPONENT_BYTES - len(".part")  # room for the download's .part
_FORBIDDEN = re.compile(r'[/\\<>:"|?*]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.I)
# The fields a template may name, besides the track's own keys.
EXTRA_FIELDS = ("set", "track_number", "ext")
DEFAULT_EXTENSION_CHARS = 8  # a longer "extension" is part of the name


def cut_utf8(text: str, limit: int) -> str:
    """The longest prefix of `text` whose UTF-8 takes at most `limit` bytes."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", "ignore")  # drops a character cut in half


def safe_component(
    text: str, *, keep_extension: bool = True, limit: int = MAX_COMPONENT_BYTES
) -> str:
    """One path component, safe everywhere (see the module docstring), of at most `limit`
    bytes; never empty."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = _FORBIDDEN.sub("_", text)
    text = text.strip().rstrip(". ")
    stem, ext = _split_ext(text) if keep_extension else (text, "")
    stem = cut_utf8(stem.lstrip(". "), limit - len(ext.encode())).rstrip(". ")
    out = (stem or ("_" if ext else "")) + ext
    if not out:
        return "_"
    return f"_{out}" if _RESERVED.match(out) else out


def _split_ext(text: str) -> tuple[str, str]:
    stem, dot, ext = text.rpartition(".")
    if not dot or not ext or len(ext) > DEFAULT_EXTENSION_CHARS or not ext.isalnum():
        return text, ""
    return stem, "." + ext


class _Fields(string.Formatter):
    """str.format over a track: dotted fields (`user.username`), values made safe."""

    def __init__(self, values: Mapping[str, Any]):
        self.values = values

    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        if isinstance(key, int) or key not in self.values:
            raise UsageError(
                f"--template names an unknown field {{{key}}}",
                hint="fields are the track's keys (title, user.username, genre, ...), "
                "set.title, track_number and ext",
            )
        return self.values[key]

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        root, *rest = field_name.split(".")
        value = self.get_value(root, args, kwargs)
        for part in rest:
            value = value.get(part, "") if isinstance(value, Mapping) else ""
        return value, root

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None or isinstance(value, Mapping):
            value = ""
        try:
            text = format(value, format_spec)
        except (ValueError, TypeError):
            text = str(value)  # `{track_number:02d}` over an empty value: no crash, no digits
        return safe_component(text, keep_extension=False) if text else ""


def check_template(template: str) -> str:
    """The template if it parses and makes a relative path; else a usage error (exit 2)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as e:
        raise UsageError(f"--template does not parse: {e}") from None
    if not any(name for _, name, _, _ in parsed):
        raise UsageError("--template names no field", hint="e.g. '{user.username}/{title}.{ext}'")
    if template.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", template):
        raise UsageError("--template must be a path inside the folder, not an absolute one")
    return template


def render(template: str, values: Mapping[str, Any]) -> PurePosixPath:
    """The relative path a template gives for these values: safe components only, never `..`,
    never empty."""
    text = _Fields(values).format(template)
    parts = [p for p in text.replace("\\", "/").split("/") if p.strip()] or ["_"]
    safe = [safe_component(p) for p in parts[:-1]]
    return PurePosixPath(*safe, safe_component(parts[-1], limit=MAX_FILE_BYTES))


def tagged(name: str, tag: str) -> str:
    """`name` with `-tag` before its extension, still a safe file name (the stem is cut)."""
    stem, ext = _split_ext(name)
    room = MAX_FILE_BYTES - len(ext.encode()) - len(tag.encode()) - 1
    return f"{cut_utf8(stem, room).rstrip('. ')}-{tag}{ext}"


def track_values(
    track: Mapping[str, Any],
    ext: str,
    *,
    playlist: Mapping[str, Any] | None = None,
    number: int | None = None,
) -> dict[str, Any]:
    """What a template can name: the track's keys, `set`, `track_number` and `ext`."""
    values = dict(track)
    values.update({"set": dict(playlist or {}), "track_number": number or "", "ext": ext})
    return values
