"""Durations and dates as people type them, and as the API wants them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sccli.core.errors import UsageError

# ASCII digits only (re.ASCII): int() and float() would take other scripts' digits too.
_CLOCK = re.compile(r"(?:(\d{1,4}):)?(\d{1,6}):(\d{1,2})(?:\.(\d{1,3}))?", re.ASCII)
_UNIT = re.compile(r"(\d{1,12}(?:\.\d{1,6})?)\s*(ms|s|m|h)?", re.ASCII)
# Longer than any track (SoundCloud's uploads stop at a few hours); keeps numbers finite.
MAX_DURATION_MS = 1000 * 3_600_000
EARLIEST_YEAR = 1000  # four-digit years: strftime writes year 999 as "999", which no API reads


def parse_duration_ms(text: str, *, what: str = "duration") -> int:
    """'90', '90s', '1:30', '1:02:03', '83000ms', '2m' -> milliseconds."""
    t = text.strip().lower()
    ms = _clock_ms(t, text, what)
    if ms is None and (m := _UNIT.fullmatch(t)):
        factor = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}[m.group(2) or "s"]
        ms = int(round(float(m.group(1)) * factor))
    if ms is None:
        raise UsageError(f"invalid {what} {text!r}: use 90, 90s, 1:30 or 83000ms")
    if ms > MAX_DURATION_MS:
        raise UsageError(f"invalid {what} {text!r}: longer than 1000 hours")
    return ms


def _clock_ms(t: str, text: str, what: str) -> int | None:
    m = _CLOCK.fullmatch(t)
    if not m:
        return None
    h, mins, secs, frac = m.groups()
    if int(secs) >= 60:
        raise UsageError(f"invalid {what} {text!r}: seconds must be below 60")
    ms = ((int(h or 0) * 60 + int(mins)) * 60 + int(secs)) * 1000
    return ms + (int(frac.ljust(3, "0")) if frac else 0)


def format_ms(ms: int | float | str | None) -> str:
    """Milliseconds as m:ss (h:mm:ss past an hour), for tables only."""
    if ms in (None, ""):
        return ""
    try:
        total = int(float(ms)) // 1000
    except (TypeError, ValueError):
        return str(ms)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# The API's own format (every recorded object, the spec's examples) and RFC 3339, which the
# spec's User schema declares and older tools send; a zone is optional, UTC when absent.
_API_TIME = re.compile(
    r"(\d{4})[/-](\d\d)[/-](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6})\d*)?"
    r"\s*(Z|[+-]\d\d:?\d\d)?",
    re.ASCII,
)
API_TIME_FORMAT = "%Y/%m/%d %H:%M:%S +0000"  # how sc prints every time: the API's own way


def parse_api_time(text: object) -> datetime | None:
    """A time the API sent, in either format, as an aware UTC datetime (None: not a time)."""
    m = _API_TIME.fullmatch(text.strip()) if isinstance(text, str) else None
    if not m:
        return None
    y, mo, d, h, mi, s, frac, zone = m.groups()
    micro = int((frac or "0").ljust(6, "0"))
    try:
        dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro, timezone.utc)
    except ValueError:
        return None
    offset = 0
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        offset = sign * (int(zone[1:3]) * 60 + int(zone[-2:]))
    return dt - timedelta(minutes=offset)


def display_time(value: object) -> str:
    """A time for tables and TSV, always in one format; anything else as it is."""
    dt = parse_api_time(value)
    return dt.strftime(API_TIME_FORMAT) if dt else str(value)


def parse_api_date(text: str, *, end: bool = False, what: str = "date") -> str:
    """'2024-05-01' or '2024-05-01 12:00[:00]', RFC 3339 or the API's own '2024/05/01 12:00:00
    +0000' (as sc prints times) -> 'yyyy-mm-dd hh:mm:ss' in UTC, as the API takes."""
    exact = parse_api_time(text)
    if exact is not None:
        return _four_digit_year(exact, text, what).strftime("%Y-%m-%d %H:%M:%S")
    t = text.strip().replace("T", " ").rstrip("Z")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            dt = datetime.strptime(t, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d" and end:
            dt = dt.replace(hour=23, minute=59, second=59)
        return _four_digit_year(dt, text, what).strftime("%Y-%m-%d %H:%M:%S")
    raise UsageError(f"invalid {what} {text!r}: use YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS'")


def parse_release_date(text: str) -> str:
    try:
        dt = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"invalid release date {text!r}: use YYYY-MM-DD") from None
    return _four_digit_year(dt, text, "release date").strftime("%Y-%m-%d")


def _four_digit_year(dt: datetime, text: str, what: str) -> datetime:
    if dt.year < EARLIEST_YEAR:
        raise UsageError(f"invalid {what} {text!r}: the year must be {EARLIEST_YEAR} or later")
    return dt
