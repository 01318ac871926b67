"""Where an uploaded file part goes while the body arrives: kept on disk up to a size, then
only counted, so a test can send the sandbox a body of gigabytes without filling the disk."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO, Any

from werkzeug.wrappers import Request


class CountingFile:
    """The first `keep` bytes of a part in a temporary file; every byte counted (`total`)."""

    def __init__(self, keep: int):
        self.keep = keep
        self.total = 0
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the part

    @property
    def discarded(self) -> bool:
        return self.total > self.keep

    def write(self, data: bytes) -> int:
        room = self.keep - self.total
        if room > 0:
            self.file.write(data[:room])
        self.total += len(data)
        return len(data)

    def __getattr__(self, name: str) -> Any:  # read, seek, tell, close: the kept part's
        return getattr(self.file, name)


class UploadRequest(Request):
    """A request whose file parts go to a CountingFile that keeps `keep_bytes()` of each
    (asked only when a file part arrives, not on every request)."""

    keep_bytes: Callable[[], int] = staticmethod(lambda: 256 * 2**20)

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        return CountingFile(self.keep_bytes())  # type: ignore[return-value]
