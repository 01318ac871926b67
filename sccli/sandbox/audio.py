"""Audio facts the sandbox needs: a WAV's duration from its header, and a short silent WAV."""

from __future__ import annotations

import struct
from pathlib import Path

MAX_CHUNKS = 64


def wav_duration_ms(path: Path) -> int | None:
    """Milliseconds of sound in a RIFF/WAVE file, from its fmt and data chunks; None if not one."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        byte_rate = None
        for _ in range(MAX_CHUNKS):
            chunk = f.read(8)
            if len(chunk) < 8:
                return None
            cid, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if cid == b"fmt ":
                fmt = f.read(length)
                if len(fmt) < 12:
                    return None
                byte_rate = struct.unpack("<I", fmt[8:12])[0]
                f.seek(length & 1, 1)
            elif cid == b"data":
                if not byte_rate:
                    return None
                # A streamed WAV may leave the size at 0 or 0xFFFFFFFF: the rest of the file.
                data = min(length, size - f.tell()) if length not in (0, 0xFFFFFFFF) else None
                return int((data if data is not None else size - f.tell()) * 1000 // byte_rate)
            else:
                f.seek(length + (length & 1), 1)
    return None


def silent_wav(seconds: float = 0.25, rate: int = 8000) -> bytes:
    n = int(seconds * rate)
    header = (
        b"RIFF"
        + struct.pack("<I", 36 + n)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate, 1, 8)
        + b"data"
        + struct.pack("<I", n)
    )
    return header + bytes(n)
