"""Where each row of an answer goes: matched to a child on the list, a contradiction, a
child not on the list, or rejected — every row of the file, none dropped.

Reconciliation (:mod:`kinlink.mediation.reconcile`) links rows to children; this module
gives each row of the file its one place, the child it is tied to, the words of what is
wrong with it, and whether it is ready to apply (matched, sure, with a status understood)
or waits for a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kinlink.domain.mediation import (
    AnswerHow,
    AnswerOutcome,
    AnswerState,
    ListChild,
)
from kinlink.domain.mediation_cases import CaseReader
from kinlink.i18n import N_, Wording
from kinlink.linkage import Engine
from kinlink.linkage.engine import MEMORY_LIMIT
from kinlink.mediation.answers import AnswerFile, AnswerRow
from kinlink.mediation.reconcile import SentChild, reconcile

__all__ = ["REJECTED_NOTHING", "REJECTED_NO_NAME", "Placed", "place_answers"]

REJECTED_NOTHING = Wording("mediation.placing.nothing_to_match", N_(
    "the row gives neither a reference nor a name to match it by"))()
REJECTED_NO_NAME = Wording("mediation.placing.no_name", N_(
    "the reference is not valid (mistyped, or not in the form KL-XXXX-XXXX) and the row "
    "gives no name to match it by"))()
_STATUS_NOT_UNDERSTOOD = Wording("mediation.placing.status_not_understood",
                                 N_("the status is not understood"))
_NOT_ON_LIST = Wording("mediation.placing.not_on_list", N_("not a child on this list"))
_NOT_RECONCILED = Wording("mediation.placing.not_reconciled", N_("not reconciled"))


@dataclass(frozen=True)
class Placed:
    """One row of an answer in its place, with the child it is tied to (if any)."""

    answer: AnswerRow
    outcome: AnswerOutcome
    child: ListChild | None = None
    how: AnswerHow | None = None
    probability: float | None = None
    sure: bool = False
    problem: str | None = None

    @property
    def state(self) -> AnswerState:
        """Ready when matched for sure with a status understood; else a person looks."""
        ready = (self.outcome is AnswerOutcome.MATCHED and self.sure
                 and self.answer.status is not None)
        return AnswerState.READY if ready else AnswerState.PENDING

    @property
    def values(self) -> dict[str, str]:
        """The row's cells as written: reference, names, birth date, comment."""
        answer = self.answer
        values = {"reference": answer.reference_text, "given_name": answer.given_name,
                  "surname": answer.surname, "patronymic": answer.patronymic,
                  "full_name": answer.full_name,
                  "birth_date": answer.birth.isoformat() if answer.birth else None,
                  "comment": answer.comment}
        return {k: v for k, v in values.items() if v}


def _sent(child: ListChild, read_case: CaseReader) -> SentChild:
    sought = read_case(child.case_id).sought
    return SentChild(reference=child.reference, case_id=child.case_id,
                     given_name=sought.given_name, surname=sought.surname,
                     patronymic=sought.patronymic, sex=sought.sex, birth=sought.birth,
                     birth_place=sought.birth_place)


def _rejected(answer: AnswerRow) -> Placed:
    problem = REJECTED_NO_NAME if answer.reference_text.strip() else REJECTED_NOTHING
    return Placed(answer, AnswerOutcome.REJECTED, problem=problem)


def place_answers(answers: AnswerFile, children: Sequence[ListChild], read_case: CaseReader,
                  engine: Engine | None = None, memory_limit: str = MEMORY_LIMIT
                  ) -> list[Placed]:
    """Every row of ``answers`` in its place, in line order (``engine`` and
    ``memory_limit`` as :func:`~kinlink.mediation.reconcile.reconcile` takes them)."""
    by_reference = {c.reference: c for c in children}
    result = reconcile([_sent(c, read_case) for c in children], answers.rows, engine=engine,
                       memory_limit=memory_limit)
    placed: dict[int, Placed] = {}
    for match in result.matched:
        problem = None if match.answer.status else _STATUS_NOT_UNDERSTOOD()
        placed[match.answer.line] = Placed(match.answer, AnswerOutcome.MATCHED,
                                           by_reference[match.child.reference], match.how,
                                           match.probability, match.sure, problem)
    for contradiction in result.contradictions:
        child = (by_reference.get(contradiction.child.reference)
                 if contradiction.child is not None else None)
        for answer in contradiction.answers:
            placed[answer.line] = Placed(answer, AnswerOutcome.CONTRADICTION, child,
                                         problem=contradiction.what)
    for answer in result.unknown:
        placed.setdefault(answer.line, Placed(answer, AnswerOutcome.UNKNOWN,
                                              problem=_NOT_ON_LIST()))
    for answer in answers.rejected:
        placed[answer.line] = _rejected(answer)
    every = sorted((*answers.rows, *answers.rejected), key=lambda a: a.line)
    return [placed.get(a.line, Placed(a, AnswerOutcome.UNKNOWN, problem=_NOT_RECONCILED()))
            for a in every]
