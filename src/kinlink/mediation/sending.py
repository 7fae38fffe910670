"""A list leaves kinlink: exported as an encrypted file, then marked sent.

An export writes only the fields the list's channel may receive, into one AES-encrypted
ZIP whose passphrase is made here and given once (never stored); the file's SHA-256 is
kept and audited. Sending freezes what the list says of each child as it was sent, and
names the cases that move on — each verified case to ``return_requested``, with the list
as evidence — for the use case to move through the case workflow in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.mediation import Channel, ExportFormat, ListField, MediationList
from kinlink.domain.mediation_cases import CaseMove, CaseReader, Step
from kinlink.encryption import encrypt_files, new_passphrase, sha256_hex
from kinlink.errors import ConflictError, InputRefusedError
from kinlink.i18n import N_, Wording
from kinlink.mediation.channels import get_channel
from kinlink.mediation.contents import ListedChild, listed_children, listed_values
from kinlink.mediation.exports import Dossier, ListRow, ListTable, list_csv, list_xlsx
from kinlink.mediation.lists import draft, get_list
from kinlink.mediation.pdf import dossiers_pdf, list_pdf
from kinlink.storage import Session
from kinlink.storage.mediation import MediationRepository, now

SENT_ON_LIST = Wording("mediation.sending.sent_on_list",
                       N_("sent on list {number} through {channel}"))
"""Why a case moved when its list was sent: kept in the case's history as this coded
message (its English text, which :func:`kinlink.i18n.recognised` reads back into the code
and parameters, so rows written before it was coded are said in the reader's language
too)."""
_CASE_IS = Wording("mediation.sending.case_is", N_("the case is {status}"),
                   terms={"status": CaseStatus})

_CHOOSE_AT_LEAST_ONE = Wording("mediation.sending.choose_at_least_one", N_(
    "choose at least one export format: {value}"))
_LIST_NO_CHILDREN_YET = Wording("mediation.sending.list_no_children_yet", N_(
    "list {number} has no children yet"))
_LIST_WAS_CHANGED_BY = Wording("mediation.sending.list_was_changed_by", N_(
    "list {number} was changed by someone else (now version {version}, you had "
    "{expected_version}); reload it"))
_LIST_NO_CHILDREN = Wording("mediation.sending.list_no_children", N_(
    "list {number} has no children"))
_LIST_WAS_NEVER_EXPORTED = Wording("mediation.sending.list_was_never_exported", N_(
    "list {number} was never exported: export it first, so what is sent is on record"))
_LIST_WAS_CHANGED_BY_2 = Wording("mediation.sending.list_was_changed_by_2", N_(
    "list {number} was changed by someone else; reload it"))

__all__ = ["ExportResult", "SendResult", "Stayed", "export_list", "send_list"]


@dataclass(frozen=True)
class ExportResult:
    """An encrypted export: the bytes, the passphrase (shown once, never stored), the hash."""

    file_name: str
    data: bytes
    passphrase: str
    sha256: str
    children: int
    contents: tuple[str, ...]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "channel"


def _files(session: Session, listed: MediationList, channel: Channel,
           children: Sequence[ListedChild], formats: Sequence[ExportFormat],
           actor: Actor) -> dict[str, bytes]:
    """The files of the export, by name (plain ASCII names: they can be read unencrypted)."""
    stamp = now()
    table = ListTable(title=f"{channel.name} — {listed.number}", list_number=listed.number,
                      channel=channel.name, created_at=stamp, created_by=actor.name,
                      columns=listed.columns,
                      rows=tuple(ListRow(c.reference, {k: v for k, v in c.values.items()
                                                       if not k.dossier_only})
                                 for c in children))
    base = f"kinlink-{listed.number}-{_slug(channel.name)}"
    files: dict[str, bytes] = {}
    for fmt in formats:
        if fmt is ExportFormat.XLSX:
            files[f"{base}.xlsx"] = list_xlsx(table)
        elif fmt is ExportFormat.CSV:
            files[f"{base}.csv"] = list_csv(table)
        elif fmt is ExportFormat.PDF:
            files[f"{base}.pdf"] = list_pdf(table)
        else:
            files[f"{base}-dossiers.pdf"] = dossiers_pdf(
                [_dossier(session, listed, channel, c, stamp) for c in children])
    return files


def _dossier(session: Session, listed: MediationList, channel: Channel, child: ListedChild,
             stamp: dt.datetime) -> Dossier:
    photo = (MediationRepository(session).photo(child.case_id)
             if ListField.PHOTO in listed.fields else None)
    return Dossier(reference=child.reference, channel=channel.name,
                   list_number=listed.number, created_at=stamp,
                   fields=tuple((k, v) for k, v in child.values.items() if not k.dossier_only),
                   family_request=child.values.get(ListField.FAMILY_REQUEST), photo=photo)


def export_list(session: Session, actor: Actor, list_id: int,
                formats: Sequence[ExportFormat], read_case: CaseReader) -> ExportResult:
    """Write a list in ``formats`` into one AES-encrypted ZIP, with only the fields its
    channel may receive. The passphrase is made here and returned once; the file's
    SHA-256 is kept and audited."""
    chosen = tuple(dict.fromkeys(formats))
    if not chosen:
        raise InputRefusedError(_CHOOSE_AT_LEAST_ONE(value=str(', '.join(ExportFormat))))
    listed = get_list(session, list_id)
    channel = get_channel(session, listed.channel_id)
    children = listed_children(session, listed, read_case)
    if not children:
        raise ConflictError(_LIST_NO_CHILDREN_YET(number=str(listed.number)))
    files = _files(session, listed, channel, children, chosen, actor)
    passphrase = new_passphrase()
    data = encrypt_files(files, passphrase)
    digest = sha256_hex(data)
    name = f"kinlink-{listed.number}-{_slug(channel.name)}.zip"
    MediationRepository(session).add_export(list_id=listed.id, formats=chosen, file_name=name,
                                            sha256=digest, children=len(children),
                                            actor=actor.name)
    append_event(session, AuditEvent(actor.name, AuditAction.LIST_EXPORTED, "mediation_list",
                                     str(listed.id), {
                                         "sha256": digest, "formats": [f.value for f in chosen],
                                         "children": len(children),
                                         "fields": [f.value for f in listed.fields]}))
    return ExportResult(name, data, passphrase, digest, len(children), tuple(files))


@dataclass(frozen=True)
class Stayed:
    """A case on a sent list that did not move, and why."""

    case_id: int
    reason: str


@dataclass(frozen=True)
class SendResult:
    """A list sent: the moves its verified cases are to make, and the cases that stay."""

    list_number: str
    moves: tuple[CaseMove, ...]
    stayed: tuple[Stayed, ...]

    @property
    def moved(self) -> tuple[int, ...]:
        """The cases that move to ``return_requested``."""
        return tuple(m.case_id for m in self.moves)


def send_list(session: Session, actor: Actor, list_id: int, expected_version: int,
              read_case: CaseReader) -> SendResult:
    """Mark an exported draft list sent, if nobody changed it since ``expected_version``
    was read: what it says of each child is frozen as sent, and each verified case on it
    is named to move to ``return_requested`` with the list as evidence (the others stay,
    said why). The caller makes the moves in the same transaction."""
    repo = MediationRepository(session)
    listed = draft(session, list_id)
    if listed.version != expected_version:
        raise ConflictError(_LIST_WAS_CHANGED_BY(
            number=str(listed.number),
            version=str(listed.version),
            expected_version=str(expected_version)))
    channel = get_channel(session, listed.channel_id)
    children = repo.children(listed.id)
    if not children:
        raise ConflictError(_LIST_NO_CHILDREN(number=str(listed.number)))
    if not repo.count_exports(listed.id):
        raise ConflictError(_LIST_WAS_NEVER_EXPORTED(number=str(listed.number)))
    moves: list[CaseMove] = []
    stayed: list[Stayed] = []
    for child in children:
        case = read_case(child.case_id)
        repo.freeze(child.id, listed_values(listed, case))
        if case.status is not CaseStatus.IDENTITY_VERIFIED:
            stayed.append(Stayed(case.case_id, _CASE_IS(status=case.status.value)))
            continue
        moves.append(
            CaseMove(
                case.case_id,
                case.version,
                (Step(CaseStatus.RETURN_REQUESTED, EvidenceKind.CHANNEL_LIST),),
                SENT_ON_LIST(number=str(listed.number), channel=channel.name),
                f"{listed.number} ({child.reference})",
            )
        )
    if not repo.mark_sent(listed.id, expected_version, actor.name):
        raise ConflictError(_LIST_WAS_CHANGED_BY_2(number=str(listed.number)))
    append_event(
        session,
        AuditEvent(
            actor.name,
            AuditAction.LIST_SENT,
            "mediation_list",
            str(listed.id),
            {"channel": channel.id, "children": len(children), "moved": [m.case_id for m in moves]},
        ),
    )
    return SendResult(listed.number, tuple(moves), tuple(stayed))
