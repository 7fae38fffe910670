"""Perceptual hashes of photographs, alone or inside documents, to flag the same picture.

A family's photograph of a child turns up again in a registry's profile, a news article
or a Telegram post: resized, recompressed, cropped, brightened, with a caption strip or
the frame of a screenshot around it. Its SHA-256 changes with every one of these; its
perceptual hashes (``imagehash``'s pHash, from the low frequencies of the picture's
cosine transform, and dHash, from which neighbour of each pixel is brighter) barely do.
Two hashes of the same algorithm within :data:`THRESHOLDS` bits of each other are
:func:`similar`; two pictures are flagged as the same when all their hashes are
(:func:`same_picture`); :class:`PhotoIndex` finds, among many hashes, those near a new
one, and the pictures to flag (:meth:`PhotoIndex.flags`).

Before hashing, a picture is turned as its EXIF orientation says, laid on white where it
is transparent, and stripped of a uniform margin (the border a screenshot adds). Images
inside PDF files (``pypdfium2``), Word documents (``word/media/*``) and MHTML page
captures are hashed one by one, numbered in the order the document holds them.

A similarity is a flag for a person to look at, never a link: nothing here decides that
two photographs show the same child. ``benchmarks/photos.py`` measures how many re-used
copies are found and how many different pictures are flagged, beside SHA-256.
"""

from __future__ import annotations

import email
import io
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import imagehash
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from kinlink.errors import FileRefusedError
from kinlink.evidence.heif import heif_readable
from kinlink.i18n import N_, Wording

__all__ = [
    "ALGORITHMS",
    "THRESHOLDS",
    "Flag",
    "Neighbour",
    "PhotoHash",
    "PhotoIndex",
    "Similarity",
    "hash_image",
    "photo_hashes",
    "picture_at",
    "same_picture",
    "similar",
]

_UNREADABLE = Wording("evidence.photos.unreadable", N_(
    "the image cannot be read as {media_type}"))
_TOO_LARGE = Wording("evidence.photos.too_large", N_(
    "the image is too large to hash: {pixels} pixels, at most {limit}"))

ALGORITHMS = ("phash", "dhash")
"""The perceptual hashes taken of every picture, 64 bits each."""
THRESHOLDS = {"phash": 8, "dhash": 8}
"""The largest Hamming distance (of 64 bits) at which two hashes are near, per algorithm.
Two pictures are flagged as the same when every algorithm's hashes are near
(:func:`same_picture`, :meth:`PhotoIndex.flags`): on seed 1 of ``benchmarks/photos.py``
the rule that found the most re-used copies while flagging at most one pair in 100,000
of different pictures (pHash or dHash alone flag far more)."""
MIN_SIDE = 32
"""Pictures narrower or lower than this (icons, rules, bullets) are not hashed."""
MAX_PIXELS = 60_000_000
"""The largest picture hashed (a decompression bomb is larger)."""
MAX_IMAGES = 1000
"""The most pictures hashed in one document."""
MAX_PART_BYTES = 64 * 1024 * 1024
"""The largest picture inside a Word document read (uncompressed)."""
_MARGIN_TOLERANCE = 24
"""Levels (of 255, in any of red, green, blue) a frame's pixels may differ from its
corner's colour."""
_STRIP_DARK, _STRIP_LIGHT = 20, 235
"""A caption strip is darker than the first or lighter than the second (grey level)."""
_STRIP_TOLERANCE = 12
_STRIP_EDGE = 0.98
"""The share of a strip's outer row that is the strip's colour."""
_STRIP_SHARE = 0.5
"""The share of a row that is the strip's colour for the row to be strip (the rest may
be the words of a caption)."""
_STRIP_MOST = 0.2
"""The most of a picture's height a caption strip may take."""

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MHTML = ("multipart/related", "message/rfc822", "application/x-mimearchive")


@dataclass(frozen=True)
class PhotoHash:
    """One perceptual hash of one picture in a document."""

    index: int
    """The picture's place among those hashed in the document, in the order the
    document holds them (0 for the first; a lone image is 0)."""
    algorithm: str
    hex: str
    """The 64-bit hash as 16 hex digits."""
    width: int
    height: int
    page: int | None = None
    """The PDF page the picture is on (1 for the first), when the document has pages."""

    @property
    def value(self) -> int:
        """The hash as an unsigned 64-bit integer."""
        return int(self.hex, 16)


@dataclass(frozen=True)
class Similarity:
    """Two hashes of the same algorithm within its threshold: a flag, not a link."""

    algorithm: str
    distance: int
    """How many of the 64 bits differ."""
    threshold: int


def photo_hashes(data: bytes, media_type: str) -> list[PhotoHash]:
    """Every algorithm's hash of every picture in ``data``: an image itself, or the
    images inside a PDF, a Word document or an MHTML capture. Other kinds of file hold
    no picture kinlink reads (an empty list). A lone image that cannot be read or is too
    large is refused (:class:`~kinlink.errors.FileRefusedError`); a picture inside a
    document that cannot be read, or is smaller than :data:`MIN_SIDE`, is passed over."""
    kind = media_type.split(";")[0].strip().lower()
    if kind.startswith("image/"):
        return hash_image(_open(data, kind), 0)
    reader = _READERS.get(kind)
    if reader is None:
        return []
    hashes: list[PhotoHash] = []
    index = 0
    for image, page in reader(data):
        found = hash_image(image, index, page)
        index += bool(found)
        hashes.extend(found)
        if index >= MAX_IMAGES:
            break
    return hashes


def picture_at(data: bytes, media_type: str, index: int) -> Image.Image | None:
    """The picture numbered ``index`` in ``data``, as :func:`photo_hashes` numbers them
    (:attr:`PhotoHash.index`): the image itself (0), or the ``index``-th picture hashed
    inside a PDF, a Word document or an MHTML capture. None when there is no such
    picture or it cannot be read; the same refusals as :func:`photo_hashes`."""
    kind = media_type.split(";")[0].strip().lower()
    if kind.startswith("image/"):
        return _open(data, kind) if index == 0 else None
    reader = _READERS.get(kind)
    if reader is None or index < 0:
        return None
    number = 0
    for image, _page in reader(data):
        if min(image.size) < MIN_SIDE:
            continue
        if number == index:
            return image
        number += 1
        if number >= MAX_IMAGES:
            break
    return None


def hash_image(image: Image.Image, index: int, page: int | None = None) -> list[PhotoHash]:
    """Both hashes of one picture (none for a picture smaller than :data:`MIN_SIDE`)."""
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        return []
    picture = _trimmed(_upright(image))
    return [PhotoHash(index, name, str(function(picture)), width, height, page)
            for name, function in _HASHES.items()]


def similar(a: PhotoHash, b: PhotoHash, threshold: int | None = None) -> Similarity | None:
    """How close two hashes of the same algorithm are, if within the threshold (by
    default the algorithm's in :data:`THRESHOLDS`); None otherwise or across algorithms."""
    if a.algorithm != b.algorithm:
        return None
    limit = THRESHOLDS[a.algorithm] if threshold is None else threshold
    distance = (a.value ^ b.value).bit_count()
    return Similarity(a.algorithm, distance, limit) if distance <= limit else None


def same_picture(a: Iterable[PhotoHash],
                 b: Iterable[PhotoHash]) -> tuple[Similarity, ...] | None:
    """Whether two pictures (each given by its hashes, one per algorithm) are to be
    flagged as the same: every algorithm's hashes near. None when any is not, or when
    they share no algorithm; a flag for a person, never a link."""
    theirs = {h.algorithm: h for h in b}
    found = [similar(h, theirs[h.algorithm]) for h in a if h.algorithm in theirs]
    if not found or any(f is None for f in found):
        return None
    return tuple(f for f in found if f is not None)


K = TypeVar("K")


@dataclass(frozen=True)
class Neighbour(Generic[K]):
    """A hash in the index near the one looked up, and what it was added with."""

    key: K
    hash: PhotoHash
    similarity: Similarity


@dataclass(frozen=True)
class Flag(Generic[K]):
    """A picture in the index that every algorithm finds near a new one."""

    key: K
    index: int
    """The picture's :attr:`PhotoHash.index` in what ``key`` names."""
    similarities: tuple[Similarity, ...]


class PhotoIndex(Generic[K]):
    """Many hashes, each with a key (a document's id, say), searched for those within
    the threshold of a new one. The hashes of each algorithm are kept as one array of
    64-bit integers, compared all at once (XOR and a population count): 100,000 hashes
    are searched in about a millisecond, with no tree to balance."""

    def __init__(self) -> None:
        self._entries: dict[str, list[tuple[K, PhotoHash]]] = {}
        self._values: dict[str, npt.NDArray[np.uint64]] = {}
        self._sizes: dict[str, int] = {}

    def __len__(self) -> int:
        return sum(self._sizes.values())

    def add(self, key: K, photo: PhotoHash) -> None:
        """Keep ``photo`` under ``key``."""
        name = photo.algorithm
        size = self._sizes.get(name, 0)
        values = self._values.get(name, np.zeros(0, dtype=np.uint64))
        if size == len(values):
            values = np.concatenate([values, np.zeros(max(1024, size), dtype=np.uint64)])
            self._values[name] = values
        values[size] = photo.value
        self._entries.setdefault(name, []).append((key, photo))
        self._sizes[name] = size + 1

    def near(self, photo: PhotoHash, threshold: int | None = None) -> list[Neighbour[K]]:
        """The hashes of the same algorithm within the threshold, nearest first."""
        name = photo.algorithm
        limit = THRESHOLDS[name] if threshold is None else threshold
        size = self._sizes.get(name, 0)
        if not size:
            return []
        distances = np.bitwise_count(self._values[name][:size] ^ np.uint64(photo.value))
        found = np.flatnonzero(distances <= limit)
        order = found[np.argsort(distances[found], kind="stable")]
        entries = self._entries[name]
        return [Neighbour(entries[i][0], entries[i][1],
                          Similarity(name, int(distances[i]), limit)) for i in order]

    def flags(self, picture: Iterable[PhotoHash]) -> list[Flag[K]]:
        """The pictures kept whose hashes are all near those of ``picture`` (its hashes,
        one per algorithm), as :func:`same_picture` says; nearest first."""
        hashes = list(picture)
        found: dict[tuple[K, int], list[Similarity]] = {}
        for number, photo in enumerate(hashes):
            for near in self.near(photo):
                pair = (near.key, near.hash.index)
                if number == 0:
                    found[pair] = [near.similarity]
                elif len(found.get(pair, ())) == number:
                    found[pair].append(near.similarity)
        flags = [Flag(key, index, tuple(similarities))
                 for (key, index), similarities in found.items()
                 if len(similarities) == len(hashes)]
        return sorted(flags, key=lambda flag: sum(s.distance for s in flag.similarities))


def _open(data: bytes, media_type: str) -> Image.Image:
    image = _read(data)
    if image is None:
        raise FileRefusedError(_UNREADABLE(media_type=media_type))
    return image


def _read(data: bytes) -> Image.Image | None:
    """The picture in ``data``, or None when it cannot be read; refused when too large
    (looked at before its pixels are decoded)."""
    heif_readable()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        _check_size(image.size)
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    return image


def _check_size(size: tuple[int, int]) -> None:
    pixels = size[0] * size[1]
    if pixels > MAX_PIXELS:
        raise FileRefusedError(_TOO_LARGE(pixels=pixels, limit=MAX_PIXELS))


def _upright(image: Image.Image) -> Image.Image:
    """Turned as its EXIF says, transparency laid on white, in RGB."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("RGB")


def _trimmed(image: Image.Image) -> Image.Image:
    """Without the margins re-use adds: first a frame all of one colour (a screenshot's),
    then a caption strip of black or white at the bottom. Nothing is cut that
    would leave less than half the picture's height or width."""
    colour = np.asarray(image, dtype=np.int16)
    grey = np.asarray(image.convert("L"), dtype=np.int16)
    height, width = grey.shape
    top, bottom, left, right = _frame(colour)
    inner = grey[top:height - bottom, left:width - right]
    bottom += _strip(inner[::-1])
    if top + bottom >= height // 2 or left + right >= width // 2:
        return image
    return image.crop((left, top, width - right, height - bottom))


def _frame(colour: npt.NDArray[np.int16]) -> tuple[int, int, int, int]:
    """The rows and columns on each side (top, bottom, left, right) that are all the
    colour of the top-left corner, give or take JPEG noise."""
    content = np.abs(colour - colour[0, 0]).max(axis=2) > _MARGIN_TOLERANCE
    rows, columns = np.flatnonzero(content.any(axis=1)), np.flatnonzero(content.any(axis=0))
    if not len(rows):
        return 0, 0, 0, 0
    height, width = content.shape
    return (int(rows[0]), height - 1 - int(rows[-1]), int(columns[0]),
            width - 1 - int(columns[-1]))


def _strip(grey: npt.NDArray[np.int16]) -> int:
    """How many of the first rows of ``grey`` are a black or white caption strip: a first
    row all of that colour, then rows of which at least :data:`_STRIP_SHARE` is (the
    rest may be the caption's words), at most :data:`_STRIP_MOST` of the height."""
    if not len(grey):
        return 0
    edge = int(np.median(grey[0]))
    if _STRIP_DARK < edge < _STRIP_LIGHT or (
            np.abs(grey[0] - edge) > _STRIP_TOLERANCE).mean() > 1 - _STRIP_EDGE:
        return 0
    rows = grey[: int(len(grey) * _STRIP_MOST) + 1]
    share = (np.abs(rows - edge) <= _STRIP_TOLERANCE).mean(axis=1)
    picture = np.flatnonzero(share < _STRIP_SHARE)
    return int(picture[0]) if len(picture) else 0


def _phash(image: Image.Image) -> imagehash.ImageHash:
    return imagehash.phash(image)


def _dhash(image: Image.Image) -> imagehash.ImageHash:
    return imagehash.dhash(image)


_HASHES: dict[str, Callable[[Image.Image], imagehash.ImageHash]] = {
    "phash": _phash, "dhash": _dhash}


def _embedded(data: bytes) -> Image.Image | None:
    """A picture inside a document, or None when it cannot be read or is too large."""
    try:
        return _read(data)
    except FileRefusedError:
        return None


def _pdf_images(data: bytes) -> Iterator[tuple[Image.Image, int | None]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise FileRefusedError(_UNREADABLE(media_type=PDF)) from error
    try:
        for number, page in enumerate(pdf, start=1):
            for item in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
                image = _pdf_image(item)
                if image is not None:
                    yield image, number
    finally:
        pdf.close()


def _pdf_image(item: object) -> Image.Image | None:
    import pypdfium2 as pdfium

    assert isinstance(item, pdfium.PdfImage)
    try:
        width, height = item.get_px_size()
        if width * height > MAX_PIXELS or min(width, height) < MIN_SIDE:
            return None
        image: Image.Image = item.get_bitmap(render=False).to_pil()
    except pdfium.PdfiumError:
        return None
    return image


def _docx_images(data: bytes) -> Iterator[tuple[Image.Image, int | None]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise FileRefusedError(_UNREADABLE(media_type=DOCX)) from error
    with archive:
        for info in sorted(archive.infolist(), key=_media_order):
            if not info.filename.startswith("word/media/") or info.is_dir():
                continue
            if info.file_size > MAX_PART_BYTES:
                continue
            image = _embedded(archive.read(info))
            if image is not None:
                yield image, None


def _media_order(info: zipfile.ZipInfo) -> tuple[int, str]:
    """``image2.png`` before ``image10.png``, as Word numbers them."""
    stem = info.filename.rsplit("/", 1)[-1].split(".")[0]
    digits = "".join(c for c in stem if c.isdigit())
    return (int(digits) if digits else 0, info.filename)


def _mhtml_images(data: bytes) -> Iterator[tuple[Image.Image, int | None]]:
    message = email.message_from_bytes(data)
    for part in message.walk():
        if part.get_content_maintype() != "image":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            image = _embedded(payload)
            if image is not None:
                yield image, None


_READERS: dict[str, Callable[[bytes], Iterator[tuple[Image.Image, int | None]]]] = {
    PDF: _pdf_images, DOCX: _docx_images,
    **dict.fromkeys(MHTML, _mhtml_images),
}
