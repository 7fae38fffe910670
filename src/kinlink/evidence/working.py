"""The working copy of an image: decoded, turned upright, re-encoded with no metadata.

A photograph or a scan carries EXIF (the camera, often the place: GPS), XMP, ICC and
comments; a person viewing it needs the picture only. The working copy is a new PNG made
from the pixels alone (the first page of a multi-page TIFF); the original stays as it
was. Other types get no working copy of their own; a picture inside one (a PDF, a Word
document, a page capture) gets one when it is shown (:func:`picture_copy`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import PIL
from PIL import Image, ImageOps, UnidentifiedImageError

from kinlink.domain.documents import DocumentType
from kinlink.evidence.heif import heif_readable

__all__ = ["MAX_PIXELS", "TOOL", "WorkingCopy", "picture_copy", "tool_version",
           "working_copy"]

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
    heif_readable()
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            clean = _pixels(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return _png(clean)


def picture_copy(image: Image.Image) -> WorkingCopy | None:
    """The working copy of a picture already decoded (one taken out of a PDF, a Word
    document or a page capture): upright, its pixels alone as a PNG; ``None`` when it is
    larger than :data:`MAX_PIXELS` or its pixels cannot be read. The same picture always
    gives the same bytes, so the copy's SHA-256 in the audit log names it."""
    if image.width * image.height > MAX_PIXELS:
        return None
    try:
        clean = _pixels(image)
    except (OSError, ValueError):
        return None
    return _png(clean)


def _pixels(image: Image.Image) -> Image.Image:
    """A new image of ``image``'s pixels, turned as its EXIF says: no metadata kept."""
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    return Image.frombytes(mode, upright.size, upright.convert(mode).tobytes())


def _png(clean: Image.Image) -> WorkingCopy:
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=False)
    return WorkingCopy(out.getvalue(), "image/png")
