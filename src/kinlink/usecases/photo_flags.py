"""Photographs flagged across documents and case photographs, one function per action:
list the flags, confirm "same photograph" or dismiss one, show a flagged picture (a
picture inside a PDF, a Word document or a page capture is taken out of its original as a
working copy without metadata, :func:`view_document_picture`), say where a document's
pictures also appear, and hash (and flag) what was kept before hashing existed
(:func:`kinlink.usecases.photographs.hash_photographs` does it on upload).

A flag is for a person: nothing here links records or cases. A flag is shown only to
its agency's people, and only where they reach both pictures (the documents or cases
they are in, :mod:`kinlink.usecases.scope`); anything else answers as missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.documents import DerivedKind, DocumentType
from kinlink.domain.permissions import Action, require
from kinlink.errors import ConflictError, FileRefusedError, NotFoundError, OutOfReachError
from kinlink.evidence.content import sha256_of
from kinlink.evidence.photos import picture_at
from kinlink.evidence.working import picture_copy, working_copy
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.documents import DocumentRepository
from kinlink.storage.photographs import PhotoRepository, StoredFlag, StoredPhoto
from kinlink.usecases.document_access import Evidence, document_in_reach
from kinlink.usecases.documents import Served, refuse_erased
from kinlink.usecases.photographs import hash_photographs
from kinlink.usecases.scope import Reach, case_in_reach, within_reach

__all__ = ["Appearance", "Backfilled", "FlagView", "decide_photo_flag",
           "hash_existing_photographs", "list_photo_flags", "photo_appearances",
           "view_document_picture", "view_photograph"]

_DECIDED = Wording("usecases.photo_flags.decided", N_(
    "this flag was decided already"))
_NO_IMAGE = Wording("usecases.photo_flags.no_image", N_(
    "this picture has no image to show: open the document"))
_NO_PICTURE = Wording("usecases.photo_flags.no_picture", N_(
    "the document holds no picture {number} that kinlink can show: open the document"))

STATUSES = ("waiting", "confirmed", "dismissed")
VERDICTS = {"confirmed": AuditAction.PHOTO_FLAG_CONFIRMED,
            "dismissed": AuditAction.PHOTO_FLAG_DISMISSED}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class FlagView:
    """A flag as a person sees it: both pictures and where each is."""

    flag: StoredFlag
    images: frozenset[int] = frozenset()
    """The ids of the pictures that have an image to show: a case's photograph, an
    image document's working copy (:func:`view_photograph`)."""
    embedded: frozenset[int] = frozenset()
    """The ids of the pictures inside a document that is not itself an image (a PDF, a
    Word document, a page capture), shown taken out of it
    (:func:`view_document_picture`)."""

    @property
    def pictures(self) -> tuple[StoredPhoto, StoredPhoto]:
        """The new picture, then the one held before."""
        return self.flag.new, self.flag.old


def _photo_in_reach(session: Session, reach: Reach, actor: Actor, photo: StoredPhoto) -> None:
    if photo.document_id is not None:
        document_in_reach(session, reach, actor, photo.document_id)
    elif photo.case_id is not None:
        case_in_reach(session, reach, photo.case_id)
    else:
        raise OutOfReachError("photo", photo.id)


def _sees(session: Session, reach: Reach, actor: Actor, flag: StoredFlag) -> bool:
    if not reach.owns(flag.agency_id):
        return False
    try:
        for photo in (flag.new, flag.old):
            _photo_in_reach(session, reach, actor, photo)
    except OutOfReachError:
        return False
    return True


def _images(session: Session, flag: StoredFlag) -> frozenset[int]:
    documents = DocumentRepository(session)
    return frozenset(p.id for p in (flag.new, flag.old) if p.case_id is not None or (
        p.document_id is not None and any(d.kind is DerivedKind.WORKING_COPY
                                          for d in documents.derived(p.document_id))))


def _embedded(session: Session, flag: StoredFlag) -> frozenset[int]:
    documents = DocumentRepository(session)
    found = set()
    for p in (flag.new, flag.old):
        document = documents.get(p.document_id) if p.document_id is not None else None
        if document is not None and not document.doc_type.is_image:
            found.add(p.id)
    return frozenset(found)


def _view(session: Session, flag: StoredFlag) -> FlagView:
    return FlagView(flag, _images(session, flag), _embedded(session, flag))


def list_photo_flags(ev: Evidence, actor: Actor,
                     statuses: tuple[str, ...] = ("waiting",)) -> list[FlagView]:
    """The flags in ``statuses`` the actor may see (their agency's, both pictures in
    reach), oldest first. Audited ``photo.flags_listed`` with the statuses and count."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        found = PhotoRepository(session).flags(actor.agency_id, statuses)
        shown = [_view(session, f) for f in found if _sees(session, reach, actor, f)]
        append_event(session, AuditEvent(actor.name, AuditAction.PHOTO_FLAGS_LISTED,
                                         "photo_flag", None,
                                         {"statuses": list(statuses), "count": len(shown)}))
    return shown


def decide_photo_flag(ev: Evidence, actor: Actor, flag_id: int, verdict: str) -> FlagView:
    """Confirm a waiting flag ("same photograph", ``confirmed``) or dismiss it
    (``dismissed``). Nothing is linked either way. Audited ``photo.flag_confirmed`` or
    ``photo.flag_dismissed``."""
    require(actor, Action.DOCUMENTS_ADD)
    action = VERDICTS[verdict]
    with within_reach(ev.store, actor) as (session, reach):
        repo = PhotoRepository(session)
        found = repo.flag(flag_id)
        if found is None or not _sees(session, reach, actor, found):
            raise OutOfReachError("photo_flag", flag_id)
        if found.status != "waiting":
            raise ConflictError(_DECIDED())
        repo.decide(flag_id, verdict, actor.name, _now())
        append_event(session, AuditEvent(actor.name, action, "photo_flag", str(flag_id),
                                         {"new": found.new.id, "old": found.old.id}))
        decided = repo.flag(flag_id)
    assert decided is not None
    return FlagView(decided)


@dataclass(frozen=True)
class Appearance:
    """Where a picture of a document also appears: the flag, its status, and the other
    picture (in another document or a case photograph)."""

    flag_id: int
    status: str
    mine: StoredPhoto
    other: StoredPhoto


def photo_appearances(ev: Evidence, actor: Actor, document_id: int) -> list[Appearance]:
    """Where the document's pictures also appear, by waiting and confirmed flags the
    actor may see (dismissed ones are not said)."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        document_in_reach(session, reach, actor, document_id)
        found = PhotoRepository(session).flags(actor.agency_id, ("waiting", "confirmed"),
                                               document_id=document_id)
        shown = [f for f in found if _sees(session, reach, actor, f)]
    return [Appearance(f.id, f.status, *((f.new, f.old) if f.new.document_id == document_id
                                         else (f.old, f.new))) for f in shown]


def view_photograph(ev: Evidence, actor: Actor, photo_id: int) -> Served:
    """A hashed picture's image, without metadata: a document's working copy (audited
    ``document.viewed``, a step of its custody), a picture taken out of a document that
    is not an image (as :func:`view_document_picture`) or a case photograph (audited
    ``photo.viewed``). An erased document's picture answers "erased"."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        photo = PhotoRepository(session).photo(photo_id)
        if photo is None:
            raise OutOfReachError("photo", photo_id)
        _photo_in_reach(session, reach, actor, photo)
        if photo.document_id is not None:
            refuse_erased(session, photo.document_id)
            return _document_image(ev, session, actor, photo)
        assert photo.case_id is not None
        return _case_image(session, actor, photo)


def view_document_picture(ev: Evidence, actor: Actor, document_id: int,
                          picture: int) -> Served:
    """The picture numbered ``picture`` inside a document (as its hashes number them:
    0 for the first), taken out of the original and re-encoded as a PNG of its pixels
    alone — the working copy of a photograph found in a PDF, a Word document or a page
    capture; the original is not changed. Reached as the document is (its attachment,
    its restriction; an erased document answers "erased"). Audited ``document.viewed``
    with the original's SHA-256, the picture's number and the copy's SHA-256."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        document_in_reach(session, reach, actor, document_id)
        refuse_erased(session, document_id)
        return _embedded_image(ev, session, actor, document_id, picture)


def _embedded_image(ev: Evidence, session: Session, actor: Actor, document_id: int,
                    picture: int) -> Served:
    document = DocumentRepository(session).get(document_id)
    assert document is not None
    try:
        image = picture_at(ev.content.get(document.sha256), document.doc_type.media_type,
                           picture)
    except FileRefusedError:
        image = None
    copy = picture_copy(image) if image is not None else None
    if copy is None:
        raise NotFoundError(_NO_PICTURE(number=picture + 1))
    sha = sha256_of(copy.data)
    append_event(session, AuditEvent(actor.name, AuditAction.DOCUMENT_VIEWED, "document",
                                     str(document_id), {"sha256": document.sha256,
                                                        "picture": picture,
                                                        "working_sha256": sha}))
    return Served(copy.data, copy.media_type,
                  f"document-{document_id}-picture-{picture + 1}.png", sha)


def _document_image(ev: Evidence, session: Session, actor: Actor,
                    photo: StoredPhoto) -> Served:
    assert photo.document_id is not None
    document_id = photo.document_id
    repo = DocumentRepository(session)
    document = repo.get(document_id)
    copy = next((d for d in repo.derived(document_id)
                 if d.kind is DerivedKind.WORKING_COPY), None)
    if document is None:
        raise NotFoundError(_NO_IMAGE())
    if copy is None:
        return _embedded_image(ev, session, actor, document_id, photo.picture)
    data = ev.content.get(copy.sha256)
    append_event(session, AuditEvent(actor.name, AuditAction.DOCUMENT_VIEWED, "document",
                                     str(document_id), {"sha256": document.sha256,
                                                        "working_sha256": copy.sha256}))
    return Served(data, copy.media_type, f"document-{document_id}.png", copy.sha256)


def _case_image(session: Session, actor: Actor, photo: StoredPhoto) -> Served:
    assert photo.case_id is not None
    found = PhotoRepository(session).case_photo(photo.case_id)
    kind = DocumentType.PNG if found and found[1] == "image/png" else DocumentType.JPEG
    copy = working_copy(found[0], kind) if found else None
    if copy is None:
        raise NotFoundError(_NO_IMAGE())
    append_event(session, AuditEvent(actor.name, AuditAction.PHOTO_VIEWED, "case",
                                     str(photo.case_id), {"photo": photo.id}))
    return Served(copy.data, copy.media_type, f"case-{photo.case_id}.png", "")


@dataclass(frozen=True)
class Backfilled:
    """What hashing the kept documents and case photographs did."""

    documents: int
    case_photos: int
    flags: int


def hash_existing_photographs(ev: Evidence, actor: Actor,
                              progress: Callable[[int, int], None] | None = None
                              ) -> Backfilled:
    """Hash the documents and case photographs (of the actor's agency; the operator:
    all) kept without hashes, one transaction each, flagging as an upload would;
    ``progress(done, total)`` after each. Audited ``photos.hashed`` with the counts."""
    require(actor, Action.DOCUMENTS_ADD)
    with ev.store.transaction() as session:
        repo = PhotoRepository(session)
        documents = repo.unhashed_documents(actor.agency_id)
        cases = repo.unhashed_case_photos(actor.agency_id)
    total, flags = len(documents) + len(cases), 0
    for done, document_id in enumerate(documents, start=1):
        with ev.store.transaction() as session:
            document = DocumentRepository(session).get(document_id)
            assert document is not None
            data = ev.content.get(document.sha256)
            flags += hash_photographs(session, actor.name, data, document_id=document_id)
        if progress:
            progress(done, total)
    for done, case_id in enumerate(cases, start=len(documents) + 1):
        with ev.store.transaction() as session:
            found = PhotoRepository(session).case_photo(case_id)
            assert found is not None
            flags += hash_photographs(session, actor.name, found[0], case_id=case_id)
        if progress:
            progress(done, total)
    result = Backfilled(len(documents), len(cases), flags)
    with ev.store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.PHOTOS_HASHED, "photo", None,
                                         {"documents": result.documents,
                                          "case_photos": result.case_photos,
                                          "flags": result.flags}))
    return result
