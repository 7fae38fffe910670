"""Tables of the web application: agencies, users, sessions, source shares, search keys,
sign-in throttles.

Kept apart from :mod:`kinlink.storage.tables` so the web's schema grows in one place.
Sources and import runs carry the owning agency (``agency_id``, in ``tables.py``); a
source can be shared with other agencies through ``source_shares``. The first agency
(id 1, created by migration 0004) owns everything imported before agencies existed and
everything imported at the command line.

``search_keys`` holds, per record, the script-independent name keys the search page
looks records up by: one row per (record, given-name token), all with the record's
surname key. Tokens are ``i:<canonical given-name id>`` and ``k:<given-name skeleton>``;
a record without a given name has one row with the empty token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from kinlink.domain.access import HOME_AGENCY_ID
from kinlink.storage.tables import Base
from kinlink.storage.types import UtcDateTime

__all__ = [
    "HOME_AGENCY_ID",
    "AgencyRow",
    "ImportMappingRow",
    "SearchKeyRow",
    "SignInThrottleRow",
    "SourceShareRow",
    "UserRow",
    "WebSessionRow",
]

def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AgencyRow(Base):
    """An organisation whose staff use kinlink (an ombudsman office, an NGO hotline)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utcnow)


class UserRow(Base):
    """A person who signs in: password hash, role, agency, second factor.

    ``totp_last_step`` is the last TOTP time step accepted, so a code is never accepted
    twice. ``must_change_password`` is set while the password is one kinlink generated
    (a new account, a reset): the person's session can do nothing but change it. Failed
    sign-ins are counted in ``sign_in_throttles``, not here.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(24))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    language: Mapped[str] = mapped_column(String(5), default="uk")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utcnow)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(),
                                                             default=_utcnow)


class WebSessionRow(Base):
    """A server-side session. The cookie holds a random token; only its SHA-256 is kept.

    ``stage`` is ``password`` after the password (only the second-factor pages work) and
    ``full`` after the second factor. ``ended_at`` is set by logout, timeouts, a newer
    sign-in or an administrator; an ended session never comes back.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    csrf_token: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(16))


class SourceShareRow(Base):
    """A source shared with another agency: its staff see the source's records too."""

    __tablename__ = "source_shares"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True,
                                           index=True)
    shared_by: Mapped[str] = mapped_column(String(200))
    shared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utcnow)


class SearchKeyRow(Base):
    """One name token of one record, with the record's surname key (see module doc)."""

    __tablename__ = "search_keys"
    __table_args__ = (
        Index("ix_search_keys_surname_token", "surname_key", "token", "record_pk"),
        Index("ix_search_keys_token_surname", "token", "surname_key", "record_pk"),
    )

    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(120), primary_key=True)
    surname_key: Mapped[str] = mapped_column(String(120))


class SignInThrottleRow(Base):
    """Failed sign-ins of one account or one client address, and how long to wait.

    ``scope`` is ``account`` or ``address``; ``key`` is the SHA-256 of the canonical user
    name (tried names that match no account too, so a wait never tells which names exist)
    or of the client's address (IPv6: its /64 network). Nothing else about the person or
    the attempt is kept. ``failures`` counts failures since the last success; a row whose
    last failure is older than a day is forgotten (deleted). ``refused`` counts attempts
    refused during the current wait (only the first of them is audited).
    """

    __tablename__ = "sign_in_throttles"

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    refused: Mapped[int] = mapped_column(Integer, default=0)


class ImportMappingRow(Base):
    """The column mapping an agency chose on the web for a producer's lists, offered for
    the next list of that producer: ``columns`` is ``{normalised header: field}`` (the
    form of a ``--mapping`` file's ``[columns]``). ``producer`` is the producer's name as
    normalised by :func:`kinlink.listfiles.columns.normalise_header`."""

    __tablename__ = "import_mappings"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    producer: Mapped[str] = mapped_column(String(300), primary_key=True)
    columns: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utcnow)
