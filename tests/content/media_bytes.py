"""Smallest real files of each format the vault takes (headers only, enough to sniff)."""

from __future__ import annotations

import struct

PNG = (
    b"\x89PNG\r\n\x1a\n"
    + struct.pack(">I", 13)
    + b"IHDR"
    + struct.pack(">II", 640, 480)
    + b"\x08\x02\x00\x00\x00"
    + b"\x00" * 64
)
GIF = b"GIF89a" + struct.pack("<HH", 32, 16) + b"\x00" * 32
JPEG = (
    b"\xff\xd8\xff\xe0"
    + struct.pack(">H", 16)
    + b"JFIF\x00"
    + b"\x00" * 9
    + b"\xff\xc0"
    + struct.pack(">HBHH", 17, 8, 1080, 1920)
    + b"\x00" * 32
)
WEBP = b"RIFF" + struct.pack("<I", 100) + b"WEBPVP8 " + b"\x00" * 32
MP4 = struct.pack(">I", 24) + b"ftypisom" + b"\x00" * 40
MOV = struct.pack(">I", 20) + b"ftypqt  " + b"\x00" * 40
MP3 = b"ID3\x03\x00" + b"\x00" * 40
PDF = b"%PDF-1.7\n" + b"\x00" * 40
