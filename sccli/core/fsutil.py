"""Files written safely (atomically, and secret ones 0600 from the first byte), and the
small files a person names read safely (regular files only, of a bounded size)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path


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


MAX_READ = 16 * 1024 * 1024  # far more than any manifest, token, state or app file holds


class NotReadable(OSError):
    """Not a regular file, or too big to be one of ours: never read (a device such as
    /dev/zero never ends, a FIFO blocks). An OSError, so callers' own messages name it."""


def is_regular(path: Path) -> bool:
    """`path` is a regular file (through symlinks); False for a device, FIFO or folder."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def read_small(path: Path, limit: int = MAX_READ) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; else NotReadable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO's open must not wait
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotReadable(errno.EINVAL, "not a regular file", str(path))
        data = f.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(errno.EFBIG, f"larger than {limit // 2**20} MiB", str(path))
    return data
