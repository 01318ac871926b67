"""Files written safely (atomically, and secret ones 0600 from the first byte), and the
small files a person names read safely (regular files only, of a bounded size)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import IO, BinaryIO


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write to a fresh temp file created with `mode` (O_EXCL: never one planted for us),
    then rename it over the file. A symlink is written through: its target gets the data,
    and the link stays (a CI job may link SC_TOKEN_FILE to where its cache lives)."""
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            break
        except FileExistsError:
            continue
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)  # the umask may have narrowed it; secrets are exactly 0600
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


KiB, MiB = 1 << 10, 1 << 20

# Caps on what sc reads. Each is far above anything real and far below what would hurt:
# what is read whole is held in memory while it is parsed, and an endless input (a device,
# a FIFO, `< /dev/zero`) must end in a message, not in a hang or an exhausted machine.
MAX_READ = 16 * MiB  # token, release state, app files: a 1,000-track state is ~2 MiB
MANIFEST_MAX = 4 * MiB  # release.toml: 1,000 tracks with long descriptions stay under 1 MiB
CONFIG_MAX = 1 * MiB  # config.ini: a few settings a profile
ARCHIVE_MAX = 256 * MiB  # the sync archive, read a line at a time: ~2 million lines
ARCHIVE_LINE_MAX = 64 * KiB  # one archive line: a URN and a path (PATH_MAX is 4 KiB)
STDIN_ITEM_MAX = 1 * MiB  # one piped reference or JSON value (a track object is ~2 KiB)
# A line past STDIN_ITEM_MAX is that item's error and skipped, up to this much; a stream
# with no line break this far (`< /dev/zero`) ends the batch: reading on might never end.
STDIN_SKIP_MAX = 64 * MiB
STDIN_WHOLE_MAX = 1 * MiB  # a token or an app's JSON given on stdin (a few hundred bytes)


def size_text(n: int) -> str:
    """A cap as a person reads it: 64 KiB, 16 MiB."""
    if n >= MiB and n % MiB == 0:
        return f"{n // MiB} MiB"
    return f"{n // KiB} KiB" if n >= KiB else f"{n} bytes"


class NotReadable(OSError):
    """Not a regular file, or too big to be one of ours: never read (a device such as
    /dev/zero never ends, a FIFO blocks). An OSError, so callers' own messages name it."""


def is_regular(path: Path) -> bool:
    """`path` is a regular file (through symlinks); False for a device, FIFO or folder."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def open_regular(path: Path, limit: int = MAX_READ) -> BinaryIO:
    """`path` opened for reading if it is a regular file of at most `limit` bytes (by its
    size now: a reader that must stay bounded still reads at most `limit`); else NotReadable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO's open must not wait
    f = os.fdopen(fd, "rb")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotReadable(errno.EINVAL, "not a regular file", str(path))
        if st.st_size > limit:
            raise too_big(limit, str(path))
    except BaseException:
        f.close()
        raise
    return f


def too_big(limit: int, name: str) -> NotReadable:
    return NotReadable(errno.EFBIG, f"larger than {size_text(limit)}", name)


def read_small(path: Path, limit: int = MAX_READ) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; else NotReadable."""
    with open_regular(path, limit) as f:
        data = f.read(limit + 1)  # it may have grown since it was measured
    if len(data) > limit:
        raise too_big(limit, str(path))
    return data


def read_capped(stream: IO[str], limit: int = STDIN_WHOLE_MAX, name: str = "stdin") -> str:
    """All of a text stream of at most `limit` characters (a token, a JSON file piped in);
    else NotReadable, having read no more than `limit` + 1 of it."""
    text = stream.read(limit + 1)
    if len(text) > limit:
        raise too_big(limit, name)
    return text
