"""Remote candidates and the decisions on them, inside the caller's session.

Reads are filtered by the agency that owns our record's list (``agency_id``; ``None``:
the operator, every agency), so another agency's rows are never returned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.remote import RemoteCandidate
from kinlink.storage.remote_tables import RemoteCandidateRow, RemoteDecisionRow
from kinlink.storage.tables import RecordRow, SourceRow

__all__ = ["RemoteCandidateRepository"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class RemoteCandidateRepository:
    """Remote candidates of our records, and people's decisions on them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def source_agency(self, source_id: int) -> int | None:
        """The agency that owns the list ``source_id`` (``None``: no such list)."""
        return self._session.execute(select(SourceRow.agency_id).where(
            SourceRow.id == source_id)).scalar_one_or_none()

    def record_pks(self, source_id: int, record_ids: Iterable[str]) -> dict[str, int]:
        """Our records' ids (as in the list) → their primary keys, for those in the list
        ``source_id``."""
        wanted = sorted(set(record_ids))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found.update(self._session.execute(
                select(RecordRow.record_id, RecordRow.id).where(
                    RecordRow.source_id == source_id,
                    RecordRow.record_id.in_(chunk))).all())
        return found

    def keep(self, *, agency_id: int, source_id: int, record_pk: int, party: str,
             remote_ref: str, score: float, probability: float,
             actor: str) -> tuple[int, bool]:
        """Keep one pair: a new row, or the known pair's score and probability updated.
        Returns the row's id and whether it is new."""
        row = self._session.execute(select(RemoteCandidateRow).where(
            RemoteCandidateRow.record_pk == record_pk, RemoteCandidateRow.party == party,
            RemoteCandidateRow.remote_ref == remote_ref)).scalar_one_or_none()
        created = row is None
        if row is None:
            row = RemoteCandidateRow(agency_id=agency_id, source_id=source_id,
                                     record_pk=record_pk, party=party, remote_ref=remote_ref)
            self._session.add(row)
        row.score, row.probability = score, probability
        row.imported_by, row.imported_at = actor, _now()
        self._session.flush()
        return row.id, created

    def _verdicts(self, ids: Sequence[int]) -> dict[int, tuple[DecisionVerdict, str]]:
        if not ids:
            return {}
        newest = select(func.max(RemoteDecisionRow.id)).where(
            RemoteDecisionRow.candidate_id.in_(ids)).group_by(RemoteDecisionRow.candidate_id)
        rows = self._session.execute(select(
            RemoteDecisionRow.candidate_id, RemoteDecisionRow.verdict,
            RemoteDecisionRow.actor).where(RemoteDecisionRow.id.in_(newest)))
        return {c: (DecisionVerdict(v), a) for c, v, a in rows}

    def _views(self, rows: Sequence[RemoteCandidateRow]) -> list[RemoteCandidate]:
        verdicts = self._verdicts([r.id for r in rows])
        out = []
        for r in rows:
            verdict, by = verdicts.get(r.id, (DecisionVerdict.NONE, None))
            out.append(RemoteCandidate(r.id, r.record_pk, r.source_id, r.agency_id, r.party,
                                       r.remote_ref, r.score, r.probability, r.imported_at,
                                       verdict, by))
        return out

    def of_records(self, record_pks: Sequence[int], agency_id: int | None
                   ) -> list[RemoteCandidate]:
        """The remote candidates of ``record_pks`` that the agency owns, most probable
        first."""
        if not record_pks:
            return []
        query = select(RemoteCandidateRow).where(
            RemoteCandidateRow.record_pk.in_(list(record_pks)))
        if agency_id is not None:
            query = query.where(RemoteCandidateRow.agency_id == agency_id)
        rows = self._session.execute(query.order_by(
            RemoteCandidateRow.probability.desc(), RemoteCandidateRow.id)).scalars().all()
        return self._views(rows)

    def get(self, candidate_id: int, agency_id: int | None) -> RemoteCandidate | None:
        """One remote candidate, if it exists and the agency owns it."""
        row = self._session.get(RemoteCandidateRow, candidate_id)
        if row is None or (agency_id is not None and row.agency_id != agency_id):
            return None
        return self._views([row])[0]

    def decide(self, candidate_id: int, verdict: DecisionVerdict, actor: str,
               note: str | None) -> int:
        """Append a decision on a remote candidate; returns its id."""
        row = RemoteDecisionRow(candidate_id=candidate_id, verdict=verdict.value,
                                actor=actor, decided_at=_now(), note=note)
        self._session.add(row)
        self._session.flush()
        return row.id

    def count(self, agency_id: int | None) -> int:
        """How many remote candidates the agency owns."""
        query = select(func.count()).select_from(RemoteCandidateRow)
        if agency_id is not None:
            query = query.where(RemoteCandidateRow.agency_id == agency_id)
        return int(self._session.execute(query).scalar_one())
