"""Lists of children for mediation: choose cases, build a list, read it as the channel
receives it, export it encrypted, send it (its verified cases move on with it), and the
photographs dossiers may carry.

Need to know (:mod:`kinlink.usecases.scope`): a list belongs to its channel's agency and
only that agency's people see or change it; it holds only cases the agency sees, and
carries only the child's records the agency sees. Anything else asked for by id is
answered like a missing thing, and the refusal audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from kinlink import mediation
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.mediation import ExportFormat
from kinlink.domain.permissions import Action, require
from kinlink.errors import ConflictError
from kinlink.i18n import N_, Wording
from kinlink.mediation import (
    Added,
    AttachedPhoto,
    Candidate,
    ExportResult,
    ListView,
    SendResult,
)
from kinlink.storage import Session, Store
from kinlink.storage.mediation import MediationRepository
from kinlink.storage.registration import RegistrationRepository
from kinlink.usecases.mediated_cases import case_reader, make_move
from kinlink.usecases.photographs import hash_photographs
from kinlink.usecases.scope import (
    Reach,
    case_in_reach,
    channel_in_reach,
    list_in_reach,
    within_reach,
)

_NO_CONSENT = Wording("mediation.no_consent", N_(
    "the consent of the report of case(s) {cases} does not allow sharing with this channel"))

__all__ = ["add_to_list", "attach_photo", "export_list", "hand_over_export",
           "list_candidates", "new_list", "read_list", "remove_from_list", "send_list"]


def list_candidates(store: Store, actor: Actor,
                    statuses: Sequence[CaseStatus] = (CaseStatus.IDENTITY_VERIFIED,), *,
                    born_from: int | None = None, born_to: int | None = None,
                    place: str | None = None, limit: int = 1000) -> list[Candidate]:
    """Cases the actor's agency sees that may go on a list (verified ones unless
    ``statuses`` says otherwise), by birth year and by a place containing ``place``, with
    the agency's lists they are on (audited: it shows children's names)."""
    require(actor, Action.MEDIATION_LISTS)
    with within_reach(store, actor) as (session, reach):
        found = mediation.candidates(session, case_reader(session, reach), statuses,
                                     born_from=born_from, born_to=born_to, place=place,
                                     limit=limit, agency_id=reach.agency_id)
        append_event(session, AuditEvent(actor.name, AuditAction.CASES_LISTED_FOR_MEDIATION,
                                         "case", "*", {
                                             "statuses": [s.value for s in statuses],
                                             "shown": len(found)}))
    return found


def new_list(store: Store, actor: Actor, channel_id: int,
             note: str | None = None) -> ListView:
    """Start a draft list for a channel; the (empty) list as the channel will receive it."""
    require(actor, Action.MEDIATION_LISTS)
    with within_reach(store, actor) as (session, reach):
        channel_in_reach(session, reach, channel_id)
        made = mediation.new_list(session, actor, channel_id, note)
        return mediation.list_view(session, made.id, case_reader(session, reach))


def add_to_list(store: Store, actor: Actor, list_id: int,
                case_ids: Iterable[int]) -> list[Added]:
    """Put cases on a draft list, each under a new reference; a case that is missing,
    out of the agency's reach, closed or on the list already refuses them all."""
    require(actor, Action.MEDIATION_LISTS)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        case_ids = list(case_ids)
        _consented(session, reach, list_id, case_ids)
        return mediation.add_children(session, actor, list_id, case_ids,
                                      case_reader(session, reach))


def _consented(session: Session, reach: Reach, list_id: int, case_ids: Iterable[int]) -> None:
    """Refuse cases whose report's consent does not let them go to the list's channel
    (tracing refused, consent withdrawn, or another channel named): the person reporting
    decides who learns of the child."""
    listed = MediationRepository(session).get_list(list_id)
    if listed is None:
        return
    sought = {case_in_reach(session, reach, c).sought_record_pk: c for c in case_ids}
    held = RegistrationRepository(session).not_to_share(list(sought), listed.channel_id)
    if held:
        raise ConflictError(_NO_CONSENT(cases=", ".join(str(sought[pk]) for pk in held)))


def remove_from_list(store: Store, actor: Actor, list_id: int, case_id: int) -> None:
    """Take a case off a draft list."""
    require(actor, Action.MEDIATION_LISTS)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        case_in_reach(session, reach, case_id)
        mediation.remove_child(session, actor, list_id, case_id)


def attach_photo(store: Store, actor: Actor, case_id: int, content: bytes) -> AttachedPhoto:
    """Attach the child's photograph (PNG or JPEG, up to 5 MB) to a case, for the
    dossiers of channels that may receive one."""
    require(actor, Action.MEDIATION_PHOTOS)
    with within_reach(store, actor) as (session, reach):
        case_in_reach(session, reach, case_id)
        attached = mediation.attach_photo(session, actor, case_id, content,
                                          case_reader(session, reach))
        hash_photographs(session, actor.name, content, case_id=case_id)
        return attached


def read_list(store: Store, actor: Actor, list_id: int) -> ListView:
    """A list as its channel receives it: each child's reference and only the channel's
    fields (audited)."""
    require(actor, Action.MEDIATION_VIEW)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        view = mediation.list_view(session, list_id, case_reader(session, reach))
        append_event(session, AuditEvent(actor.name, AuditAction.LIST_READ, "mediation_list",
                                         str(list_id)))
    return view


def export_list(store: Store, actor: Actor, list_id: int,
                formats: Sequence[ExportFormat]) -> ExportResult:
    """Write a list into one AES-encrypted ZIP, with only its channel's fields; the
    passphrase is in the result only, the file's hash is kept and audited."""
    require(actor, Action.MEDIATION_LISTS)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        return mediation.export_list(session, actor, list_id, formats,
                                     case_reader(session, reach))


def send_list(store: Store, actor: Actor, list_id: int, expected_version: int) -> SendResult:
    """Mark an exported list sent and move each verified case on it to
    ``return_requested``, with the list as evidence — in one transaction: if one case
    cannot move, the list is not sent and no case moves."""
    require(actor, Action.MEDIATION_LISTS)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        sent = mediation.send_list(session, actor, list_id, expected_version,
                                   case_reader(session, reach))
        for move in sent.moves:
            make_move(session, actor, move)
    return sent


class KeptExport(Protocol):
    """An encrypted file of an export the door keeps for its one download."""

    @property
    def sha256(self) -> str:
        """The file's SHA-256."""
        ...


K = TypeVar("K", bound=KeptExport)


def hand_over_export(store: Store, actor: Actor, list_id: int,
                     take: Callable[[Session], K]) -> K:
    """Hand the encrypted file of an export of ``list_id`` to the person who made it:
    ``take`` gives it out of the door's keeping (once; it refuses a file that is gone or
    another person's), in this use case's transaction (a file kept in the store is given
    out and its download audited together, or neither), if the list is the actor's
    agency's. Audited with its hash."""
    require(actor, Action.MEDIATION_LISTS)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        kept = take(session)
        append_event(session, AuditEvent(actor.name, AuditAction.LIST_EXPORT_DOWNLOADED,
                                         "mediation_list", str(list_id),
                                         {"sha256": kept.sha256}))
    return kept
