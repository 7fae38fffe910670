"""The working copy of an image: decoded, turned upright, re-encoded with no metadata.

A photograph or a scan carries EXIF (the camera, often the place: GPS), XMP, ICC and
comments; a person viewing it needs the picture only. The working copy is a new PNG made
from the pixels alone (the first page of a multi-page TIFF); the original stays as it
was. Other types get no working copy yet (text extraction and page images come later).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import PIL
from PIL import Image, ImageOps, UnidentifiedImageError

from kinlink.domain.documents import DocumentType

__all__ = ["MAX_PIXELS", "TOOL", "WorkingCopy", "tool_version", "working_copy"]

TOOL = "Pillow"
MAX_PIXELS = 100_000_000
"""The largest picture decoded for a working copy (a decompression bomb is larger)."""


@dataclass(frozen=True)
class WorkingCopy:
    """The bytes of a working copy and its media type."""

    data: bytes
    media_type: str


def tool_version() -> str:
    """The version of the library that makes working copies."""
    return str(PIL.__version__)


def working_copy(data: bytes, doc_type: DocumentType) -> WorkingCopy | None:
    """The working copy of ``data`` (``None``: not an image, or one that cannot be
    decoded within :data:`MAX_PIXELS` — the original is still kept)."""
    if not doc_type.is_image:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            upright = ImageOps.exif_transpose(image)
            mode = "RGBA" if upright.mode in ("RGBA", "LA", "P") else "RGB"
            clean = Image.frombytes(mode, upright.size, upright.convert(mode).tobytes())
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=False)
    return WorkingCopy(out.getvalue(), "image/png")
