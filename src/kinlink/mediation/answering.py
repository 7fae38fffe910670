"""The other side's answer to a sent list: imported, reconciled, read, settled by a person.

An answer file is read (:mod:`kinlink.mediation.answers`) and reconciled against the
children of the list (:mod:`kinlink.mediation.reconcile`: by reference, else by names
with the linkage engine); every row is kept with where it was put — matched, a
contradiction, about a child not on the list, or rejected (no usable reference and no
name) — and nothing is applied to cases here (:mod:`kinlink.mediation.applying` does).
A person settles what reconciliation could not: confirms a match, assigns an answer to a
reference, or dismisses it saying why.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.mediation import (
    AnswerAction,
    AnswerCounts,
    AnswerLine,
    AnswerOutcome,
    AnswerState,
    ListStatus,
)
from kinlink.domain.mediation_cases import CaseReader
from kinlink.encryption import sha256_hex
from kinlink.errors import NOT_THERE, ConflictError, InputRefusedError, NotFoundError
from kinlink.i18n import N_, Wording
from kinlink.linkage import Engine
from kinlink.linkage.engine import MEMORY_LIMIT
from kinlink.mediation.answers import AnswerFile, parse_answers
from kinlink.mediation.channels import get_channel
from kinlink.mediation.lists import get_list
from kinlink.mediation.placing import place_answers
from kinlink.storage import Session
from kinlink.storage.mediation import MediationRepository
from kinlink.storage.mediation_answers import AnswerRepository

_LIST_NOT_BEEN_SENT = Wording("mediation.answering.list_not_been_sent", N_(
    "list {number} has not been sent: answers belong to sent lists"))
_ANSWER_FILE_WAS_IMPORTED = Wording("mediation.answering.answer_file_was_imported", N_(
    "this answer file was imported for {number} on {imported_at} (import {id}); use --force"
    " to import it again"))
_ANSWER_WAS_ALREADY_APPLIED = Wording("mediation.answering.answer_was_already_applied", N_(
    "answer {answer_id} was already applied"))
_NO_CHILD_ON_LIST = Wording("mediation.answering.no_child_on_list", N_(
    "no child on this list has reference {reference}"))
_ANSWER_NOT_LINKED_CHILD = Wording("mediation.answering.answer_not_linked_child", N_(
    "this answer is not linked to a child on the list: assign it to a reference instead"))
_ANSWER_S_STATUS_NOT = Wording("mediation.answering.answer_s_status_not", N_(
    "the answer's status is not understood: dismiss it, or ask the channel what it means"))
_ON_LINE = Wording("mediation.answering.on_line", N_("line {line}: {message}"))
_SAY_WHY_ANSWER_DISMISSED = Wording("mediation.answering.say_why_answer_dismissed", N_(
    "say why the answer is dismissed"))

__all__ = ["AnswerSummary", "AnswerUpload", "ListAnswers", "Missing", "import_answers",
           "list_answers", "read_upload", "resolve_answer"]


@dataclass(frozen=True)
class AnswerUpload:
    """An answer file as it came: its name, its SHA-256 and what was read from it."""

    file_name: str
    sha256: str
    answers: AnswerFile


def read_upload(file_name: str, content: bytes) -> AnswerUpload:
    """Read an answer file's bytes (CSV or XLSX); :class:`FileRefusedError` when the
    importer would refuse them too. Outside any transaction: nothing is stored."""
    return AnswerUpload(file_name, sha256_hex(content), parse_answers(content))


@dataclass(frozen=True)
class AnswerSummary:
    """What one answer file brought: counts per outcome, the file's problems, and the
    references of the children no answer mentions yet."""

    import_id: int
    list_number: str
    file_name: str
    rows: int
    counts: AnswerCounts
    issues: tuple[str, ...]
    missing: tuple[str, ...]


def import_answers(session: Session, actor: Actor, list_id: int, upload: AnswerUpload,
                   read_case: CaseReader, *, force: bool = False,
                   engine: Engine | None = None, memory_limit: str = MEMORY_LIMIT
                   ) -> AnswerSummary:
    """Reconcile an answer file with the sent list it answers and keep every row where
    reconciliation put it; the same file twice is refused unless ``force``."""
    listed = get_list(session, list_id)
    if listed.status is not ListStatus.SENT:
        raise ConflictError(_LIST_NOT_BEEN_SENT(number=str(listed.number)))
    answers = AnswerRepository(session)
    earlier = answers.file_seen(listed.id, upload.sha256)
    if earlier is not None and not force:
        raise ConflictError(
            _ANSWER_FILE_WAS_IMPORTED(
                number=str(listed.number),
                imported_at=f"{earlier.imported_at:%Y-%m-%d}",
                id=str(earlier.id),
            )
        )
    children = MediationRepository(session).children(listed.id)
    placed = place_answers(upload.answers, children, read_case, engine, memory_limit)
    import_id = answers.add_import(
        list_id=listed.id,
        file_name=upload.file_name,
        sha256=upload.sha256,
        rows=len(placed),
        actor=actor.name,
    )
    for row in placed:
        answers.add_line(
            import_id=import_id,
            line=row.answer.line,
            list_child_id=row.child.id if row.child else None,
            outcome=row.outcome,
            how=row.how,
            probability=row.probability,
            sure=row.sure,
            status=row.answer.status,
            status_text=row.answer.status_text,
            values=row.values,
            problem=row.problem,
            state=row.state,
        )
    answered = answers.answered_children(listed.id)
    missing = tuple(c.reference for c in children if c.id not in answered)
    counts = AnswerCounts(
        **{o.value: sum(p.outcome is o for p in placed) for o in AnswerOutcome},
        missing=len(missing),
    )
    answers.set_counts(import_id, counts)
    append_event(
        session,
        AuditEvent(
            actor.name,
            AuditAction.ANSWERS_IMPORTED,
            "mediation_list",
            str(listed.id),
            {
                "import": import_id,
                "sha256": upload.sha256,
                "rows": len(placed),
                **dataclasses.asdict(counts),
            },
        ),
    )
    issues = tuple(_ON_LINE(line=i.line, message=i.message) for i in upload.answers.issues)
    return AnswerSummary(
        import_id, listed.number, upload.file_name, len(placed), counts, issues, missing
    )


@dataclass(frozen=True)
class Missing:
    """A child on the list that no answer mentions yet."""

    reference: str
    case_id: int


@dataclass(frozen=True)
class ListAnswers:
    """A sent list against every answer that came back for it, row by row."""

    list_id: int
    list_number: str
    status: ListStatus
    channel_id: int
    channel: str
    children: int
    answers: tuple[AnswerLine, ...]
    missing: tuple[Missing, ...]
    references: tuple[str, ...]
    """The references of every child on the list, sorted (to assign an answer to one)."""

    def of(self, outcome: AnswerOutcome) -> tuple[AnswerLine, ...]:
        """The answer rows reconciliation put in ``outcome``."""
        return tuple(a for a in self.answers if a.outcome is outcome)

    @property
    def matched(self) -> tuple[AnswerLine, ...]:
        """Rows tied to a child on the list."""
        return self.of(AnswerOutcome.MATCHED)

    @property
    def contradictions(self) -> tuple[AnswerLine, ...]:
        """Rows that contradict the list, or each other, for a person to settle."""
        return self.of(AnswerOutcome.CONTRADICTION)

    @property
    def unknown(self) -> tuple[AnswerLine, ...]:
        """Rows about children who were not on the list."""
        return self.of(AnswerOutcome.UNKNOWN)

    @property
    def rejected(self) -> tuple[AnswerLine, ...]:
        """Rows that could not be read: no usable reference and no name."""
        return self.of(AnswerOutcome.REJECTED)

    @property
    def sent(self) -> bool:
        """Whether the list was sent (answers belong to sent lists)."""
        return self.status is ListStatus.SENT

    @property
    def counts(self) -> AnswerCounts:
        """How many rows are in each outcome, and how many children no answer mentions."""
        return AnswerCounts(
            **{o.value: len(self.of(o)) for o in AnswerOutcome}, missing=len(self.missing)
        )

    @property
    def any_ready(self) -> bool:
        """Whether some answer is ready to apply to its case."""
        return any(a.state is AnswerState.READY for a in self.answers)


def list_answers(session: Session, list_id: int) -> ListAnswers:
    """Every answer row of a list, and the children no answer mentions (not audited:
    the caller audits the read)."""
    listed = get_list(session, list_id)
    channel = get_channel(session, listed.channel_id)
    children = MediationRepository(session).children(listed.id)
    answers = AnswerRepository(session)
    answered = answers.answered_children(listed.id)
    missing = tuple(Missing(c.reference, c.case_id) for c in children if c.id not in answered)
    return ListAnswers(
        listed.id,
        listed.number,
        listed.status,
        channel.id,
        channel.name,
        len(children),
        tuple(answers.lines(listed.id)),
        missing,
        tuple(sorted(c.reference for c in children)),
    )


def resolve_answer(
    session: Session,
    actor: Actor,
    answer_id: int,
    action: AnswerAction,
    reference: str | None = None,
    note: str | None = None,
) -> AnswerLine:
    """A person settles an answer reconciliation could not: ``confirm`` a match that was
    not sure, ``assign`` the answer to the child with ``reference``, or ``dismiss`` it
    (with a note saying why). An answer already applied cannot change."""
    answers = AnswerRepository(session)
    answer = answers.line(answer_id)
    if answer is None:
        raise NotFoundError(NOT_THERE["answer"](id=str(answer_id)))
    if answer.settled:
        raise ConflictError(_ANSWER_WAS_ALREADY_APPLIED(answer_id=str(answer_id)))
    if action is AnswerAction.DISMISS:
        if not (note or "").strip():
            raise InputRefusedError(_SAY_WHY_ANSWER_DISMISSED())
        state = AnswerState.DISMISSED
    else:
        if action is AnswerAction.ASSIGN:
            _assign(session, answers, answer, reference)
            answer = answers.line(answer_id)
            assert answer is not None
        _confirmable(answer)
        answers.confirm(answer_id)
        state = AnswerState.READY
    answers.decide(answer_id, state, note, actor.name)
    append_event(
        session,
        AuditEvent(
            actor.name,
            AuditAction(f"answer.{action.value}"),
            "answer",
            str(answer_id),
            {"list": answer.list_id},
        ),
    )
    settled = answers.line(answer_id)
    assert settled is not None
    return settled


def _assign(
    session: Session, answers: AnswerRepository, answer: AnswerLine, reference: str | None
) -> None:
    child = next(
        (
            c
            for c in MediationRepository(session).children(answer.list_id)
            if c.reference == reference
        ),
        None,
    )
    if child is None:
        raise NotFoundError(_NO_CHILD_ON_LIST(reference=str(reference)))
    answers.assign(answer.id, child.id)


def _confirmable(answer: AnswerLine) -> None:
    if answer.list_child_id is None:
        raise ConflictError(_ANSWER_NOT_LINKED_CHILD())
    if answer.status is None:
        raise ConflictError(_ANSWER_S_STATUS_NOT())
