"""What a file really is, from its first bytes (never from its name): the vault accepts only
the image, video and audio formats the platforms take."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from huntaze.content.models import MediaKind

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str
    mime_type: str
    extension: str
    width: int | None = None
    height: int | None = None


def _iso_media(head: bytes) -> Sniffed | None:
    """MP4, MOV and M4A files: an `ftyp` box first, whose brand tells them apart."""
    if head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    if brand in (b"M4A ", b"M4B "):
        return Sniffed(MediaKind.AUDIO, "audio/mp4", "m4a")
    if brand == b"qt  ":
        return Sniffed(MediaKind.VIDEO, "video/quicktime", "mov")
    if brand in (b"heic", b"heix", b"mif1", b"avif"):
        return None
    return Sniffed(MediaKind.VIDEO, "video/mp4", "mp4")


def _png(head: bytes) -> Sniffed | None:
    """A PNG's first chunk must be its header (IHDR), which holds the size. Pillow also reads a
    file with another chunk first, but browsers do not, and the bytes read as its size are then
    anything (4294967295 overflowed the width column)."""
    if not head.startswith(b"\x89PNG\r\n\x1a\n") or head[12:16] != b"IHDR" or len(head) < 24:
        return None
    width, height = struct.unpack(">II", head[16:24])
    return Sniffed(MediaKind.IMAGE, "image/png", "png", width, height)


def _gif(head: bytes) -> Sniffed | None:
    if head[:6] not in (b"GIF87a", b"GIF89a") or len(head) < 10:
        return None
    width, height = struct.unpack("<HH", head[6:10])
    return Sniffed(MediaKind.IMAGE, "image/gif", "gif", width, height)


def _jpeg_size(head: bytes) -> tuple[int | None, int | None]:
    """Walk the JPEG segments to the frame header (SOFn) holding the size."""
    index = 2
    while index + 9 < len(head):
        if head[index] != 0xFF:
            return None, None
        marker = head[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        (length,) = struct.unpack(">H", head[index + 2 : index + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return None, None


def _jpeg(head: bytes) -> Sniffed | None:
    if not head.startswith(b"\xff\xd8\xff"):
        return None
    width, height = _jpeg_size(head)
    return Sniffed(MediaKind.IMAGE, "image/jpeg", "jpg", width, height)


def _riff(head: bytes) -> Sniffed | None:
    if head[:4] != b"RIFF":
        return None
    if head[8:12] == b"WEBP":
        return Sniffed(MediaKind.IMAGE, "image/webp", "webp")
    if head[8:12] == b"WAVE":
        return Sniffed(MediaKind.AUDIO, "audio/wav", "wav")
    return None


def _other(head: bytes) -> Sniffed | None:
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed(MediaKind.VIDEO, "video/webm", "webm")
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return Sniffed(MediaKind.AUDIO, "audio/mpeg", "mp3")
    if head.startswith(b"OggS"):
        return Sniffed(MediaKind.AUDIO, "audio/ogg", "ogg")
    return None


SNIFFERS = (_jpeg, _png, _gif, _riff, _iso_media, _other)


def sniff(head: bytes) -> Sniffed | None:
    """The format of a file from its first bytes, or None when the vault does not take it."""
    for sniffer in SNIFFERS:
        found = sniffer(head)
        if found is not None:
            return found
    return None
