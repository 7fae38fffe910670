"""Exports waiting for their one download, in the store, so that every process of a
server with several workers gives each out once (``kinlink serve --workers N``).

The token is kept as its SHA-256 only (a copy of the database gives no way to download);
the file is the encrypted ZIP as made, deleted when it is taken or has expired. Taking
is one ``DELETE … RETURNING`` on the token, the person, the list and the time: of two
processes asked at once for the same token, exactly one gets the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kinlink.storage.mediation_tables import PendingExportRow

__all__ = ["KeptExport", "PendingExportRepository", "token_hash"]


def token_hash(token: str) -> str:
    """What the store keeps of a download token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeptExport:
    """An export taken from the store for its download."""

    list_id: int
    username: str
    file_name: str
    sha256: str
    data: bytes
    expires_at: dt.datetime


class PendingExportRepository:
    """Pending exports, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def keep(self, token: str, export: KeptExport, now: dt.datetime, most: int) -> None:
        """Keep ``export`` under ``token``; expired ones go, and the oldest when there are
        ``most`` already."""
        self.expire(now)
        kept = int(self._session.execute(
            select(func.count()).select_from(PendingExportRow)).scalar_one())
        if kept >= most:
            oldest = select(PendingExportRow.token_hash).order_by(
                PendingExportRow.expires_at).limit(kept - most + 1)
            self._session.execute(delete(PendingExportRow).where(
                PendingExportRow.token_hash.in_(oldest.scalar_subquery())))
        self._session.add(PendingExportRow(
            token_hash=token_hash(token), list_id=export.list_id, username=export.username,
            file_name=export.file_name, sha256=export.sha256, data=export.data,
            expires_at=export.expires_at))
        self._session.flush()

    def take(self, token: str, username: str, list_id: int, now: dt.datetime
             ) -> KeptExport | None:
        """The export of ``token`` if it is ``username``'s, of ``list_id`` and not
        expired, deleted as it is read (``None``: there is none, or it is gone)."""
        row = self._session.execute(
            delete(PendingExportRow).where(
                PendingExportRow.token_hash == token_hash(token),
                PendingExportRow.username == username,
                PendingExportRow.list_id == list_id,
                PendingExportRow.expires_at > now)
            .returning(PendingExportRow.list_id, PendingExportRow.username,
                       PendingExportRow.file_name, PendingExportRow.sha256,
                       PendingExportRow.data, PendingExportRow.expires_at)).first()
        if row is None:
            return None
        return KeptExport(int(row.list_id), str(row.username), str(row.file_name),
                          str(row.sha256), bytes(row.data), row.expires_at)

    def expire(self, now: dt.datetime) -> int:
        """Delete the exports past their time; returns how many."""
        done = self._session.execute(delete(PendingExportRow).where(
            PendingExportRow.expires_at <= now))
        return int(getattr(done, "rowcount", 0) or 0)
