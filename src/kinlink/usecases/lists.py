"""Lists of children for mediation: choose cases, build a list, read it as the channel
receives it, export it encrypted, send it (its verified cases move on with it), and the
photographs dossiers may carry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kinlink import mediation
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.mediation import ExportFormat
from kinlink.domain.permissions import Action, require
from kinlink.mediation import (
    Added,
    AttachedPhoto,
    Candidate,
    ExportResult,
    ListView,
    SendResult,
)
from kinlink.storage import Store
from kinlink.usecases.mediated_cases import case_reader, make_move

__all__ = ["add_to_list", "attach_photo", "export_list", "list_candidates", "new_list",
           "read_list", "record_download", "remove_from_list", "send_list"]


def list_candidates(store: Store, actor: Actor,
                    statuses: Sequence[CaseStatus] = (CaseStatus.IDENTITY_VERIFIED,), *,
                    born_from: int | None = None, born_to: int | None = None,
                    place: str | None = None, limit: int = 1000) -> list[Candidate]:
    """Cases that may go on a list (verified ones unless ``statuses`` says otherwise), by
    birth year and by a place containing ``place``, with the lists they are on (audited:
    it shows children's names)."""
    require(actor, Action.MEDIATION_LISTS)
    with store.transaction() as session:
        found = mediation.candidates(session, case_reader(session), statuses,
                                     born_from=born_from, born_to=born_to, place=place,
                                     limit=limit)
        append_event(session, AuditEvent(actor.name, AuditAction.CASES_LISTED_FOR_MEDIATION,
                                         "case", "*", {
                                             "statuses": [s.value for s in statuses],
                                             "shown": len(found)}))
    return found


def new_list(store: Store, actor: Actor, channel_id: int,
             note: str | None = None) -> ListView:
    """Start a draft list for a channel; the (empty) list as the channel will receive it."""
    require(actor, Action.MEDIATION_LISTS)
    with store.transaction() as session:
        made = mediation.new_list(session, actor, channel_id, note)
        return mediation.list_view(session, made.id, case_reader(session))


def add_to_list(store: Store, actor: Actor, list_id: int,
                case_ids: Iterable[int]) -> list[Added]:
    """Put cases on a draft list, each under a new reference; a case that is missing,
    closed or on the list already refuses them all."""
    require(actor, Action.MEDIATION_LISTS)
    with store.transaction() as session:
        return mediation.add_children(session, actor, list_id, case_ids,
                                      case_reader(session))


def remove_from_list(store: Store, actor: Actor, list_id: int, case_id: int) -> None:
    """Take a case off a draft list."""
    require(actor, Action.MEDIATION_LISTS)
    with store.transaction() as session:
        mediation.remove_child(session, actor, list_id, case_id)


def attach_photo(store: Store, actor: Actor, case_id: int, content: bytes) -> AttachedPhoto:
    """Attach the child's photograph (PNG or JPEG, up to 5 MB) to a case, for the
    dossiers of channels that may receive one."""
    require(actor, Action.MEDIATION_PHOTOS)
    with store.transaction() as session:
        return mediation.attach_photo(session, actor, case_id, content, case_reader(session))


def read_list(store: Store, actor: Actor, list_id: int) -> ListView:
    """A list as its channel receives it: each child's reference and only the channel's
    fields (audited)."""
    require(actor, Action.MEDIATION_VIEW)
    with store.transaction() as session:
        view = mediation.list_view(session, list_id, case_reader(session))
        append_event(session, AuditEvent(actor.name, AuditAction.LIST_READ, "mediation_list",
                                         str(list_id)))
    return view


def export_list(store: Store, actor: Actor, list_id: int,
                formats: Sequence[ExportFormat]) -> ExportResult:
    """Write a list into one AES-encrypted ZIP, with only its channel's fields; the
    passphrase is in the result only, the file's hash is kept and audited."""
    require(actor, Action.MEDIATION_LISTS)
    with store.transaction() as session:
        return mediation.export_list(session, actor, list_id, formats, case_reader(session))


def send_list(store: Store, actor: Actor, list_id: int, expected_version: int) -> SendResult:
    """Mark an exported list sent and move each verified case on it to
    ``return_requested``, with the list as evidence — in one transaction: if one case
    cannot move, the list is not sent and no case moves."""
    require(actor, Action.MEDIATION_LISTS)
    with store.transaction() as session:
        sent = mediation.send_list(session, actor, list_id, expected_version,
                                   case_reader(session))
        for move in sent.moves:
            make_move(session, actor, move)
    return sent


def record_download(store: Store, actor: Actor, list_id: int, sha256: str) -> None:
    """The encrypted file of an export was handed to the person who made it (audited
    with its hash; the file itself is the door's to give, once)."""
    require(actor, Action.MEDIATION_LISTS)
    with store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.LIST_EXPORT_DOWNLOADED,
                                         "mediation_list", str(list_id), {"sha256": sha256}))
