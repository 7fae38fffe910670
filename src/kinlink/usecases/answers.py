"""The other side's answers to a list: import and reconcile one, read the reconciliation,
settle an answer, apply the ready ones to their cases through the workflow."""

from __future__ import annotations

from kinlink import mediation
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.mediation import AnswerAction, AnswerLine, ApplyResult
from kinlink.domain.permissions import Action, require
from kinlink.errors import KinlinkError
from kinlink.linkage import Engine
from kinlink.mediation import AnswerSummary, AppliedAnswer, ListAnswers
from kinlink.storage import Store
from kinlink.usecases.mediated_cases import case_reader, make_move

__all__ = ["apply_answers", "import_answers", "read_reconciliation", "resolve_answer"]


def import_answers(store: Store, actor: Actor, list_id: int, file_name: str, content: bytes,
                   *, force: bool = False, engine: Engine | None = None) -> AnswerSummary:
    """Read the other side's answer to a sent list (CSV or XLSX bytes) and reconcile it:
    by reference, else by names with the linkage engine. Nothing is applied to cases."""
    require(actor, Action.MEDIATION_ANSWERS)
    upload = mediation.read_upload(file_name, content)
    with store.transaction() as session:
        return mediation.import_answers(session, actor, list_id, upload, case_reader(session),
                                        force=force, engine=engine)


def read_reconciliation(store: Store, actor: Actor, list_id: int) -> ListAnswers:
    """Every answer row of a list in its place — matched, contradiction, not on the list,
    rejected — and the children no answer mentions (audited)."""
    require(actor, Action.MEDIATION_VIEW)
    with store.transaction() as session:
        found = mediation.list_answers(session, list_id)
        append_event(session, AuditEvent(actor.name, AuditAction.ANSWERS_READ,
                                         "mediation_list", str(list_id)))
    return found


def resolve_answer(store: Store, actor: Actor, answer_id: int, action: AnswerAction,
                   reference: str | None = None, note: str | None = None) -> AnswerLine:
    """Settle an answer reconciliation could not: confirm it, assign it to a reference
    on the list, or dismiss it saying why."""
    require(actor, Action.MEDIATION_ANSWERS)
    with store.transaction() as session:
        return mediation.resolve_answer(session, actor, answer_id, action, reference, note)


def apply_answers(store: Store, actor: Actor, list_id: int) -> list[AppliedAnswer]:
    """Apply every ready answer of a list to its case through the workflow, in one
    transaction. What needs a person (a closing, a step the workflow refuses) is left
    pending, said why."""
    require(actor, Action.MEDIATION_ANSWERS)
    applied: list[AppliedAnswer] = []
    with store.transaction() as session:
        read = case_reader(session)
        for answer in mediation.ready_answers(session, list_id):
            assert answer.case_id is not None
            plan = mediation.plan_answer(answer, read(answer.case_id))
            result, words = plan.result, plan.words
            if plan.move is not None:
                try:
                    make_move(session, actor, plan.move)
                except KinlinkError as refused:
                    result, words = ApplyResult.PENDING, str(refused)
            applied.append(mediation.record_applied(session, actor, answer, result, words))
        mediation.record_applying(session, actor, list_id, applied)
    return applied
