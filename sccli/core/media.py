"""Recognising audio and artwork by their content, not their file names."""

from __future__ import annotations

ACCEPTED = "AIFF, WAVE, FLAC, OGG, MP2, MP3, AAC, AMR, WMA"
_ASF = bytes.fromhex("3026B2758E66CF11A6D900AA0062CE6C")


def _mpeg_layer(b: bytes) -> int | None:
    """Layer (1-3) of an MPEG audio frame header at the start of `b`, or None."""
    if len(b) < 4 or b[0] != 0xFF or (b[1] & 0xE0) != 0xE0:
        return None
    version = (b[1] >> 3) & 0x3
    layer_bits = (b[1] >> 1) & 0x3
    bitrate = (b[2] >> 4) & 0xF
    rate = (b[2] >> 2) & 0x3
    if version == 1 or layer_bits == 0 or bitrate == 0xF or rate == 3:
        return None
    return 4 - layer_bits


def sniff_audio(head: bytes) -> str | None:
    """The audio format of a file from its first bytes (at least 64), or None."""
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[:4] in (b"RIFF", b"RIFX") and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:5] == b"#!AMR":
        return "amr"
    if head[:16] == _ASF:
        return "wma"
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"M4A ",
        b"M4B ",
        b"mp42",
        b"isom",
        b"mp41",
        b"dash",
    ):
        return "aac"
    if head[:4] == b"ADIF":
        return "aac"
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0:
        return "aac"  # ADTS
    if head[:3] == b"ID3":
        # An ID3v2 tag is followed by MPEG audio: assume MP3, the overwhelming case.
        return "mp3"
    layer = _mpeg_layer(head)
    if layer == 3:
        return "mp3"
    if layer == 2:
        return "mp2"
    return None


def sniff_image(head: bytes) -> str | None:
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    return None
