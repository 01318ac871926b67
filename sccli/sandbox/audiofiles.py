"""Small real audio files, made by code: MP3, FLAC, WAV and M4A whose headers and frames are
what players and mutagen expect, of about the size asked for.

The sound is a quiet square wave (MP3 and M4A carry silent frames: encoding is not the
point); what matters to sync is that each container parses and can be tagged.
"""

from __future__ import annotations

import struct

RATE = 44100


def make(fmt: str, size: int = 64 * 1024, seed: int = 0) -> bytes:
    """A file of format `fmt` (mp3, flac, wav, m4a; aac: raw ADTS, which has no tags) of roughly `size` bytes; `seed` varies
    the content, so two files of one format differ."""
    return {"mp3": mp3, "flac": flac, "wav": wav, "m4a": m4a, "aac": aac}[fmt](size, seed)


def _samples(n: int, seed: int) -> bytes:
    """n 16-bit mono samples of a square wave whose period depends on the seed."""
    period = 40 + seed % 60
    hi, lo = struct.pack("<h", 3000), struct.pack("<h", -3000)
    return b"".join(hi if (i // (period // 2)) % 2 else lo for i in range(n))


def wav(size: int, seed: int = 0) -> bytes:
    n = max(size - 44, 2) // 2
    data = _samples(n, seed)
    fmt = struct.pack("<HHIIHH", 1, 1, RATE, RATE * 2, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data))
    return b"RIFF" + struct.pack("<I", len(body) + len(data)) + body + data


def mp3(size: int, seed: int = 0) -> bytes:
    """MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono: 417-byte frames of silence (all side
    information zero). The seed goes into the ancillary bytes at the end of each frame."""
    header = b"\xff\xfb\x90\xc4"  # sync, MPEG-1 L3 no CRC, 128k, 44.1k, mono, original
    frame = header + bytes(413 - 4) + struct.pack(">I", seed)
    return frame * max(size // len(frame), 4)


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def _utf8_number(n: int) -> bytes:
    """FLAC's frame number: UTF-8's encoding of an integer (up to 31 bits here)."""
    return chr(n).encode("utf-8", "surrogatepass") if n < 0x110000 else struct.pack(">I", n)


BLOCK = 4096


def flac(size: int, seed: int = 0) -> bytes:
    """fLaC, a STREAMINFO block, and frames of 4096 16-bit mono samples stored verbatim."""
    frames = max(size // (BLOCK * 2 + 12), 1)
    pcm = _samples(BLOCK, seed)
    verbatim = (
        b"\x02"
        + b"".join(  # subframe: VERBATIM, no wasted bits; big-endian samples
            pcm[i + 1 : i + 2] + pcm[i : i + 1] for i in range(0, len(pcm), 2)
        )
    )
    out = [b"fLaC", _streaminfo(frames * BLOCK)]
    for n in range(frames):
        head = b"\xff\xf8" + bytes([0xC9, 0x08]) + _utf8_number(n)  # 4096, 44.1k, mono, 16 bit
        head += bytes([_crc8(head)])
        frame = head + verbatim
        out.append(frame + struct.pack(">H", _crc16(frame)))
    return b"".join(out)


def _streaminfo(total_samples: int) -> bytes:
    bits = (RATE << 44) | (0 << 41) | (15 << 36) | total_samples  # rate, mono, 16 bit
    info = struct.pack(">HH", BLOCK, BLOCK) + bytes(6) + bits.to_bytes(8, "big") + bytes(16)
    return bytes([0x80]) + len(info).to_bytes(3, "big") + info  # last metadata block


def _box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full(kind: bytes, *parts: bytes, version: int = 0, flags: int = 0) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *parts)


AAC_SILENCE = b"\x21\x00\x49\x90\x02\x19\x00\x23\x80"  # one silent AAC-LC mono frame
AAC_FRAME_SAMPLES = 1024


def m4a(size: int, seed: int = 0) -> bytes:
    """ftyp, moov (one sound track: mp4a with an esds, sample tables) and mdat."""
    n = max(size // len(AAC_SILENCE), 8)
    mdat = _box(b"mdat", AAC_SILENCE * (n - 1) + AAC_SILENCE[:-1] + bytes([seed % 256]))
    ftyp = _box(b"ftyp", b"M4A ", struct.pack(">I", 0), b"M4A mp42isom")
    duration = n * AAC_FRAME_SAMPLES
    moov_wo = _moov(duration, n, 0)
    offset = len(ftyp) + len(moov_wo) + 8  # the first sample, just past mdat's header
    return ftyp + _moov(duration, n, offset) + mdat


def _moov(duration: int, n: int, chunk_offset: int) -> bytes:
    mvhd = _full(
        b"mvhd",
        struct.pack(">IIII", 0, 0, RATE, duration),
        struct.pack(">IH", 0x00010000, 0x0100) + bytes(10),
        struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000),
        bytes(24) + struct.pack(">I", 2),
    )
    tkhd = _full(
        b"tkhd",
        struct.pack(">IIIII", 0, 0, 1, 0, duration),
        bytes(8) + struct.pack(">HHHH", 0, 0, 0x0100, 0),
        struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000),
        struct.pack(">II", 0, 0),
        flags=7,
    )
    mdhd = _full(b"mdhd", struct.pack(">IIIIHH", 0, 0, RATE, duration, 0x55C4, 0))
    hdlr = _full(b"hdlr", struct.pack(">I", 0), b"soun", bytes(12), b"SoundHandler\x00")
    return _box(
        b"moov", mvhd, _box(b"trak", tkhd, _box(b"mdia", mdhd, hdlr, _minf(n, chunk_offset)))
    )


def _minf(n: int, chunk_offset: int) -> bytes:
    esds = _full(
        b"esds",
        b"\x03\x19\x00\x01\x00",  # ES descriptor, ES_ID 1
        b"\x04\x11\x40\x15\x00\x00\x00\x00\x01\xf4\x00\x00\x01\xf4\x00",  # AAC, 128 kbit/s
        b"\x05\x02\x12\x08",  # AudioSpecificConfig: AAC-LC, 44.1 kHz, mono
        b"\x06\x01\x02",
    )
    mp4a = _box(
        b"mp4a",
        bytes(6) + struct.pack(">H", 1) + bytes(8),
        struct.pack(">HHHH", 1, 16, 0, 0) + struct.pack(">I", RATE << 16),
        esds,
    )
    stbl = _box(
        b"stbl",
        _full(b"stsd", struct.pack(">I", 1), mp4a),
        _full(b"stts", struct.pack(">III", 1, n, AAC_FRAME_SAMPLES)),
        _full(b"stsc", struct.pack(">IIII", 1, 1, n, 1)),
        _full(b"stsz", struct.pack(">II", len(AAC_SILENCE), n)),
        _full(b"stco", struct.pack(">II", 1, chunk_offset)),
    )
    dinf = _box(b"dinf", _full(b"dref", struct.pack(">I", 1), _full(b"url ", flags=1)))
    return _box(b"minf", _full(b"smhd", struct.pack(">HH", 0, 0)), dinf, stbl)


def aac(size: int, seed: int = 0) -> bytes:
    """Raw AAC in ADTS frames (no container, so no tags): AAC-LC, 44.1 kHz, mono."""
    payload = AAC_SILENCE
    length = 7 + len(payload)
    header = bytes(
        [
            0xFF,
            0xF1,
            0x50,
            0x40 | (length >> 11),
            (length >> 3) & 0xFF,
            ((length & 7) << 5) | 0x1F,
            0xFC,
        ]
    )
    frames = max(size // length, 4)
    return (header + payload) * (frames - 1) + header + payload[:-1] + bytes([seed % 256])


# A 1x1 JPEG: the artwork the sandbox serves for its library tracks.
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
    "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e3334"
    "32ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708"
    "090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114"
    "328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748"
    "494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999a"
    "a2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8"
    "e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)
