"""Real audio files made by the tests: WAV with Python, FLAC/OGG/MP3 with sox."""

from __future__ import annotations

import math
import os
import shutil
import struct
import subprocess
import wave
from pathlib import Path

import pytest


def make_wav(path: Path, seconds: float = 1.0, rate: int = 22050, freq: float = 440.0) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * i / rate)))
            for i in range(int(seconds * rate))
        )
        w.writeframes(frames)
    return path


def make_with_sox(path: Path, seconds: float = 1.0) -> Path:
    sox = shutil.which("sox")
    if not sox:
        if os.environ.get("SC_REQUIRE_SYSTEM_TESTS"):
            pytest.fail("sox is required here (.ci/run installs it)")
        pytest.skip("sox is not installed")
    src = make_wav(path.with_suffix(".src.wav"), seconds)
    p = subprocess.run([sox, str(src), str(path)], capture_output=True, text=True)
    if p.returncode != 0:
        if os.environ.get("SC_REQUIRE_SYSTEM_TESTS"):
            pytest.fail(f"sox could not write {path.suffix}: {p.stderr}")
        pytest.skip(f"sox cannot write {path.suffix}: {p.stderr.strip()}")
    return path


def make_audio(path: Path, seconds: float = 1.0) -> Path:
    return make_wav(path, seconds) if path.suffix == ".wav" else make_with_sox(path, seconds)


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
