"""What every evidence document's use case shares: the store with the content store
(:class:`Evidence`), and the checks that a document, or what it is attached to, is in
the actor's reach (see :mod:`kinlink.usecases.documents`)."""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.backups.ledger import ErasureLedger
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.documents import Attachment, AttachmentKind, Document
from kinlink.domain.limits import MIB
from kinlink.errors import OutOfReachError
from kinlink.evidence import ContentStore
from kinlink.storage import Session, Store
from kinlink.storage.documents import DocumentRepository
from kinlink.usecases.scope import Reach, case_in_reach, record_in_reach

__all__ = ["Evidence", "document_in_reach", "target_in_reach"]


@dataclass(frozen=True)
class Evidence:
    """The store, the content store of originals and artefacts, the size limit, and the
    erasure ledger of the data folder (``None``: erasures are not written to one), and the
    time-stamp authority that stamps evidence bundles (``KINLINK_TSA_URL``; none: no
    stamp)."""

    store: Store
    content: ContentStore
    max_bytes: int
    ledger: ErasureLedger | None = None
    tsa_url: str | None = None

    @classmethod
    def of(cls, settings: Settings, store: Store) -> Evidence:
        """The evidence of ``store``: blobs under ``DATA_DIR/evidence``."""
        return cls(store, ContentStore(settings.data_dir / "evidence"),
                   settings.limits.document_mb * MIB,
                   ErasureLedger.in_folder(settings.data_dir), settings.tsa_url)


def target_in_reach(session: Session, reach: Reach, attachment: Attachment) -> None:
    """The object ``attachment`` names exists and is in the actor's reach."""
    target = attachment.target_id
    if attachment.kind is AttachmentKind.CASE and target is not None:
        case_in_reach(session, reach, target)
    elif attachment.kind is AttachmentKind.RECORD and target is not None:
        record_in_reach(session, reach, target)
    elif attachment.kind is AttachmentKind.SOURCE and target is not None and not (
            reach.sees(target) and DocumentRepository(session).source_exists(target)):
        raise OutOfReachError("source", target)


def document_in_reach(session: Session, reach: Reach, actor: Actor,
                      document_id: int) -> Document:
    """The document, if it exists, its restriction admits the actor's role, and what it
    is attached to (the inbox: its agency) is in the actor's reach."""
    found = DocumentRepository(session).get(document_id)
    if found is None or (found.restricted and actor.role.value not in found.restricted_to):
        raise OutOfReachError("document", document_id)
    if found.attachment.kind is AttachmentKind.INBOX:
        if not reach.owns(found.agency_id):
            raise OutOfReachError("document", document_id)
        return found
    try:
        target_in_reach(session, reach, found.attachment)
    except OutOfReachError:
        raise OutOfReachError("document", document_id) from None
    return found
