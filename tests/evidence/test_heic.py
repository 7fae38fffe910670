"""HEIC/HEIF photographs (issue 17.1): a real HEIC file (``data/rgb_128x128.heic``, from
pi-heif's own test images) is told by its bytes, gets a working copy (PNG of its pixels,
no metadata) and perceptual hashes near those of that copy; an AVIF, which shares HEIF's
container, is not taken for HEIC."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from kinlink.domain.documents import DocumentType
from kinlink.evidence import detect_type, working_copy
from kinlink.evidence.heif import heif_readable, is_heif
from kinlink.evidence.photos import photo_hashes, picture_at, same_picture

SAMPLE = Path(__file__).parent / "data" / "rgb_128x128.heic"

needs_pi_heif = pytest.mark.skipif(
    not heif_readable(),
    reason="pi-heif is not installed (pyproject pins pi-heif==1.4.0): HEIC cannot be read")


def test_heif_brands_are_told_from_avif_and_mp4() -> None:
    data = SAMPLE.read_bytes()
    assert is_heif(data)
    avif = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"
    general_avif = b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf"
    mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    assert not any(is_heif(d) for d in (avif, general_avif, mp4))
    assert is_heif(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic")


@needs_pi_heif
def test_a_real_heic_is_kept_as_an_image_with_a_working_copy_and_hashes() -> None:
    data = SAMPLE.read_bytes()
    assert detect_type(data) is DocumentType.HEIC
    assert DocumentType.HEIC.is_image
    copy = working_copy(data, DocumentType.HEIC)
    assert copy is not None
    assert copy.media_type == "image/png"
    png = Image.open(io.BytesIO(copy.data))
    assert png.format == "PNG"
    assert png.size == (128, 128)
    assert not {"exif", "xmp", "icc_profile"} & set(png.info)
    hashes = photo_hashes(data, DocumentType.HEIC.media_type)
    assert sorted(h.algorithm for h in hashes) == ["dhash", "phash"]
    assert same_picture(hashes, photo_hashes(copy.data, "image/png")) is not None
    picture = picture_at(data, "image/heic", 0)
    assert picture is not None
    assert picture.size == (128, 128)


def test_without_pi_heif_a_heic_is_refused_saying_why(monkeypatch: pytest.MonkeyPatch) -> None:
    from kinlink.errors import InputRefusedError
    from kinlink.evidence import filetypes

    monkeypatch.setattr(filetypes, "heif_readable", lambda: False)
    with pytest.raises(InputRefusedError, match="pi-heif"):
        detect_type(SAMPLE.read_bytes())
