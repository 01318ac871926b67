"""A lock file in the state directory: servers share it, `sc sandbox reset` needs it alone."""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; reset trusts the user
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "server.lock"


class DirLock:
    """Held shared by every server using the directory, exclusively by whoever wipes it."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self.fd: int | None = None

    def acquire(self, exclusive: bool = False) -> bool:
        """True when taken; False (without waiting) when another process holds it the other way."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is None:
            return True
        try:
            fcntl.flock(self.fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except OSError:
            self.release()
            return False
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the lock
            self.fd = None
