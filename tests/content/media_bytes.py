"""Small files of each format the vault takes: real images (Pillow decodes them; the vault
makes their thumbnails), and headers only for the other kinds (enough to sniff)."""

from __future__ import annotations

import io
import struct

from PIL import Image


def image_bytes(image_format: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    """A real image of one colour, `size` (width, height) in pixels."""
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 60) if mode == "RGB" else (200, 30, 60, 128)).save(
        out, format=image_format
    )
    return out.getvalue()


PNG = image_bytes("PNG", (640, 480))
GIF = image_bytes("GIF", (32, 16))
JPEG = image_bytes("JPEG", (1920, 1080))
WEBP = image_bytes("WEBP", (100, 50))
# An image that is not one: a PNG's header (what the sniffer reads), then nothing readable.
PNG_HEADER_ONLY = (
    b"\x89PNG\r\n\x1a\n"
    + struct.pack(">I", 13)
    + b"IHDR"
    + struct.pack(">II", 640, 480)
    + b"\x08\x02\x00\x00\x00"
    + b"\x00" * 64
)
# A JPEG cut in half: its header says 1920 × 1080, its picture data stops.
JPEG_TRUNCATED = JPEG[: len(JPEG) // 2]
MP4 = struct.pack(">I", 24) + b"ftypisom" + b"\x00" * 40
MOV = struct.pack(">I", 20) + b"ftypqt  " + b"\x00" * 40
MP3 = b"ID3\x03\x00" + b"\x00" * 40
PDF = b"%PDF-1.7\n" + b"\x00" * 40
