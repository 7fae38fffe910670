"""Lists of children for a channel: start one, put cases on it, take them off, and the
photographs a case's dossier may carry.

A list is a draft until it is sent; then it cannot change any more. Each child put on a
list gets a new random reference, by which the other side's answers are matched back.
Cases are read through the :data:`~kinlink.domain.mediation_cases.CaseReader` the use
case gives (mediation does not read cases itself). Every change is audited in the
caller's session, with ids and counts only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.mediation import MediationList, list_number, new_reference
from kinlink.domain.mediation_cases import CaseReader
from kinlink.errors import ConflictError, InputRefusedError, NotFoundError
from kinlink.i18n import N_, Wording
from kinlink.mediation.channels import get_channel
from kinlink.storage import Session
from kinlink.storage.mediation import MediationRepository

_THERE_NO_LIST = Wording("mediation.lists.there_no_list", N_("there is no list {list_id}"))
_LIST_WAS_SENT_CANNOT = Wording("mediation.lists.list_was_sent_cannot", N_(
    "list {number} was sent{sent}; it cannot change any more — start a new list"))
_CHANNEL_CLOSED = Wording("mediation.lists.channel_closed", N_("channel {name} is closed"))
_CASE_NOT_ON_LIST = Wording("mediation.lists.case_not_on_list", N_(
    "case {case_id} is not on list {value}"))
_PHOTOGRAPH_MUST_PNG_JPEG = Wording("mediation.lists.photograph_must_png_jpeg", N_(
    "the photograph must be a PNG or JPEG image"))
_PHOTOGRAPH_LARGER_THAN_5 = Wording("mediation.lists.photograph_larger_than_5", N_(
    "the photograph is larger than 5 MB: make it smaller"))
_CASE_CLOSED_CASES_DO = Wording("mediation.lists.case_closed_cases_do", N_(
    "case {case_id} is {status}: closed cases do not go on lists"))
_CASE_ALREADY_ON_LIST = Wording("mediation.lists.case_already_on_list", N_(
    "case {case_id} is already on list {number}"))

__all__ = ["Added", "AttachedPhoto", "add_children", "attach_photo", "draft", "get_list",
           "new_list", "remove_child"]

_PHOTO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_PHOTO = 5_000_000
"""The largest photograph accepted, in bytes."""


@dataclass(frozen=True)
class Added:
    """A case put on a list, with its new reference."""

    case_id: int
    reference: str


@dataclass(frozen=True)
class AttachedPhoto:
    """A photograph attached to a case for its dossier, known by its SHA-256."""

    case_id: int
    sha256: str


def _audit(session: Session, actor: Actor, action: AuditAction, kind: str, entity: int,
           details: dict[str, object] | None = None) -> None:
    append_event(session, AuditEvent(actor.name, action, kind, str(entity), details or {}))


def get_list(session: Session, list_id: int) -> MediationList:
    """The list ``list_id`` (:class:`NotFoundError` when there is none)."""
    found = MediationRepository(session).get_list(list_id)
    if found is None:
        raise NotFoundError(_THERE_NO_LIST(list_id=str(list_id)))
    return found


def draft(session: Session, list_id: int) -> MediationList:
    """The list, if it is still a draft (:class:`ConflictError` once it was sent)."""
    found = get_list(session, list_id)
    if not found.is_draft:
        sent = f" on {found.sent_at:%Y-%m-%d}" if found.sent_at else ""
        raise ConflictError(_LIST_WAS_SENT_CANNOT(number=str(found.number), sent=str(sent)))
    return found


def new_list(session: Session, actor: Actor, channel_id: int,
             note: str | None = None) -> MediationList:
    """A new draft list for an open channel, carrying the channel's fields as they are."""
    channel = get_channel(session, channel_id)
    if not channel.active:
        raise ConflictError(_CHANNEL_CLOSED(name=f'{channel.name!r}'))
    made = MediationRepository(session).add_list(channel=channel, note=note, actor=actor.name)
    _audit(session, actor, AuditAction.LIST_CREATED, "mediation_list", made.id,
           {"channel": channel.id})
    return made


def add_children(session: Session, actor: Actor, list_id: int, case_ids: Iterable[int],
                 read_case: CaseReader) -> list[Added]:
    """Put cases on a draft list, each under a new reference. A case that does not
    exist, is closed or is on the list already is refused, naming the case (and the
    caller's transaction, with whatever was added before it, is not to be committed)."""
    repo = MediationRepository(session)
    listed = draft(session, list_id)
    added: list[Added] = []
    for case_id in dict.fromkeys(case_ids):
        case = read_case(case_id)
        if not case.status.is_open:
            raise ConflictError(_CASE_CLOSED_CASES_DO(
                case_id=str(case_id),
                status=str(case.status)))
        if repo.child_on_list(listed.id, case_id) is not None:
            raise ConflictError(
                _CASE_ALREADY_ON_LIST(case_id=str(case_id), number=str(listed.number))
            )
        reference = new_reference()
        while repo.reference_taken(reference):
            reference = new_reference()
        repo.add_child(listed.id, case_id, reference, actor.name)
        added.append(Added(case_id, reference))
    repo.changed(listed.id)
    _audit(
        session,
        actor,
        AuditAction.LIST_CHILDREN_ADDED,
        "mediation_list",
        listed.id,
        {"cases": [a.case_id for a in added]},
    )
    return added


def remove_child(session: Session, actor: Actor, list_id: int, case_id: int) -> None:
    """Take a case off a draft list."""
    repo = MediationRepository(session)
    listed = draft(session, list_id)
    child = repo.child_on_list(listed.id, case_id)
    if child is None:
        raise NotFoundError(
            _CASE_NOT_ON_LIST(case_id=str(case_id), value=str(list_number(listed.id)))
        )
    repo.remove_child(child.id)
    repo.changed(listed.id)
    _audit(
        session,
        actor,
        AuditAction.LIST_CHILD_REMOVED,
        "mediation_list",
        listed.id,
        {"case": case_id},
    )


def attach_photo(
    session: Session, actor: Actor, case_id: int, content: bytes, read_case: CaseReader
) -> AttachedPhoto:
    """Attach a photograph (PNG or JPEG, up to 5 MB) to a case for its dossier; it
    replaces an earlier one."""
    media_type = next((t for magic, t in _PHOTO_TYPES.items() if content.startswith(magic)), None)
    if media_type is None:
        raise InputRefusedError(_PHOTOGRAPH_MUST_PNG_JPEG())
    if len(content) > MAX_PHOTO:
        raise InputRefusedError(_PHOTOGRAPH_LARGER_THAN_5())
    read_case(case_id)  # refuses a case that does not exist
    digest = hashlib.sha256(content).hexdigest()
    MediationRepository(session).set_photo(
        case_id=case_id, media_type=media_type, content=content, sha256=digest, actor=actor.name
    )
    _audit(session, actor, AuditAction.CASE_PHOTO_ATTACHED, "case", case_id, {"sha256": digest})
    return AttachedPhoto(case_id, digest)
