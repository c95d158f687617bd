"""Thumbnails of vault images: the pickers show a small WebP instead of the full file.

Decoding the image is also the proof that a file whose first bytes say "image" is one: a file
that Pillow cannot read (truncated, corrupt, or only an image header) is refused."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from huntaze.core.errors import ValidationFailed

THUMBNAIL_LONG_SIDE = 320
THUMBNAIL_MIME_TYPE = "image/webp"
THUMBNAIL_EXTENSION = "webp"
THUMBNAIL_QUALITY = 80
# Modes WebP stores as they are; any other (CMYK, 16-bit, palette…) is converted first.
WEBP_MODES = {"RGB", "RGBA"}


@dataclass(frozen=True, slots=True)
class Thumbnail:
    content: bytes
    width: int
    height: int
    # The full image's size, as Pillow read it (the sniffer does not know a WebP's).
    source_width: int
    source_height: int


def _unreadable() -> ValidationFailed:
    return ValidationFailed.on_field(
        "file", "This file looks like an image but cannot be read as one (damaged or incomplete)."
    )


def thumbnail_make(*, upload: UploadedFile, long_side: int = THUMBNAIL_LONG_SIDE) -> Thumbnail:
    """A WebP of the image in `upload`, at most `long_side` pixels on its long side (smaller
    images keep their size), turned upright by its EXIF orientation. ValidationFailed on the
    "file" field when the bytes are not a readable image. Leaves `upload` at its start."""
    upload.seek(0)
    try:
        # Pillow warns (DecompressionBombWarning) above ~89 megapixels and refuses above twice
        # that: a large photo gets its thumbnail, a decompression bomb is refused below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                source_width, source_height = image.size
                # JPEG: decode at a reduced scale (much less memory for large photos).
                image.draft("RGB", (long_side * 2, long_side * 2))
                image.load()
                small = ImageOps.exif_transpose(image)
                small.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
                if small.mode not in WEBP_MODES:
                    has_alpha = "A" in small.getbands() or "transparency" in small.info
                    small = small.convert("RGBA" if has_alpha else "RGB")
                out = io.BytesIO()
                small.save(out, format="WEBP", quality=THUMBNAIL_QUALITY)
    except Image.DecompressionBombError as error:
        raise ValidationFailed.on_field(
            "file", "This image has too many pixels for the vault."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _unreadable() from error
    finally:
        upload.seek(0)
    return Thumbnail(
        content=out.getvalue(),
        width=small.width,
        height=small.height,
        source_width=source_width,
        source_height=source_height,
    )
