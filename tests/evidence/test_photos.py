"""Perceptual hashes flag the same photograph re-used across documents, never link it."""

from __future__ import annotations

import io
import random
import zipfile
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from kinlink.errors import FileRefusedError
from kinlink.evidence.photos import (
    ALGORITHMS,
    DOCX,
    PDF,
    THRESHOLDS,
    PhotoHash,
    PhotoIndex,
    photo_hashes,
    same_picture,
    similar,
)


def _photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture of shapes on a gradient, different for every seed."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randint(40, 300), rng.randint(40, 300)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + w, y + h), fill=colour)
        else:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
    return image.filter(ImageFilter.GaussianBlur(1))


def _jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _by_algorithm(hashes: list[PhotoHash], index: int = 0) -> dict[str, PhotoHash]:
    return {h.algorithm: h for h in hashes if h.index == index}


def _framed(image: Image.Image) -> Image.Image:
    out = Image.new("RGB", (image.width + 80, image.height + 110), (32, 32, 32))
    out.paste(image, (40, 70))
    return out


def _captioned(image: Image.Image) -> Image.Image:
    out = Image.new("RGB", (image.width, image.height + 60), (255, 255, 255))
    out.paste(image, (0, 0))
    ImageDraw.Draw(out).text((10, image.height + 20), "Photo: the child, 2022 " * 3,
                             fill=(0, 0, 0))
    return out


ORIGINAL = _photo(1)
COPIES = {
    "resized and recompressed": lambda im: _jpeg(im.resize((320, 240)), 50),
    "recompressed at quality 40": lambda im: _jpeg(im, 40),
    "brighter": lambda im: _jpeg(ImageEnhance.Brightness(im).enhance(1.1)),
    "cropped 5%": lambda im: _jpeg(im.crop((16, 12, 624, 468))),
    "inside a screenshot's frame": lambda im: _png(_framed(im)),
    "with a caption strip": lambda im: _jpeg(_captioned(im)),
}


@pytest.mark.parametrize("copy", list(COPIES))
def test_a_reused_copy_is_similar_by_both_hashes(copy: str) -> None:
    original = _by_algorithm(photo_hashes(_jpeg(ORIGINAL), "image/jpeg"))
    reused = _by_algorithm(photo_hashes(COPIES[copy](ORIGINAL), "image/jpeg"))
    assert set(original) == set(ALGORITHMS)
    for algorithm in ALGORITHMS:
        found = similar(original[algorithm], reused[algorithm])
        assert found is not None, (copy, algorithm)
        assert found.distance <= THRESHOLDS[algorithm]
    both = same_picture(original.values(), reused.values())
    assert both is not None
    assert {s.algorithm for s in both} == set(ALGORITHMS)


@pytest.mark.parametrize("seed", [2, 3, 4, 5])
def test_a_different_picture_is_not_similar(seed: int) -> None:
    one = _by_algorithm(photo_hashes(_jpeg(ORIGINAL), "image/jpeg"))
    other = _by_algorithm(photo_hashes(_jpeg(_photo(seed)), "image/jpeg"))
    assert same_picture(one.values(), other.values()) is None


def test_hashes_of_different_algorithms_are_never_compared() -> None:
    hashes = _by_algorithm(photo_hashes(_jpeg(ORIGINAL), "image/jpeg"))
    assert similar(hashes["phash"], hashes["dhash"]) is None
    assert same_picture([hashes["phash"]], [hashes["dhash"]]) is None


def test_a_hash_says_the_pictures_size_and_place() -> None:
    hashes = photo_hashes(_png(ORIGINAL), "image/png")
    assert [(h.index, h.algorithm, h.width, h.height, h.page) for h in hashes] == [
        (0, "phash", 640, 480, None), (0, "dhash", 640, 480, None)]
    assert all(len(h.hex) == 16 and int(h.hex, 16) == h.value for h in hashes)


def _pdf(*images: Image.Image) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 800, "Order no. 17")
    for number, image in enumerate(images):
        page.drawImage(ImageReader(image), 72, 400, width=320, height=240)
        if number == 0:
            page.showPage()
    page.save()
    return out.getvalue()


def test_the_images_inside_a_pdf_are_hashed_with_their_pages() -> None:
    data = _pdf(ORIGINAL, _photo(7))
    hashes = photo_hashes(data, PDF)
    assert [(h.index, h.page) for h in hashes if h.algorithm == "phash"] == [(0, 1), (1, 2)]
    alone = _by_algorithm(photo_hashes(_jpeg(ORIGINAL), "image/jpeg"))
    inside = _by_algorithm(hashes, 0)
    assert similar(alone["phash"], inside["phash"]) is not None
    assert similar(alone["phash"], _by_algorithm(hashes, 1)["phash"]) is None


def _docx(media: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in media.items():
            archive.writestr(f"word/media/{name}", data)
    return out.getvalue()


def test_the_images_inside_a_word_document_are_hashed_in_their_order() -> None:
    data = _docx({"image10.png": _png(_photo(9)), "image2.jpeg": _jpeg(ORIGINAL),
                  "image3.emf": b"not a picture Pillow reads",
                  "image4.png": _png(Image.new("RGB", (16, 16)))})
    hashes = photo_hashes(data, f"{DOCX}; charset=binary")
    assert [h.index for h in hashes if h.algorithm == "dhash"] == [0, 1]
    alone = _by_algorithm(photo_hashes(_jpeg(ORIGINAL), "image/jpeg"))
    assert similar(alone["dhash"], _by_algorithm(hashes, 0)["dhash"]) is not None
    assert similar(alone["dhash"], _by_algorithm(hashes, 1)["dhash"]) is None


def test_the_images_of_an_mhtml_capture_are_hashed() -> None:
    page = MIMEMultipart("related")
    page.attach(MIMEText("<html><img src='cid:1'></html>", "html"))
    page.attach(MIMEImage(_jpeg(ORIGINAL), "jpeg"))
    hashes = photo_hashes(page.as_bytes(), "multipart/related")
    alone = _by_algorithm(photo_hashes(_jpeg(ORIGINAL), "image/jpeg"))
    assert similar(alone["phash"], _by_algorithm(hashes)["phash"]) is not None


def test_files_without_pictures_give_no_hashes_and_broken_images_are_refused() -> None:
    assert photo_hashes(b"plain words", "text/plain") == []
    assert photo_hashes(_png(Image.new("RGB", (20, 20))), "image/png") == []
    with pytest.raises(FileRefusedError) as refused:
        photo_hashes(b"\xff\xd8 not really a JPEG", "image/jpeg")
    assert refused.value.message is not None
    assert refused.value.message.code == "evidence.photos.unreadable"
    with pytest.raises(FileRefusedError):
        photo_hashes(b"%PDF-1.7 broken", PDF)


def _hash(value: int, algorithm: str = "phash") -> PhotoHash:
    return PhotoHash(0, algorithm, f"{value:016x}", 100, 100)


def test_the_index_finds_the_neighbours_within_the_threshold_nearest_first() -> None:
    rng = random.Random(5)
    index: PhotoIndex[str] = PhotoIndex()
    for number in range(5000):
        index.add(f"doc{number}", _hash(rng.getrandbits(64)))
    probe = rng.getrandbits(64)
    index.add("far", _hash(probe ^ ((1 << 30) - 1)))  # 30 bits away
    index.add("near", _hash(probe ^ 0b111))  # 3 bits away
    index.add("nearer", _hash(probe ^ 0b1))
    index.add("other algorithm", _hash(probe, "dhash"))
    assert len(index) == 5004
    found = index.near(_hash(probe))
    assert [(n.key, n.similarity.distance) for n in found] == [("nearer", 1), ("near", 3)]
    assert found[0].hash.value == probe ^ 1
    assert [n.key for n in index.near(_hash(probe), threshold=1)] == ["nearer"]
    assert [n.key for n in index.near(_hash(probe, "dhash"))] == ["other algorithm"]


def test_the_index_agrees_with_similar_on_real_pictures() -> None:
    index: PhotoIndex[int] = PhotoIndex()
    for seed in range(1, 9):
        for h in photo_hashes(_jpeg(_photo(seed)), "image/jpeg"):
            index.add(seed, h)
    for h in photo_hashes(COPIES["resized and recompressed"](ORIGINAL), "image/jpeg"):
        assert [n.key for n in index.near(h)] == [1]


def test_the_index_flags_the_same_photograph_across_documents_and_links_nothing() -> None:
    index: PhotoIndex[str] = PhotoIndex()
    family_file = photo_hashes(_jpeg(ORIGINAL), "image/jpeg")
    for h in family_file:
        index.add("family file", h)
    for h in photo_hashes(_pdf(_photo(11), _photo(12)), PDF):
        index.add("order", h)
    for h in photo_hashes(_docx({"image1.png": _png(_photo(13)),
                                 "image2.jpeg": COPIES["with a caption strip"](ORIGINAL)}),
                          DOCX):
        index.add("registry profile", h)
    article = photo_hashes(COPIES["resized and recompressed"](ORIGINAL), "image/jpeg")
    flags = index.flags(article)
    assert [(f.key, f.index) for f in flags] == [("family file", 0), ("registry profile", 1)]
    assert all({s.algorithm for s in f.similarities} == set(ALGORITHMS) for f in flags)
    assert index.flags(photo_hashes(_jpeg(_photo(14)), "image/jpeg")) == []
    assert index.flags([]) == []
