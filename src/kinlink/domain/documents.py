"""Evidence documents: what a document is, how it was collected, where it is attached.

A document is one file kept as it was found (the *original*, addressed by its SHA-256 and
never changed) with its *collection record* — when, by whom, from where and how it was
collected, in which language(s), what it is — owned by an agency and attached to a case,
a record (a child as one list saw them), a list (a source) or to nothing yet (the
agency's inbox). Anything made from the original (a working copy for viewing, later the
extracted text or OCR) is a :class:`Derived` artefact with the tool and version that made
it. Who read, viewed, downloaded, attached or restricted a document is its custody log,
kept in the audit chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ATTACHABLE", "MEDIA_TYPES", "Attachment", "AttachmentKind", "Collection",
           "CollectionMethod", "CustodyEntry", "Derived", "DerivedKind", "Document",
           "DocumentType"]


class DocumentType(StrEnum):
    """The kinds of file kinlink keeps as evidence, told by their bytes."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    HEIC = "heic"
    HTML = "html"
    MHTML = "mhtml"
    WARC = "warc"
    TEXT = "text"
    DOCX = "docx"

    @property
    def media_type(self) -> str:
        """The Internet media type the original is downloaded as."""
        return MEDIA_TYPES[self]

    @property
    def is_image(self) -> bool:
        """A photograph or a scan (its working copy is re-encoded without metadata)."""
        return self in (DocumentType.JPEG, DocumentType.PNG, DocumentType.TIFF,
                        DocumentType.HEIC)


MEDIA_TYPES: dict[DocumentType, str] = {
    DocumentType.PDF: "application/pdf",
    DocumentType.JPEG: "image/jpeg",
    DocumentType.PNG: "image/png",
    DocumentType.TIFF: "image/tiff",
    DocumentType.HEIC: "image/heic",
    DocumentType.HTML: "text/html",
    DocumentType.MHTML: "multipart/related",
    DocumentType.WARC: "application/warc",
    DocumentType.TEXT: "text/plain",
    DocumentType.DOCX: "application/vnd.openxmlformats-officedocument."
                       "wordprocessingml.document",
}


class CollectionMethod(StrEnum):
    """How a document came into the collector's hands."""

    DOWNLOAD = "download"
    SCAN = "scan"
    PHOTO = "photo"
    HANDED_OVER = "handed_over"
    SCREENSHOT = "screenshot"


class AttachmentKind(StrEnum):
    """What a document is attached to (``inbox``: nothing yet, the agency's inbox)."""

    INBOX = "inbox"
    CASE = "case"
    RECORD = "record"
    SOURCE = "source"


ATTACHABLE = (AttachmentKind.CASE, AttachmentKind.RECORD, AttachmentKind.SOURCE)
"""The kinds of object a document can be attached to."""


@dataclass(frozen=True)
class Attachment:
    """Where a document is: ``kind`` and the object's id (``None`` in the inbox)."""

    kind: AttachmentKind
    target_id: int | None = None

    def __post_init__(self) -> None:
        if (self.kind is AttachmentKind.INBOX) != (self.target_id is None):
            raise ValueError("an attachment names an object unless it is the inbox")


@dataclass(frozen=True)
class Collection:
    """The collection record: when (aware), by whom, from where (a URL, a device, a
    person), how, in which languages, and what the document is."""

    collected_at: dt.datetime
    collected_by: str
    method: CollectionMethod
    source_url: str | None = None
    device: str | None = None
    from_person: str | None = None
    languages: tuple[str, ...] = ()
    description: str = ""


class DerivedKind(StrEnum):
    """What an artefact made from an original is."""

    WORKING_COPY = "working_copy"
    TEXT = "text"
    OCR = "ocr"


@dataclass(frozen=True)
class Derived:
    """An artefact made from a document's original, kept content-addressed too."""

    id: int
    document_id: int
    kind: DerivedKind
    tool: str
    tool_version: str
    sha256: str
    media_type: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Document:
    """A document as kept: its original's hash, size and type, the name it came with,
    its owner agency, where it is attached, the roles it is restricted to (empty: not
    restricted), its collection record, and who uploaded it when."""

    id: int
    agency_id: int
    sha256: str
    size: int
    doc_type: DocumentType
    filename: str
    attachment: Attachment
    restricted_to: tuple[str, ...]
    collection: Collection
    uploaded_by: str
    uploaded_at: dt.datetime

    @property
    def restricted(self) -> bool:
        """Whether only named roles may reach the document."""
        return bool(self.restricted_to)


@dataclass(frozen=True)
class CustodyEntry:
    """One step of a document's chain of custody: an audit event about it."""

    seq: int
    at: str
    actor: str
    action: str
    details: dict[str, object]
