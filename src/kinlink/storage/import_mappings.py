"""Storage of the column mappings chosen on the web, per (agency, producer), inside the
caller's session."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kinlink.storage.web_tables import ImportMappingRow

__all__ = ["ImportMappingRepository"]


class ImportMappingRepository:
    """The agencies' saved column mappings, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, agency_id: int, producer: str) -> dict[str, str]:
        """``{normalised header: field}`` saved for ``producer`` by ``agency_id`` (empty:
        none)."""
        row = self._session.get(ImportMappingRow, (agency_id, producer))
        return {str(k): str(v) for k, v in row.columns.items()} if row else {}

    def put(self, agency_id: int, producer: str, columns: dict[str, str], saved_by: str,
            now: dt.datetime) -> None:
        """Keep ``columns`` as the mapping of ``producer``'s lists for ``agency_id``."""
        row = self._session.get(ImportMappingRow, (agency_id, producer))
        if row is None:
            self._session.add(ImportMappingRow(agency_id=agency_id, producer=producer,
                                               columns=dict(columns), saved_by=saved_by,
                                               saved_at=now))
        else:
            row.columns, row.saved_by, row.saved_at = dict(columns), saved_by, now
        self._session.flush()
