"""Queries and writes of the answers that come back for a list: the files and their rows.

Each row keeps where reconciliation put it (``outcome``), the child it speaks of, what it
said, and what became of it (``state``). Queries answer with the read models of
:mod:`kinlink.domain.mediation`, codes as enums, moments in UTC.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinlink.domain.mediation import (
    AnswerCounts,
    AnswerHow,
    AnswerImport,
    AnswerLine,
    AnswerOutcome,
    AnswerState,
    AnswerStatus,
)
from kinlink.storage.accounts import as_utc
from kinlink.storage.mediation import now
from kinlink.storage.mediation_tables import AnswerImportRow, AnswerRowRecord, ListChildRow

__all__ = ["AnswerRepository"]


def _import(row: AnswerImportRow) -> AnswerImport:
    known = {f.name for f in dataclasses.fields(AnswerCounts)}
    counts = AnswerCounts(**{k: int(v) for k, v in row.counts.items() if k in known})
    return AnswerImport(row.id, row.list_id, row.file_name, row.sha256, row.rows, counts,
                        row.imported_by, as_utc(row.imported_at))


def _line(row: AnswerRowRecord, list_id: int, reference: str | None,
          case_id: int | None) -> AnswerLine:
    return AnswerLine(
        id=row.id, import_id=row.import_id, list_id=list_id, line=row.line,
        outcome=AnswerOutcome(row.outcome), how=AnswerHow(row.how) if row.how else None,
        probability=row.probability, sure=row.sure,
        status=AnswerStatus(row.status) if row.status else None, status_text=row.status_text,
        values={k: str(v) for k, v in row.values.items()}, problem=row.problem,
        state=AnswerState(row.state), state_note=row.state_note,
        list_child_id=row.list_child_id, reference=reference, case_id=case_id)


def _lines() -> Any:
    """Answer rows with their list, and the reference and case of the child they are tied
    to (``None`` when none)."""
    return (select(AnswerRowRecord, AnswerImportRow.list_id, ListChildRow.reference,
                   ListChildRow.case_id)
            .join(AnswerImportRow, AnswerImportRow.id == AnswerRowRecord.import_id)
            .outerjoin(ListChildRow, ListChildRow.id == AnswerRowRecord.list_child_id))


class AnswerRepository:
    """The answer files of lists and their rows, for one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def file_seen(self, list_id: int, sha256: str) -> AnswerImport | None:
        """An earlier import of the same answer file for this list, or ``None``."""
        row = self._session.execute(
            select(AnswerImportRow).where(AnswerImportRow.list_id == list_id,
                                          AnswerImportRow.sha256 == sha256)
            .order_by(AnswerImportRow.id)).scalars().first()
        return _import(row) if row is not None else None

    def add_import(self, *, list_id: int, file_name: str, sha256: str, rows: int,
                   actor: str) -> int:
        """Record one answer file (its counts follow once its rows are kept); its id."""
        row = AnswerImportRow(list_id=list_id, file_name=file_name, sha256=sha256,
                              rows=rows, counts={}, imported_by=actor, imported_at=now())
        self._session.add(row)
        self._session.flush()
        return row.id

    def set_counts(self, import_id: int, counts: AnswerCounts) -> None:
        """Keep how many rows of an answer file went where."""
        row = self._session.get(AnswerImportRow, import_id)
        assert row is not None
        row.counts = dataclasses.asdict(counts)
        self._session.flush()

    def add_line(self, *, import_id: int, line: int, list_child_id: int | None,
                 outcome: AnswerOutcome, how: AnswerHow | None, probability: float | None,
                 sure: bool, status: AnswerStatus | None, status_text: str,
                 values: dict[str, str], problem: str | None, state: AnswerState) -> None:
        """Keep one answer row with where reconciliation put it."""
        self._session.add(AnswerRowRecord(
            import_id=import_id, line=line, list_child_id=list_child_id,
            outcome=outcome.value, how=how.value if how else None, probability=probability,
            sure=sure, status=status.value if status else None, status_text=status_text,
            values=values, problem=problem, state=state.value, state_note=None))
        self._session.flush()

    def count_imports(self, list_id: int) -> int:
        """How many answer files came back for a list."""
        return int(self._session.execute(
            select(func.count()).select_from(AnswerImportRow)
            .where(AnswerImportRow.list_id == list_id)).scalar_one())

    def lines(self, list_id: int) -> list[AnswerLine]:
        """Every answer row of every answer file of a list, in file then line order."""
        found = self._session.execute(
            _lines().where(AnswerImportRow.list_id == list_id)
            .order_by(AnswerRowRecord.import_id, AnswerRowRecord.line))
        return [_line(row, listed, reference, case) for row, listed, reference, case in found]

    def line(self, answer_id: int) -> AnswerLine | None:
        """One answer row, or ``None``."""
        found = self._session.execute(_lines().where(AnswerRowRecord.id == answer_id)).first()
        if found is None:
            return None
        row, listed, reference, case = found
        return _line(row, listed, reference, case)

    def assign(self, answer_id: int, list_child_id: int) -> None:
        """A person ties an answer to a child on the list."""
        row = self._row(answer_id)
        row.list_child_id, row.how = list_child_id, AnswerHow.PERSON.value
        self._session.flush()

    def confirm(self, answer_id: int) -> None:
        """A person confirms the answer's match: it is ready to apply."""
        row = self._row(answer_id)
        row.outcome, row.sure = AnswerOutcome.MATCHED.value, True
        row.state, row.problem = AnswerState.READY.value, None
        self._session.flush()

    def decide(self, answer_id: int, state: AnswerState, note: str | None, actor: str,
               when: dt.datetime | None = None) -> None:
        """What became of an answer, why, who decided it and when."""
        row = self._row(answer_id)
        row.state, row.state_note = state.value, note
        row.decided_by, row.decided_at = actor, when or now()
        self._session.flush()

    def answered_children(self, list_id: int) -> set[int]:
        """List-child ids some answer row of this list speaks of (dismissed ones aside)."""
        return {child for child in self._session.execute(
            select(AnswerRowRecord.list_child_id)
            .join(AnswerImportRow, AnswerImportRow.id == AnswerRowRecord.import_id)
            .where(AnswerImportRow.list_id == list_id,
                   AnswerRowRecord.list_child_id.is_not(None),
                   AnswerRowRecord.state != AnswerState.DISMISSED.value)).scalars()
            if child is not None}

    def _row(self, answer_id: int) -> AnswerRowRecord:
        row = self._session.get(AnswerRowRecord, answer_id)
        assert row is not None, answer_id
        return row
