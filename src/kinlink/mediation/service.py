"""Mediation: channels, lists of children, encrypted exports, answers and reconciliation.

The round trip a liaison officer makes: define a channel and what it may receive; build
a list from verified cases; export it (only the channel's fields, encrypted, the hash
audited); send it (the cases move to ``return_requested`` with the list as evidence);
import the other side's answer; look at the reconciliation; apply the answers — through
the case workflow, so nothing moves that the workflow would refuse.

Every function takes the store and the acting person, checks the role, works in one
transaction and audits in that same transaction, with ids and counts only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.cases import CaseFile
from kinlink.cases import advance as advance_in
from kinlink.cases import case_file as case_file_in
from kinlink.domain.access import Actor
from kinlink.domain.cases import CLOSING, CaseStatus, EvidenceKind
from kinlink.domain.mediation import (
    ANSWER_TARGETS,
    AnswerStatus,
    ChannelKind,
    ChannelPolicy,
    ExportFormat,
    ListField,
    new_reference,
)
from kinlink.domain.users import UserRole
from kinlink.errors import (
    AccessDeniedError,
    ConflictError,
    InputRefusedError,
    KinlinkError,
    NotFoundError,
)
from kinlink.linkage import Engine
from kinlink.mediation.answers import AnswerRow, read_answers
from kinlink.mediation.encryption import encrypt_files, new_passphrase
from kinlink.mediation.exports import (
    Dossier,
    ListRow,
    ListTable,
    dossiers_pdf,
    list_csv,
    list_pdf,
    list_xlsx,
)
from kinlink.mediation.reconcile import SentChild, reconcile
from kinlink.names.forms import name_forms
from kinlink.storage import Session, Store
from kinlink.storage.mediation import MediationRepository, now
from kinlink.storage.mediation_tables import (
    AnswerRowRecord,
    ChannelRow,
    ListChildRow,
    MediationListRow,
)
from kinlink.storage.review import CaseRepository

__all__ = [
    "CHANNEL_KINDS",
    "EXPORT_FORMATS",
    "LIAISONS",
    "AnswerOutcome",
    "AnswerSummary",
    "Candidate",
    "ChannelTrack",
    "ExportResult",
    "ListView",
    "add_to_list",
    "apply_answers",
    "attach_photo",
    "candidates",
    "channels",
    "create_channel",
    "export_list",
    "import_answers",
    "list_view",
    "new_list",
    "reconciliation",
    "remove_from_list",
    "resolve_answer",
    "send_list",
    "track",
]

LIAISONS = frozenset({UserRole.MEDIATOR_LIAISON, UserRole.SUPERVISOR})
CHANNEL_KINDS = tuple(kind.value for kind in ChannelKind)
EXPORT_FORMATS = tuple(fmt.value for fmt in ExportFormat)
_PHOTO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_MAX_PHOTO = 5_000_000


def _require(actor: Actor, roles: frozenset[UserRole], what: str) -> None:
    if actor.role not in roles:
        raise AccessDeniedError(f"{actor.role} may not {what}")


def _audit(session: Session, actor: Actor, action: AuditAction, kind: str, entity: int | str,
           details: dict[str, object] | None = None) -> None:
    append_event(session, AuditEvent(actor.name, action, kind, str(entity), details or {}))


def list_number(row: MediationListRow) -> str:
    """The number a list is known by outside kinlink: ``L-0003``."""
    return f"L-{row.id:04d}"


# -- channels ------------------------------------------------------------------------------


def create_channel(store: Store, actor: Actor, name: str, kind: str,
                   fields: Iterable[ListField], description: str | None = None
                   ) -> ChannelRow:
    """A new channel receiving exactly ``fields`` (a supervisor decides what may leave)."""
    _require(actor, frozenset({UserRole.SUPERVISOR}), "define mediation channels")
    name = name.strip()
    if not name:
        raise InputRefusedError("a channel needs a name")
    if kind not in CHANNEL_KINDS:
        raise InputRefusedError(f"unknown kind of channel {kind!r}: use one of "
                                f"{', '.join(CHANNEL_KINDS)}")
    try:
        policy = ChannelPolicy(frozenset(fields))
    except ValueError as error:
        raise InputRefusedError(str(error)) from None
    with store.transaction() as session:
        repo = MediationRepository(session)
        if repo.channel_named(name) is not None:
            raise ConflictError(f"there is already a channel called {name!r}")
        row = repo.add_channel(name=name, kind=kind, description=description,
                               fields=[f.value for f in ListField if policy.allows(f)],
                               actor=actor.name)
        _audit(session, actor, AuditAction.CHANNEL_CREATED, "channel", row.id,
               {"fields": row.fields, "kind": kind})
    return row


def channels(store: Store, actor: Actor) -> list[ChannelRow]:
    """Every channel."""
    _require(actor, LIAISONS, "see mediation channels")
    with store.transaction() as session:
        return list(MediationRepository(session).channels())


def _channel(repo: MediationRepository, channel_id: int) -> ChannelRow:
    row = repo.channel(channel_id)
    if row is None:
        raise NotFoundError(f"there is no channel {channel_id}")
    return row


def _list(repo: MediationRepository, list_id: int) -> MediationListRow:
    row = repo.get_list(list_id)
    if row is None:
        raise NotFoundError(f"there is no list {list_id}")
    return row


def _draft(repo: MediationRepository, list_id: int) -> MediationListRow:
    row = _list(repo, list_id)
    if row.status != "draft":
        when = f" on {row.sent_at:%Y-%m-%d}" if row.sent_at else ""
        raise ConflictError(f"list {list_number(row)} was sent{when}; it cannot change any "
                            "more — start a new list")
    return row


# -- building a list -----------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A case that may go on a list, with what an officer needs to choose it."""

    case_id: int
    status: CaseStatus
    name: str
    birth: str | None
    birth_place: str | None
    on_lists: tuple[str, ...]


def candidates(store: Store, actor: Actor, *, statuses: Sequence[CaseStatus] = (
        CaseStatus.IDENTITY_VERIFIED,), born_from: int | None = None,
        born_to: int | None = None, place: str | None = None, limit: int = 1000
        ) -> list[Candidate]:
    """Cases in ``statuses`` (verified ones by default), filtered by birth year and by a
    place (birthplace or last known place containing ``place``). Audited as a read."""
    _require(actor, LIAISONS, "build lists for mediation")
    wanted = place.casefold().strip() if place else None
    found: list[Candidate] = []
    with store.transaction() as session:
        cases = CaseRepository(session)
        rows = [c for s in statuses for c in cases.listing(s.value, limit)]
        on_lists = _lists_of_cases(session, [c.id for c in rows])
        for case in sorted(rows, key=lambda c: c.id):
            sought = case_file_in(session, case.id).records
            record = next((r for r in sought if r.id == case.sought_record_pk), None)
            if record is None:
                continue
            year = record.birth_year
            if born_from is not None and (year is None or year < born_from):
                continue
            if born_to is not None and (year is None or year > born_to):
                continue
            places = " ".join(r.birth_place or "" for r in sought) + " " + " ".join(
                r.last_known_place or "" for r in sought)
            if wanted and wanted not in places.casefold():
                continue
            birth = record.birth
            found.append(Candidate(case.id, CaseStatus(case.status), record.display_name,
                                   birth.isoformat() if birth else None, record.birth_place,
                                   on_lists.get(case.id, ())))
            if len(found) >= limit:
                break
        _audit(session, actor, AuditAction.CASES_LISTED_FOR_MEDIATION, "case", "*",
               {"statuses": [s.value for s in statuses], "shown": len(found)})
    return found


def _lists_of_cases(session: Session, case_ids: list[int]) -> dict[int, tuple[str, ...]]:
    repo = MediationRepository(session)
    result: dict[int, list[str]] = {}
    wanted = set(case_ids)
    for row in repo.lists():
        for child in repo.children(row.id):
            if child.case_id in wanted:
                result.setdefault(child.case_id, []).append(list_number(row))
    return {k: tuple(v) for k, v in result.items()}


def new_list(store: Store, actor: Actor, channel_id: int, note: str | None = None
             ) -> MediationListRow:
    """A new draft list for a channel."""
    _require(actor, LIAISONS, "build lists for mediation")
    with store.transaction() as session:
        repo = MediationRepository(session)
        channel = _channel(repo, channel_id)
        if not channel.active:
            raise ConflictError(f"channel {channel.name!r} is closed")
        row = repo.add_list(channel=channel, note=note, actor=actor.name)
        _audit(session, actor, AuditAction.LIST_CREATED, "mediation_list", row.id,
               {"channel": channel.id})
    return row


def add_to_list(store: Store, actor: Actor, list_id: int, case_ids: Iterable[int]
                ) -> list[tuple[int, str]]:
    """Put cases on a draft list; each gets a new reference. Returns (case, reference).
    Closed cases and cases already on the list are refused, naming the case."""
    _require(actor, LIAISONS, "build lists for mediation")
    added: list[tuple[int, str]] = []
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = _draft(repo, list_id)
        cases = CaseRepository(session)
        for case_id in dict.fromkeys(case_ids):
            case = cases.get(case_id)
            if case is None:
                raise NotFoundError(f"there is no case {case_id}")
            if not CaseStatus(case.status).is_open:
                raise ConflictError(f"case {case_id} is {case.status}: closed cases do not "
                                    "go on lists")
            if repo.child_on_list(row.id, case_id) is not None:
                raise ConflictError(f"case {case_id} is already on list {list_number(row)}")
            reference = new_reference()
            while repo.reference_taken(reference):
                reference = new_reference()
            repo.add_child(row.id, case_id, reference, actor.name)
            added.append((case_id, reference))
        row.version += 1
        _audit(session, actor, AuditAction.LIST_CHILDREN_ADDED, "mediation_list", row.id,
               {"cases": [c for c, _ in added]})
    return added


def remove_from_list(store: Store, actor: Actor, list_id: int, case_id: int) -> None:
    """Take a case off a draft list."""
    _require(actor, LIAISONS, "build lists for mediation")
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = _draft(repo, list_id)
        child = repo.child_on_list(row.id, case_id)
        if child is None:
            raise NotFoundError(f"case {case_id} is not on list {list_number(row)}")
        repo.remove_child(child)
        row.version += 1
        _audit(session, actor, AuditAction.LIST_CHILD_REMOVED, "mediation_list", row.id,
               {"case": case_id})


def attach_photo(store: Store, actor: Actor, case_id: int, content: bytes) -> str:
    """Attach a photograph (PNG or JPEG, up to 5 MB) to a case for its dossier; returns
    its SHA-256. Case workers, liaison officers and supervisors may."""
    _require(actor, LIAISONS | {UserRole.CASE_WORKER}, "attach photographs to cases")
    media_type = next((t for magic, t in _PHOTO_TYPES.items() if content.startswith(magic)),
                      None)
    if media_type is None:
        raise InputRefusedError("the photograph must be a PNG or JPEG image")
    if len(content) > _MAX_PHOTO:
        raise InputRefusedError("the photograph is larger than 5 MB: make it smaller")
    digest = hashlib.sha256(content).hexdigest()
    with store.transaction() as session:
        if CaseRepository(session).get(case_id) is None:
            raise NotFoundError(f"there is no case {case_id}")
        MediationRepository(session).set_photo(case_id=case_id, media_type=media_type,
                                               content=content, sha256=digest,
                                               actor=actor.name)
        _audit(session, actor, AuditAction.CASE_PHOTO_ATTACHED, "case", case_id, {"sha256": digest})
    return digest


# -- what a list says about each child -----------------------------------------------------


def _child_values(session: Session, case: CaseFile) -> dict[ListField, str]:
    """Every field a list can carry, for one case (minimisation happens later)."""
    records = case.records
    sought = next(r for r in records if r.id == case.case.sought_record_pk)
    forms = name_forms(sought.given_name, sought.surname, sought.patronymic,
                       sought.full_name, sought.sex)
    found = sorted(case.found_records, key=lambda r: r.id)
    latest = found[-1] if found else None
    birth = sought.birth
    removal = sought.event
    values: dict[ListField, str | None] = {
        ListField.NAME_UK: forms.uk,
        ListField.NAME_RU: forms.ru,
        ListField.NAME_LATIN: forms.latin,
        ListField.NAME_LATIN_RU: forms.latin_ru,
        ListField.SEX: sought.sex,  # M or F, as the importer keeps it
        ListField.BIRTH_DATE: birth.isoformat() if birth else None,
        ListField.BIRTH_PLACE: sought.birth_place,
        ListField.LAST_KNOWN_PLACE: (latest.last_known_place if latest and
                                     latest.last_known_place else sought.last_known_place),
        ListField.REMOVAL_DATE: removal.isoformat() if removal else None,
        ListField.FOUND_AS: "; ".join(dict.fromkeys(r.display_name for r in found)) or None,
        ListField.FAMILY_REQUEST: sought.notes,
    }
    return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class ListView:
    """A list with its children as the channel would receive them."""

    list: MediationListRow
    channel: ChannelRow
    rows: tuple[tuple[ListChildRow, dict[ListField, str]], ...]
    exports: int

    @property
    def number(self) -> str:
        """The list's number."""
        return list_number(self.list)

    @property
    def fields(self) -> tuple[ListField, ...]:
        """The table columns this list carries."""
        return ChannelPolicy(frozenset(ListField(f) for f in self.list.fields)).table_fields()


def _minimised(list_row: MediationListRow, values: dict[ListField, str]
               ) -> dict[ListField, str]:
    allowed = {ListField(f) for f in list_row.fields}
    return {k: v for k, v in values.items() if k in allowed}


def _rows(session: Session, list_row: MediationListRow
          ) -> list[tuple[ListChildRow, dict[ListField, str]]]:
    rows = []
    for child in MediationRepository(session).children(list_row.id):
        if child.sent_values is not None:  # what was sent stays what was sent
            values = {ListField(k): str(v) for k, v in child.sent_values.items()}
        else:
            values = _minimised(list_row, _child_values(session, case_file_in(
                session, child.case_id)))
        rows.append((child, values))
    return rows


def list_view(store: Store, actor: Actor, list_id: int) -> ListView:
    """A list and its children, minimised to the channel's fields (audited read)."""
    _require(actor, LIAISONS, "read lists for mediation")
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = _list(repo, list_id)
        view = ListView(row, _channel(repo, row.channel_id), tuple(_rows(session, row)),
                        len(repo.exports(row.id)))
        _audit(session, actor, AuditAction.LIST_READ, "mediation_list", row.id)
    return view


# -- export --------------------------------------------------------------------------------


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


def export_list(store: Store, actor: Actor, list_id: int,
                formats: Sequence[str] = ("xlsx", "pdf")) -> ExportResult:
    """Write a list in ``formats`` (xlsx, csv, pdf, dossiers) into one AES-encrypted ZIP.

    Only the fields the list's channel may receive are written. The passphrase is made
    here and returned once; the file's SHA-256 is kept and audited.
    """
    _require(actor, LIAISONS, "export lists for mediation")
    unknown = [f for f in formats if f not in EXPORT_FORMATS]
    if unknown or not formats:
        raise InputRefusedError(f"unknown export format {', '.join(unknown) or '(none)'}: "
                                f"use {', '.join(EXPORT_FORMATS)}")
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = _list(repo, list_id)
        channel = _channel(repo, row.channel_id)
        rows = _rows(session, row)
        if not rows:
            raise ConflictError(f"list {list_number(row)} has no children yet")
        view = ListView(row, channel, tuple(rows), 0)
        stamp = now()
        table = ListTable(title=f"{channel.name} — {view.number}", list_number=view.number,
                          channel=channel.name, created_at=stamp, created_by=actor.name,
                          columns=view.fields,
                          rows=tuple(ListRow(c.reference, {k: v for k, v in values.items()
                                                           if not k.dossier_only})
                                     for c, values in rows))
        base = f"kinlink-{view.number}-{_slug(channel.name)}"
        files: dict[str, bytes] = {}
        for fmt in dict.fromkeys(formats):
            if fmt == "xlsx":
                files[f"{base}.xlsx"] = list_xlsx(table)
            elif fmt == "csv":
                files[f"{base}.csv"] = list_csv(table)
            elif fmt == "pdf":
                files[f"{base}.pdf"] = list_pdf(table)
            else:
                files[f"{base}-dossiers.pdf"] = dossiers_pdf(
                    [_dossier(repo, row, channel, c, values, stamp) for c, values in rows])
        passphrase = new_passphrase()
        data = encrypt_files(files, passphrase)
        digest = hashlib.sha256(data).hexdigest()
        name = f"{base}.zip"
        repo.add_export(list_id=row.id, formats=list(dict.fromkeys(formats)), file_name=name,
                        sha256=digest, children=len(rows), actor=actor.name)
        _audit(session, actor, AuditAction.LIST_EXPORTED, "mediation_list", row.id,
               {"sha256": digest, "formats": list(dict.fromkeys(formats)),
                "children": len(rows), "fields": row.fields})
    return ExportResult(name, data, passphrase, digest, len(rows), tuple(files))


def _dossier(repo: MediationRepository, row: MediationListRow, channel: ChannelRow,
             child: ListChildRow, values: dict[ListField, str], stamp: dt.datetime) -> Dossier:
    allowed = {ListField(f) for f in row.fields}
    photo = repo.photo(child.case_id) if ListField.PHOTO in allowed else None
    return Dossier(reference=child.reference, channel=channel.name,
                   list_number=list_number(row), created_at=stamp,
                   fields=tuple((k, v) for k, v in values.items() if not k.dossier_only),
                   family_request=values.get(ListField.FAMILY_REQUEST),
                   photo=photo.content if photo is not None else None)


# -- sending -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    """A list sent: which cases moved to ``return_requested`` and which stayed, why."""

    list_number: str
    moved: tuple[int, ...]
    stayed: tuple[tuple[int, str], ...]


def send_list(store: Store, actor: Actor, list_id: int, expected_version: int) -> SendResult:
    """Mark a list sent: its content is frozen as it was sent, and each verified case on
    it moves to ``return_requested`` with the list as evidence (others stay, said why)."""
    _require(actor, LIAISONS, "send lists for mediation")
    moved: list[int] = []
    stayed: list[tuple[int, str]] = []
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = _draft(repo, list_id)
        if row.version != expected_version:
            raise ConflictError(f"list {list_number(row)} was changed by someone else (now "
                                f"version {row.version}, you had {expected_version}); "
                                "reload it")
        channel = _channel(repo, row.channel_id)
        rows = _rows(session, row)
        if not rows:
            raise ConflictError(f"list {list_number(row)} has no children")
        if not repo.exports(row.id):
            raise ConflictError(f"list {list_number(row)} was never exported: export it "
                                "first, so what is sent is on record")
        for child, values in rows:
            child.sent_values = {k.value: v for k, v in values.items()}
            case = CaseRepository(session).get(child.case_id)
            assert case is not None
            if case.status != CaseStatus.IDENTITY_VERIFIED:
                stayed.append((case.id, f"the case is {case.status}"))
                continue
            advance_in(session, actor, case.id, case.version, CaseStatus.RETURN_REQUESTED,
                       f"sent on list {list_number(row)} through {channel.name}",
                       EvidenceKind.CHANNEL_LIST, f"{list_number(row)} ({child.reference})")
            moved.append(case.id)
        row.status, row.sent_by, row.sent_at = "sent", actor.name, now()
        row.version += 1
        _audit(session, actor, AuditAction.LIST_SENT, "mediation_list", row.id,
               {"channel": channel.id, "children": len(rows), "moved": moved})
    return SendResult(list_number(row), tuple(moved), tuple(stayed))


# -- answers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerSummary:
    """What one answer file brought: counts per outcome, and the file's issues."""

    import_id: int
    list_number: str
    rows: int
    counts: dict[str, int]
    issues: tuple[str, ...]
    missing: tuple[str, ...] = field(default=())


def _sent_child(session: Session, child: ListChildRow) -> SentChild:
    case = case_file_in(session, child.case_id)
    sought = next(r for r in case.records if r.id == case.case.sought_record_pk)
    return SentChild(reference=child.reference, case_id=child.case_id,
                     given_name=sought.given_name, surname=sought.surname,
                     patronymic=sought.patronymic, sex=sought.sex, birth=sought.birth,
                     birth_place=sought.birth_place)


def _answer_values(answer: AnswerRow) -> dict[str, str]:
    values = {"reference": answer.reference_text, "given_name": answer.given_name,
              "surname": answer.surname, "patronymic": answer.patronymic,
              "full_name": answer.full_name,
              "birth_date": answer.birth.isoformat() if answer.birth else None,
              "comment": answer.comment}
    return {k: v for k, v in values.items() if v}


def import_answers(store: Store, actor: Actor, list_id: int, path: Path, *,
                   force: bool = False, engine: Engine | None = None) -> AnswerSummary:
    """Read the other side's answer to a sent list and reconcile it: by reference, else
    by names with the linkage engine. Nothing is applied to cases here."""
    _require(actor, LIAISONS, "import answers to lists")
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    answers = read_answers(path)
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = _list(repo, list_id)
        if row.status != "sent":
            raise ConflictError(f"list {list_number(row)} has not been sent: answers belong "
                                "to sent lists")
        earlier = repo.answer_file_seen(row.id, digest)
        if earlier is not None and not force:
            raise ConflictError(f"this answer file was imported for {list_number(row)} "
                                     f"on {earlier.imported_at:%Y-%m-%d} (import "
                                     f"{earlier.id}); use --force to import it again")
        children = {c.reference: c for c in repo.children(row.id)}
        sent = [_sent_child(session, c) for c in children.values()]
        result = reconcile(sent, answers.rows, engine=engine)
        outcome: dict[int, tuple[str, ListChildRow | None, str | None, float | None, bool,
                                 str | None]] = {}
        for match in result.matched:
            outcome[match.answer.line] = ("matched", children[match.child.reference],
                                          match.how, match.probability, match.sure, None)
        for contradiction in result.contradictions:
            child = (children.get(contradiction.child.reference)
                     if contradiction.child is not None else None)
            for answer in contradiction.answers:
                outcome[answer.line] = ("contradiction", child, None, None, False,
                                        contradiction.what)
        for answer in result.unknown:
            outcome.setdefault(answer.line, ("unknown", None, None, None, False,
                                             "not a child on this list"))
        for answer in answers.rejected:
            outcome[answer.line] = ("rejected", None, None, None, False,
                                    "neither a usable reference nor a name")
        counts = {"matched": 0, "contradiction": 0, "unknown": 0, "rejected": 0}
        every = sorted((*answers.rows, *answers.rejected), key=lambda a: a.line)
        record = repo.add_answer_import(list_id=row.id, file_name=path.name, sha256=digest,
                                        rows=len(every), counts={}, actor=actor.name)
        for answer in every:
            kind, child, how, probability, sure, problem = outcome.get(
                answer.line, ("unknown", None, None, None, False, "not reconciled"))
            counts[kind] += 1
            state = "ready" if kind == "matched" and sure and answer.status else "pending"
            if kind == "matched" and answer.status is None:
                problem = "the status is not understood"
            repo.add_answer_row(
                import_id=record.id, line=answer.line,
                list_child_id=child.id if child else None, outcome=kind, how=how,
                probability=probability, sure=sure,
                status=answer.status.value if answer.status else None,
                status_text=answer.status_text, values=_answer_values(answer),
                problem=problem, state=state, state_note=None)
        answered = repo.answered_children(row.id)
        missing = tuple(c.reference for c in children.values() if c.id not in answered)
        counts["missing"] = len(missing)
        record.counts = counts
        _audit(session, actor, AuditAction.ANSWERS_IMPORTED, "mediation_list", row.id,
               {"import": record.id, "sha256": digest, "rows": len(every), **counts})
    issues = tuple(f"line {i.line}: {i.message}" for i in answers.issues)
    return AnswerSummary(record.id, list_number(row), len(every), counts, issues, missing)


# -- reconciliation ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerLine:
    """One answer row as the reconciliation page shows it."""

    id: int
    import_id: int
    line: int
    outcome: str
    how: str | None
    probability: float | None
    sure: bool
    status: str | None
    status_text: str
    values: dict[str, str]
    problem: str | None
    state: str
    state_note: str | None
    reference: str | None
    case_id: int | None


@dataclass(frozen=True)
class Reconciliation:
    """A sent list against every answer that came back for it."""

    list_number: str
    channel: str
    children: int
    answers: tuple[AnswerLine, ...]
    missing: tuple[tuple[str, int], ...]

    def of(self, outcome: str) -> list[AnswerLine]:
        """The answers reconciliation put in ``outcome`` (matched, unknown, contradiction,
        rejected: rows with neither a usable reference nor a name)."""
        return [a for a in self.answers if a.outcome == outcome]


def _line(row: AnswerRowRecord, child: ListChildRow | None) -> AnswerLine:
    return AnswerLine(row.id, row.import_id, row.line, row.outcome, row.how, row.probability,
                      row.sure, row.status, row.status_text, dict(row.values), row.problem,
                      row.state, row.state_note, child.reference if child else None,
                      child.case_id if child else None)


def reconciliation(store: Store, actor: Actor, list_id: int) -> Reconciliation:
    """Matched answers, children missing from every answer, answers about children who
    were not on the list, contradictions (audited read)."""
    _require(actor, LIAISONS, "read answers to lists")
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = _list(repo, list_id)
        channel = _channel(repo, row.channel_id)
        children = {c.id: c for c in repo.children(row.id)}
        lines = tuple(_line(a, children.get(a.list_child_id or 0))
                      for a in repo.answer_rows(row.id))
        answered = repo.answered_children(row.id)
        missing = tuple((c.reference, c.case_id) for c in children.values()
                        if c.id not in answered)
        _audit(session, actor, AuditAction.ANSWERS_READ, "mediation_list", row.id)
    return Reconciliation(list_number(row), channel.name, len(children), lines, missing)


def resolve_answer(store: Store, actor: Actor, answer_id: int, action: str,
                   reference: str | None = None, note: str | None = None) -> AnswerLine:
    """A person settles an answer reconciliation could not: ``confirm`` a match by names
    that was not sure, ``assign`` the answer to the child with ``reference``, or
    ``dismiss`` it (with a note saying why)."""
    _require(actor, LIAISONS, "settle answers to lists")
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = repo.answer_row(answer_id)
        if row is None:
            raise NotFoundError(f"there is no answer {answer_id}")
        if row.state in ("applied", "no_change"):
            raise ConflictError(f"answer {answer_id} was already applied")
        list_id = repo.list_of_answer(row)
        if action == "dismiss":
            if not (note or "").strip():
                raise InputRefusedError("say why the answer is dismissed")
            row.state = "dismissed"
        elif action in ("confirm", "assign"):
            if action == "assign":
                child = next((c for c in repo.children(list_id) if c.reference == reference),
                             None)
                if child is None:
                    raise NotFoundError(f"no child on this list has reference {reference}")
                row.list_child_id, row.how = child.id, "person"
            if row.list_child_id is None:
                raise ConflictError("this answer is not linked to a child on the list: "
                                    "assign it to a reference instead")
            if row.status is None:
                raise ConflictError("the answer's status is not understood: dismiss it, or "
                                    "ask the channel what it means")
            row.outcome, row.sure, row.state, row.problem = "matched", True, "ready", None
        else:
            raise InputRefusedError(f"unknown action {action!r}: confirm, assign or dismiss")
        row.state_note, row.decided_by, row.decided_at = note, actor.name, now()
        child_row = repo.list_child(row.list_child_id) if row.list_child_id else None
        _audit(session, actor, AuditAction(f"answer.{action}"), "answer", row.id,
               {"list": list_id})
        return _line(row, child_row)


@dataclass(frozen=True)
class AnswerOutcome:
    """What applying one answer did to its case."""

    answer_id: int
    line: int
    reference: str
    case_id: int
    result: str
    words: str


_PATH = (CaseStatus.REPORTED, CaseStatus.LOCATED, CaseStatus.IDENTITY_VERIFIED,
         CaseStatus.RETURN_REQUESTED, CaseStatus.IN_RETURN, CaseStatus.RETURNED)
_STEP_EVIDENCE: dict[CaseStatus, EvidenceKind | None] = {
    CaseStatus.LOCATED: None,
    CaseStatus.RETURN_REQUESTED: EvidenceKind.CHANNEL_LIST,
    CaseStatus.IN_RETURN: EvidenceKind.OFFICIAL_RECORD,
}
"""Steps an answer is evidence for. Verifying identity needs documents, DNA or the
family; a return needs the handover record: an answer alone never makes those steps."""


def _apply_one(session: Session, actor: Actor, row: AnswerRowRecord, child: ListChildRow,
               number: str) -> tuple[str, str]:
    status = AnswerStatus(row.status) if row.status else None
    target = ANSWER_TARGETS.get(status) if status else None
    if target is None:
        return "no_change", "the other side did not find the child: the case stays open"
    if target in CLOSING:
        return "pending", (f"the answer would close the case as {target}: closing is a "
                           "supervisor's decision on the case page")
    case = CaseRepository(session).get(child.case_id)
    assert case is not None
    current = CaseStatus(case.status)
    if current not in _PATH or _PATH.index(current) >= _PATH.index(target):
        return "no_change", f"the case is already {current}"
    for step in _PATH[_PATH.index(current) + 1:_PATH.index(target) + 1]:
        if step not in _STEP_EVIDENCE:
            reached = CaseStatus(case.status)
            return ("applied" if reached != current else "pending",
                    f"the case is {reached}; the step to {step} needs evidence an answer "
                    "is not (documents, DNA, the family, or the handover record)")
        case = advance_in(session, actor, case.id, case.version, step,
                          f"answer to list {number}, line {row.line}: {row.status_text}",
                          _STEP_EVIDENCE[step], f"{number} answer {row.import_id}:{row.line} "
                          f"({child.reference})")
    return "applied", f"the case moved from {current} to {target}"


def apply_answers(store: Store, actor: Actor, list_id: int) -> list[AnswerOutcome]:
    """Apply every ready answer of a list to its case, through the workflow. Answers
    that need a person (unsure matches, contradictions, closings) are left for them."""
    _require(actor, LIAISONS, "apply answers to cases")
    outcomes: list[AnswerOutcome] = []
    with store.transaction() as session:
        repo = MediationRepository(session)
        row = _list(repo, list_id)
        number = list_number(row)
        for answer in repo.answer_rows(row.id):
            if answer.state != "ready" or answer.list_child_id is None:
                continue
            child = repo.list_child(answer.list_child_id)
            assert child is not None
            try:
                result, words = _apply_one(session, actor, answer, child, number)
            except (KinlinkError, ValueError) as refused:
                result, words = "pending", str(refused)
            answer.state = result
            answer.state_note = words
            answer.decided_by, answer.decided_at = actor.name, now()
            outcomes.append(AnswerOutcome(answer.id, answer.line, child.reference,
                                          child.case_id, result, words))
        _audit(session, actor, AuditAction.ANSWERS_APPLIED, "mediation_list", row.id,
               {result: sum(o.result == result for o in outcomes)
                for result in ("applied", "no_change", "pending")})
    return outcomes


# -- tracking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListTrack:
    """One list of a channel: when sent and by whom, how much came back."""

    number: str
    list_id: int
    status: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    sent_by: str | None
    children: int
    answered: int
    answer_files: int
    exports: int


@dataclass(frozen=True)
class Waiting:
    """A child on a sent list with no answer yet."""

    reference: str
    case_id: int
    list_number: str
    sent_at: dt.datetime
    days: int


@dataclass(frozen=True)
class ChannelTrack:
    """A channel's lists and the children who have waited longest for an answer."""

    channel: ChannelRow
    lists: tuple[ListTrack, ...]
    waiting: tuple[Waiting, ...]


def track(store: Store, actor: Actor, channel_id: int | None = None) -> list[ChannelTrack]:
    """Per channel: what was sent, when and by whom, what came back, who waits longest."""
    _require(actor, LIAISONS, "follow mediation channels")
    today = now()
    result = []
    with store.transaction() as session:
        repo = MediationRepository(session)
        chosen = ([_channel(repo, channel_id)] if channel_id is not None
                  else list(repo.channels()))
        for channel in chosen:
            lists, waiting = [], []
            for row in repo.lists(channel.id):
                children = repo.children(row.id)
                answered = repo.answered_children(row.id)
                lists.append(ListTrack(list_number(row), row.id, row.status, row.created_at,
                                       row.sent_at, row.sent_by, len(children),
                                       sum(c.id in answered for c in children),
                                       len(repo.answer_imports(row.id)),
                                       len(repo.exports(row.id))))
                if row.sent_at is not None:
                    sent = row.sent_at if row.sent_at.tzinfo else row.sent_at.replace(
                        tzinfo=dt.UTC)
                    waiting += [Waiting(c.reference, c.case_id, list_number(row), sent,
                                        (today - sent).days)
                                for c in children if c.id not in answered]
            waiting.sort(key=lambda w: w.sent_at)
            result.append(ChannelTrack(channel, tuple(lists), tuple(waiting)))
        _audit(session, actor, AuditAction.CHANNELS_TRACKED, "channel",
               channel_id if channel_id is not None else "*")
    return result
