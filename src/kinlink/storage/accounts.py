"""Storage of agencies, users, sessions and source shares, inside the caller's session.

Also :func:`begin_write`: on SQLite a web request that reads and then writes (an audited
read, a sign-in) must take the write lock first, or a concurrent writer would make its
snapshot stale and its write fail; PostgreSQL needs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kinlink.storage.visibility import agency_source_ids, ready_source_ids
from kinlink.storage.web_tables import AgencyRow, SourceShareRow, UserRow, WebSessionRow

__all__ = ["AccountRepository", "as_utc", "begin_write"]


def begin_write(session: Session) -> None:
    """Start ``session``'s transaction holding the write lock (SQLite: BEGIN IMMEDIATE).

    Call it first, before any statement of the transaction.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored timestamp as an aware UTC datetime (SQLite gives them back naive)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class AccountRepository:
    """Agencies, users, sessions and shares, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # agencies
    def agencies(self) -> Sequence[AgencyRow]:
        """Every agency, by name."""
        return self._session.execute(select(AgencyRow).order_by(AgencyRow.name)).scalars().all()

    def agency(self, agency_id: int) -> AgencyRow | None:
        """One agency by id."""
        return self._session.get(AgencyRow, agency_id)

    def agency_named(self, name: str) -> AgencyRow | None:
        """One agency by its exact name."""
        return self._session.execute(
            select(AgencyRow).where(AgencyRow.name == name)).scalar_one_or_none()

    def add_agency(self, name: str) -> AgencyRow:
        """Create an agency."""
        row = AgencyRow(name=name)
        self._session.add(row)
        self._session.flush()
        return row

    # users
    def users(self) -> Sequence[UserRow]:
        """Every user, by name."""
        return self._session.execute(select(UserRow).order_by(UserRow.username)).scalars().all()

    def user(self, user_id: int) -> UserRow | None:
        """One user by id."""
        return self._session.get(UserRow, user_id)

    def user_named(self, username: str) -> UserRow | None:
        """One user by user name (exact)."""
        return self._session.execute(
            select(UserRow).where(UserRow.username == username)).scalar_one_or_none()

    def count_role(self, role: str) -> int:
        """How many enabled users hold ``role``."""
        return int(self._session.execute(
            select(func.count()).select_from(UserRow)
            .where(UserRow.role == role, UserRow.disabled.is_(False))).scalar_one())

    def add_user(self, **values: object) -> UserRow:
        """Create a user from column values."""
        row = UserRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    # sessions
    def session_by_token_hash(self, token_hash: str) -> WebSessionRow | None:
        """The session whose token hashes to ``token_hash``."""
        return self._session.execute(
            select(WebSessionRow).where(WebSessionRow.token_hash == token_hash)
        ).scalar_one_or_none()

    def add_session(self, row: WebSessionRow) -> WebSessionRow:
        """Store a new session."""
        self._session.add(row)
        self._session.flush()
        return row

    def end_sessions(self, user_id: int, now: dt.datetime, reason: str,
                     *, keep: int | None = None) -> int:
        """End every open session of a user (but ``keep``); returns how many."""
        query = (update(WebSessionRow)
                 .where(WebSessionRow.user_id == user_id, WebSessionRow.ended_at.is_(None))
                 .values(ended_at=now, end_reason=reason))
        if keep is not None:
            query = query.where(WebSessionRow.id != keep)
        return int(getattr(self._session.execute(query), "rowcount", 0) or 0)

    # sources and shares
    def visible_source_ids(self, agency_id: int | None) -> list[int]:
        """Sources an agency sees: its own and those shared with it (finished imports only);
        ``None``, the operator on the server, sees every finished source."""
        found = self._session.execute(agency_source_ids(agency_id) if agency_id is not None
                                      else ready_source_ids()).scalars()
        return sorted({int(i) for i in found})

    def shares(self, source_id: int) -> Sequence[SourceShareRow]:
        """The agencies a source is shared with."""
        return self._session.execute(
            select(SourceShareRow).where(SourceShareRow.source_id == source_id)
            .order_by(SourceShareRow.agency_id)).scalars().all()

    def share(self, source_id: int, agency_id: int, actor: str) -> bool:
        """Share a source with an agency; ``False`` if it was shared already."""
        if self._session.get(SourceShareRow, (source_id, agency_id)) is not None:
            return False
        self._session.add(SourceShareRow(source_id=source_id, agency_id=agency_id,
                                         shared_by=actor))
        self._session.flush()
        return True

    def unshare(self, source_id: int, agency_id: int) -> bool:
        """Stop sharing; ``False`` if it was not shared."""
        row = self._session.get(SourceShareRow, (source_id, agency_id))
        if row is None:
            return False
        self._session.delete(row)
        self._session.flush()
        return True
