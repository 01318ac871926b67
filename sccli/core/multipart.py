"""A multipart/form-data body streamed from disk in large blocks, its length known up front.

requests_toolbelt's encoder handed http.client 8 KB reads, each going through a stack of
Python calls and fstat()s: a local upload ran at a fifth of curl's speed. Here the parts'
headers are rendered once and every file is read into one reused buffer, so memory stays
flat at any file size and each block costs one read and one send.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator

from urllib3.fields import RequestField
from urllib3.filepost import choose_boundary

from sccli.core.errors import UsageError
from sccli.core.interrupt import check_cancel

# Bytes read and sent at a time. A block that fits the CPU's L1 cache is still there when it
# is sent: 32 KB sent 2 GB to the sandbox in 0.69 s, 64 KB in 0.79 s, 1 MB in 0.95 s (curl
# 0.98 s); 8 KB, in 1.7 s, paid Python's cost per call instead.
BLOCK = 32 * 1024
PROGRESS_EVERY = 1024 * 1024  # bytes between progress calls: a bar needs no more
Progress = Callable[[int, int], None]


class FilePart:
    """A file part: an open file from where it stands to its end (its size as of now),
    named `filename`."""

    def __init__(self, f: io.BufferedIOBase, filename: str, content_type: str):
        self.file = f
        self.filename = filename
        self.content_type = content_type
        self.size = os.fstat(f.fileno()).st_size - f.tell()


class MultipartBody:
    """Iterating it yields the body (bytes or memoryviews of one reused buffer, each sent
    before the next is read); `len()` is its exact length, so it goes with Content-Length,
    not chunked. Read once: a request sent again builds a new one."""

    def __init__(
        self,
        fields: list[tuple[str, str | FilePart]],
        progress: Progress | None = None,
        block: int = BLOCK,
    ):
        self.boundary = choose_boundary()
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        self.progress = progress
        self.block = block
        self._parts: list[tuple[bytes, bytes | FilePart]] = []
        for name, value in fields:
            if isinstance(value, FilePart):
                # A file name that is not UTF-8 (bytes from another locale) goes as its
                # nearest UTF-8: the server only keeps it as a hint; the title is what shows.
                shown = value.filename.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                field = RequestField(name, b"", filename=shown)
                field.make_multipart(content_type=value.content_type)
                body: bytes | FilePart = value
            else:
                field = RequestField(name, value)
                field.make_multipart()
                body = value.encode()
            head = f"--{self.boundary}\r\n{field.render_headers()}".encode()
            self._parts.append((head, body))
        self._tail = f"--{self.boundary}--\r\n".encode()
        self.len = len(self._tail) + sum(len(head) + _size(body) + 2 for head, body in self._parts)

    def __len__(self) -> int:
        return self.len

    def __iter__(self) -> Iterator[bytes | memoryview]:
        sent = 0
        for head, body in self._parts:
            if isinstance(body, FilePart):
                yield head
                sent += len(head)
                told = sent
                for chunk in self._file_blocks(body):
                    yield chunk
                    sent += len(chunk)
                    if self.progress and sent - told >= PROGRESS_EVERY:
                        self.progress(sent, self.len)
                        told = sent
                yield b"\r\n"
                sent += 2
            else:
                yield head + body + b"\r\n"
                sent += len(head) + len(body) + 2
        yield self._tail
        if self.progress:
            self.progress(self.len, self.len)

    def _file_blocks(self, part: FilePart) -> Iterator[memoryview]:
        """Exactly `part.size` bytes of the file. One buffer, filled again only after the
        block before it was sent (http.client sends each block whole before asking for the
        next), so memory stays flat; a file that shrank on the way is an error, not a body
        shorter than its Content-Length that the server would wait on forever."""
        buf = bytearray(min(self.block, max(part.size, 1)))
        view = memoryview(buf)
        left = part.size
        while left:
            check_cancel()
            n = part.file.readinto(view[: min(left, len(buf))])
            if not n:
                raise UsageError(
                    f"{part.filename} got shorter while it was being uploaded: it was not uploaded"
                )
            left -= n
            yield view[:n]


def _size(body: bytes | FilePart) -> int:
    return body.size if isinstance(body, FilePart) else len(body)
