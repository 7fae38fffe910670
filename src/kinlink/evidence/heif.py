"""HEIC/HEIF photographs (what phones take) read through ``pi-heif``: its wheel bundles
libheif and the libde265 HEVC decoder (LGPLv3; no encoder), and it only decodes.

:func:`heif_readable` registers the HEIF opener with Pillow once, so that every
``Image.open`` in kinlink (the working copy, the perceptual hashes, OCR) reads HEIC like
JPEG; without ``pi-heif`` installed it says ``False`` and HEIC files are refused at upload
with a message that says so.
"""

from __future__ import annotations

from functools import cache

__all__ = ["HEIF_BRANDS", "heif_readable", "is_heif"]

HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm",
                         b"hevs"})
"""The ISO-BMFF brands of HEVC-coded HEIF images and sequences."""
_GENERAL = frozenset({b"mif1", b"msf1"})
"""The general HEIF brands: HEIC when an HEVC brand is among the compatible ones (an
AVIF file carries them too, with ``avif``)."""


def is_heif(data: bytes) -> bool:
    """Whether ``data`` starts as an HEVC-coded HEIF file: an ``ftyp`` box whose major
    brand, or (for ``mif1``/``msf1``) a compatible brand, is one of :data:`HEIF_BRANDS`."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[:4], "big")
    major = data[8:12]
    if major in HEIF_BRANDS:
        return True
    box = data[16:min(size, 256)]
    compatible = {box[i:i + 4] for i in range(0, len(box) - 3, 4)}
    return major in _GENERAL and bool(compatible & HEIF_BRANDS)


@cache
def heif_readable() -> bool:
    """Whether Pillow reads HEIC here: ``pi-heif`` is installed and its opener is
    registered (done once)."""
    try:
        import pi_heif
    except ImportError:
        return False
    pi_heif.register_heif_opener()
    return True
