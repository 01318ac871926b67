"""A track's number and title from its file name: one rule for `sc tracks upload` and
`sc release init`, so one file gets one title whichever command names it."""

from __future__ import annotations

import re
from pathlib import Path

_NUMBERED = re.compile(r"^\s*(\d{1,3})(?:\s*[-_.]\s*|\s+)(.+)$")


def name_guess(path: Path) -> tuple[int | None, str]:
    """`01-harbour.wav` -> (1, 'Harbour'); `night_ferry.flac` -> (None, 'Night Ferry');
    `velvet garden (buskers session).wav` keeps its parenthesis as written."""
    stem = path.stem
    m = _NUMBERED.match(stem)
    number, rest = (int(m.group(1)), m.group(2)) if m else (None, stem)
    words = re.sub(r"[_\s]+", " ", rest).strip()
    if "-" in words and " " not in words:
        words = words.replace("-", " ")
    return number, _capitalized(words) or stem


def _capitalized(words: str) -> str:
    """Each word's first letter in capitals, except inside parentheses: a file's
    "(buskers session)" is a note, not words of the title (never "(buskers Session)")."""
    out, depth = [], 0
    for word in words.split(" "):
        if word and depth == 0 and not word.startswith("("):
            word = word[:1].upper() + word[1:]
        depth = max(depth + word.count("(") - word.count(")"), 0)
        out.append(word)
    return " ".join(w for w in out if w)


def default_title(path: Path) -> str:
    """The title a file gets when none is given."""
    return name_guess(path)[1]
