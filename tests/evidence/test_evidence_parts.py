"""The evidence package's parts on their own: types told by bytes, the content store,
the collection record, the working copy without metadata."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from kinlink.domain.documents import CollectionMethod, DocumentType
from kinlink.errors import EvidenceAlteredError, FieldsRefusedError, InputRefusedError
from kinlink.evidence import ContentStore, check_collection, detect_type, working_copy

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF names the camera and a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "CameraMakerX"
    exif[0x8825] = {1: "N", 2: (50.0, 27.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (32, 16), "navy").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(("data", "kind"), [
    (b"%PDF-1.7\n%\xe2\xe3\n", DocumentType.PDF),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 16, DocumentType.PNG),
    (b"II*\x00" + b"\0" * 16, DocumentType.TIFF),
    (b"WARC/1.1\r\nWARC-Type: response\r\n", DocumentType.WARC),
    (b"<!DOCTYPE html><html><body>x</body></html>", DocumentType.HTML),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n",
     DocumentType.MHTML),
    ("Наказ № 17 про переміщення дітей".encode(), DocumentType.TEXT),
])
def test_types_are_told_by_their_bytes(data: bytes, kind: DocumentType) -> None:
    assert detect_type(data) is kind


def test_docx_and_jpeg_are_recognised() -> None:
    assert detect_type(docx()) is DocumentType.DOCX
    assert detect_type(jpeg_with_gps()) is DocumentType.JPEG


@pytest.mark.parametrize("data", [b"MZ\x90\x00\x03", b"PK\x03\x04not a docx",
                                  b"\x7fELF\x02\x01", "текст\x00".encode()])
def test_other_types_are_refused_clearly(data: bytes) -> None:
    with pytest.raises(InputRefusedError) as refused:
        detect_type(data)
    assert refused.value.code == "unsupported_type"
    assert "PDF, JPEG, PNG" in str(refused.value)


def test_a_blob_is_kept_once_and_checked_on_every_read(tmp_path: Path) -> None:
    content = ContentStore(tmp_path / "evidence")
    digest = content.put(b"original bytes")
    path = content.path_of(digest)
    assert path.parts[-4:] == ("sha256", digest[:2], digest[2:4], digest)
    assert content.put(b"original bytes") == digest
    assert content.get(digest) == b"original bytes"
    assert not any(p.name.startswith(".incoming-") for p in path.parent.iterdir())
    os.chmod(path, 0o600)
    path.write_bytes(b"original bytez")
    with pytest.raises(EvidenceAlteredError):
        content.get(digest)
    assert not content.verify(digest)


def test_the_collection_record_is_validated() -> None:
    kept = check_collection({"collected_at": "2026-11-30T09:15:00+02:00",
                             "collected_by": "analyst", "method": "download",
                             "source_url": "https://example.org/page",
                             "languages": ["ru", "uk", "ru"]}, NOW)
    assert kept.method is CollectionMethod.DOWNLOAD
    assert kept.collected_at.utcoffset() == dt.timedelta(hours=2)
    assert kept.languages == ("ru", "uk")
    with pytest.raises(FieldsRefusedError) as refused:
        check_collection({"collected_at": "2026-11-30T09:15:00", "collected_by": "",
                          "method": "stolen", "source_url": "javascript:alert(1)",
                          "languages": ["Ukrainian"]}, NOW)
    assert set(refused.value.fields) == {"collected_at", "collected_by", "method",
                                         "source_url", "languages"}
    with pytest.raises(FieldsRefusedError) as nowhere:
        check_collection({"collected_at": "2026-11-30T09:15:00Z", "collected_by": "x",
                          "method": "scan"}, NOW)
    assert "where the document came from" in str(nowhere.value.fields)
    with pytest.raises(FieldsRefusedError):
        check_collection({"collected_at": "2027-01-01T00:00:00Z", "collected_by": "x",
                          "method": "scan", "device": "scanner"}, NOW)


def test_the_working_copy_of_a_photograph_carries_no_metadata() -> None:
    original = jpeg_with_gps()
    assert b"CameraMakerX" in original
    copy = working_copy(original, DocumentType.JPEG)
    assert copy is not None
    assert copy.media_type == "image/png"
    assert b"CameraMakerX" not in copy.data
    with Image.open(io.BytesIO(copy.data)) as image:
        assert image.size == (32, 16)
        assert not image.getexif()
        assert not {k for k in image.info if k not in ("dpi",)}
    assert working_copy(b"%PDF-1.7", DocumentType.PDF) is None
