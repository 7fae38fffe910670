"""Hash the pictures of a new document or case photograph, and flag those near one the
agency already holds: :func:`hash_photographs`, called in the upload's transaction (the
flags' own actions are in :mod:`kinlink.usecases.photo_flags`).

A new picture is compared only with the pictures of the same agency (another agency's
are never read), by the rule of :func:`kinlink.evidence.photos.same_picture` (pHash and
dHash both within their thresholds). A flag is for a person: nothing here links records
or cases. """

from __future__ import annotations

import datetime as dt

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.errors import FileRefusedError
from kinlink.evidence.photos import PhotoHash, PhotoIndex, photo_hashes
from kinlink.storage import Session
from kinlink.storage.photographs import PhotoRepository, StoredPhoto

__all__ = ["hash_photographs"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _pictures(data: bytes, media_type: str) -> dict[int, list[PhotoHash]]:
    """The hashes of each picture in ``data``; none when it cannot be read."""
    try:
        hashes = photo_hashes(data, media_type)
    except FileRefusedError:
        return {}
    pictures: dict[int, list[PhotoHash]] = {}
    for h in hashes:
        pictures.setdefault(h.index, []).append(h)
    return pictures


def as_hashes(photo: StoredPhoto) -> list[PhotoHash]:
    return [PhotoHash(photo.picture, "phash", photo.phash, photo.width, photo.height,
                      photo.page),
            PhotoHash(photo.picture, "dhash", photo.dhash, photo.width, photo.height,
                      photo.page)]


def hash_photographs(session: Session, actor: str, data: bytes, *,
                     document_id: int | None = None, case_id: int | None = None) -> int:
    """Hash every picture of the document ``document_id`` (or of the case photograph of
    ``case_id``, replacing the hashes of an earlier one), and raise a waiting flag for
    each picture of the same agency near one of them (audited ``photo.flagged``: the
    two pictures' ids and the distances). The number of flags raised. In the caller's
    transaction; a file whose pictures cannot be read is kept without hashes."""
    repo = PhotoRepository(session)
    case_photo_id: int | None = None
    if document_id is not None:
        target = repo.document_target(document_id)
        assert target is not None
        agency_id, media_type = target
    else:
        assert case_id is not None
        found = repo.case_photo_target(case_id)
        assert found is not None
        case_photo_id, agency_id, media_type = found
        repo.retire_case_photo(case_photo_id)
    pictures = _pictures(data, media_type)
    if not pictures:
        return 0
    index: PhotoIndex[int] = PhotoIndex()
    for held in repo.of_agency(agency_id, set()):
        for h in as_hashes(held):
            index.add(held.id, h)
    raised = 0
    for number, hashes in sorted(pictures.items()):
        by = {h.algorithm: h for h in hashes}
        first = hashes[0]
        new_id = repo.add(agency_id=agency_id, document_id=document_id,
                          case_photo_id=case_photo_id, picture=number, page=first.page,
                          phash=by["phash"].hex, dhash=by["dhash"].hex, width=first.width,
                          height=first.height)
        for flag in index.flags(hashes):
            distances = {s.algorithm: s.distance for s in flag.similarities}
            flag_id = repo.raise_flag(agency_id=agency_id, new_id=new_id, old_id=flag.key,
                                      phash_distance=distances["phash"],
                                      dhash_distance=distances["dhash"], at=_now())
            append_event(session, AuditEvent(actor, AuditAction.PHOTO_FLAGGED, "photo_flag",
                                             str(flag_id), {"new": new_id, "old": flag.key,
                                                            **distances}))
            raised += 1
    return raised


