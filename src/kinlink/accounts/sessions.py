"""Sign-in, the second factor, sessions and throttling.

The flow: :meth:`Accounts.sign_in` checks the password and opens a *half* session that
only reaches the second-factor pages; :meth:`Accounts.second_factor` (or
:meth:`Accounts.confirm_enrolment` the first time) checks the TOTP code, ends the half
session and every other session of the user, and opens a *full* session under a new
token. :meth:`Accounts.authenticate` runs on every request and enforces the idle (30 min)
and absolute (12 h) timeouts. A full session of a person whose password kinlink
generated carries ``must_change_password``: the doors let it do nothing but change the
password or sign out.

Failures never say what was wrong (unknown user, wrong password or code all read
"sign-in failed"). They are counted per account and per client address and make later
attempts wait (:mod:`.throttle`): an attempt during a wait is refused with
:class:`~kinlink.errors.SignInThrottledError` before its password or code is looked at,
and nobody's open session is ever ended by failures. Every attempt, wait and session end
is audited. Tokens are 256-bit random strings; the database keeps only their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NoReturn

from kinlink.accounts import attempts, passwords, totp
from kinlink.accounts.attempts import Keys, Wait
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Principal
from kinlink.domain.users import UserRole
from kinlink.errors import PLEASE_SIGN_IN, AuthenticationError, SignInThrottledError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository, as_utc, begin_write
from kinlink.storage.web_tables import UserRow, WebSessionRow

_YOUR_SESSION_ENDED_PLEASE = Wording("accounts.sessions.your_session_ended_please", N_(
    "your session has ended; please sign in again"))
_TOO_MANY_FAILED_SIGN = Wording("accounts.sessions.too_many_failed_sign", N_(
    "too many failed sign-ins; wait {seconds} seconds, then try again (your password or "
    "code was not checked)"))
_ENTER_CODE_YOUR_SECOND = Wording("accounts.sessions.enter_code_your_second", N_(
    "enter the code of your second factor"))
_SECOND_FACTOR_SET_UP = Wording("accounts.sessions.second_factor_set_up", N_(
    "the second factor is set up already"))
_STEP_NOT_OPEN = Wording("accounts.sessions.step_not_open", N_("this step is not open"))

__all__ = [
    "ABSOLUTE_TIMEOUT",
    "IDLE_TIMEOUT",
    "Accounts",
    "Clock",
    "Enrolment",
    "SessionView",
    "utcnow",
]

IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
HALF_SESSION_TIMEOUT = dt.timedelta(minutes=10)
_TOUCH_EVERY = dt.timedelta(seconds=60)
_FAILED = "sign-in failed: wrong user name, password or code"

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SessionView:
    """A live session as the web layer needs it."""

    session_id: int
    user_id: int
    username: str
    role: UserRole
    agency_id: int
    stage: str
    csrf_token: str
    language: str
    needs_enrolment: bool
    must_change_password: bool = False

    @property
    def principal(self) -> Principal:
        """The signed-in person, for services."""
        return Principal(self.user_id, self.username, self.role, self.agency_id)


@dataclass(frozen=True)
class Enrolment:
    """A second factor to set up: the secret, its URI and the URI as a QR code."""

    secret: str
    uri: str
    qr_svg: str


class Accounts:
    """Sign-in and sessions over the store, with an injectable clock (tests)."""

    def __init__(self, store: Store, clock: Clock = utcnow) -> None:
        self._store = store
        self._clock = clock

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._store.transaction() as session:
            begin_write(session)
            yield session

    # sign-in
    def sign_in(self, username: str, password: str, address: str | None = None,
                language: str | None = None) -> tuple[str, SessionView]:
        """Check the password of an attempt from ``address`` (the client's); on success
        open a half session (second factor next), in ``language`` if given (the language
        the sign-in page was read in, kept through the second factor, enrolment and the
        full session; ``None``: the person's default).

        Raises :class:`SignInThrottledError` during a wait (the password unchecked) and
        :class:`AuthenticationError` when the name or password is wrong.
        """
        now = self._clock()
        name = username.strip().casefold()
        keys = Keys.of(name, address)
        opened: tuple[str, SessionView] | None = None
        with self._write() as session:
            user = AccountRepository(session).user_named(name)
            user_id = user.id if user is not None else None
            wait = attempts.waiting(session, keys, now, user_id=user_id)
            if wait is None:
                opened = self._password_step(session, user, password, now, keys, language)
        if wait is not None:
            _refuse_waiting(wait)
        if opened is None:
            raise AuthenticationError(_FAILED, "sign_in_failed")
        return opened

    def _password_step(self, session: Session, user: UserRow | None, password: str,
                       now: dt.datetime, keys: Keys,
                       language: str | None) -> tuple[str, SessionView] | None:
        if user is None or user.disabled:
            passwords.waste_time(password)
            self._fail(session, user, keys, now,
                       "unknown_user" if user is None else "disabled")
            return None
        if not passwords.verify_password(user.password_hash, password):
            self._fail(session, user, keys, now, "password")
            return None
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        if not user.totp_confirmed and not user.totp_secret:
            user.totp_secret = totp.new_secret()
        _audit(session, user.username, AuditAction.AUTH_PASSWORD_OK, user.id, {})
        return self._open(session, user, "password", now, language)

    def _fail(self, session: Session, user: UserRow | None, keys: Keys, now: dt.datetime,
              reason: str) -> None:
        """Count a failure (it may start a wait); never ends anybody's session."""
        user_id = user.id if user is not None else None
        failures = attempts.record_failure(session, keys, now, user_id=user_id)
        _audit(session, "anonymous", AuditAction.AUTH_FAILED, user_id,
               {"reason": reason, "failures": failures})

    def _open(self, session: Session, user: UserRow, stage: str, now: dt.datetime,
              language: str | None) -> tuple[str, SessionView]:
        token = secrets.token_urlsafe(32)
        row = AccountRepository(session).add_session(WebSessionRow(
            token_hash=token_hash(token), user_id=user.id, stage=stage,
            csrf_token=secrets.token_urlsafe(32), language=language, created_at=now,
            last_seen_at=now))
        return token, _view(row, user)

    # second factor
    def enrolment(self, token: str) -> Enrolment:
        """The secret to set up, shown only to a half session of a user without one."""
        with self._store.transaction() as session:
            _row, user = self._live(session, token, self._clock(), partial=True)
            if user.totp_confirmed or not user.totp_secret:
                raise AuthenticationError(_SECOND_FACTOR_SET_UP(),
                                          "second_factor_required")
            uri = totp.provisioning_uri(user.totp_secret, user.username)
        return Enrolment(user.totp_secret, uri, totp.qr_svg(uri))

    def second_factor(self, token: str, code: str,
                      address: str | None = None) -> tuple[str, SessionView]:
        """Check the code of a set-up second factor; open the full session. Throttled
        like the password (:class:`SignInThrottledError`, the code unchecked)."""
        return self._code_step(token, code, address, enrol=False)

    def confirm_enrolment(self, token: str, code: str,
                          address: str | None = None) -> tuple[str, SessionView]:
        """Check the first code of a new second factor; mark it set up; open the session."""
        return self._code_step(token, code, address, enrol=True)

    def _code_step(self, token: str, code: str, address: str | None, *,
                   enrol: bool) -> tuple[str, SessionView]:
        now = self._clock()
        outcome: tuple[str, SessionView] | None = None
        with self._write() as session:
            row, user = self._live(session, token, now, partial=True)
            if row.stage != "password" or user.totp_confirmed == enrol or not user.totp_secret:
                raise AuthenticationError(_STEP_NOT_OPEN(), "sign_in_required")
            keys = Keys.of(user.username, address)
            wait = attempts.waiting(session, keys, now, user_id=user.id)
            if wait is None:
                outcome = self._check_code(session, row, user, code, now, keys, enrol=enrol)
        if wait is not None:
            _refuse_waiting(wait)
        if outcome is None:
            raise AuthenticationError(_FAILED, "second_factor_failed")
        return outcome

    def _check_code(self, session: Session, row: WebSessionRow, user: UserRow, code: str,
                    now: dt.datetime, keys: Keys, *,
                    enrol: bool) -> tuple[str, SessionView] | None:
        assert user.totp_secret is not None
        step = totp.matching_step(user.totp_secret, code, now, user.totp_last_step)
        if step is None:
            self._fail(session, user, keys, now, "second_factor")
            return None
        user.totp_last_step = step
        attempts.clear(session, keys.both())
        if enrol:
            user.totp_confirmed = True
            _audit(session, user.username, AuditAction.AUTH_SECOND_FACTOR_ENROLLED, user.id, {})
        ended = AccountRepository(session).end_sessions(user.id, now, "replaced")
        _audit(session, user.username, AuditAction.AUTH_SIGNED_IN,
               user.id, {"ended_sessions": ended - 1})
        return self._open(session, user, "full", now, row.language)

    # every request
    def authenticate(self, token: str | None, *, partial: bool = False) -> SessionView:
        """The live session of ``token``; raises :class:`AuthenticationError` otherwise.

        ``partial`` admits half sessions (the second-factor pages only).
        """
        if not token:
            raise AuthenticationError(PLEASE_SIGN_IN())
        now = self._clock()
        with self._store.transaction() as session:
            found = AccountRepository(session).session_by_token_hash(token_hash(token))
            verdict = _check(found, now, partial)
            if verdict is None and found is not None:
                user = AccountRepository(session).user(found.user_id)
                assert user is not None
                if as_utc(found.last_seen_at) + _TOUCH_EVERY > now and not user.disabled:
                    return _view(found, user)
        return self._authenticate_writing(token, now, partial)

    def _authenticate_writing(self, token: str, now: dt.datetime, partial: bool) -> SessionView:
        with self._write() as session:
            found = _resolve(session, token, now, partial)
            if isinstance(found, tuple):
                row, user = found
                row.last_seen_at = now
                return _view(row, user)
        return _refuse(found)

    def _live(self, session: Session, token: str, now: dt.datetime, *,
              partial: bool) -> tuple[WebSessionRow, UserRow]:
        """The session and user of ``token``; raises if it is not live (ending nothing:
        :meth:`authenticate` ends expired sessions in a transaction of its own)."""
        found = _resolve(session, token, now, partial, end=False)
        if isinstance(found, tuple):
            return found
        return _refuse(found)

    def sign_out(self, token: str | None) -> None:
        """End the session of ``token`` on the server (nothing if there is none)."""
        if not token:
            return
        now = self._clock()
        with self._write() as session:
            row = AccountRepository(session).session_by_token_hash(token_hash(token))
            if row is None or row.ended_at is not None:
                return
            row.ended_at, row.end_reason = now, "logout"
            user = AccountRepository(session).user(row.user_id)
            _audit(session, row_user(user), AuditAction.AUTH_SIGNED_OUT, row.user_id, {})

    def set_language(self, token: str, language: str) -> None:
        """Remember the interface language for this session and as the user's default."""
        with self._write() as session:
            row, user = self._live(session, token, self._clock(), partial=True)
            row.language = language
            if row.stage == "full":
                user.language = language


_ENDING = ("idle", "expired", "disabled")


def _resolve(session: Session, token: str, now: dt.datetime, partial: bool,
             *, end: bool = True) -> tuple[WebSessionRow, UserRow] | str:
    """The live session and its user, or why there is none (ending an expired one)."""
    repo = AccountRepository(session)
    row = repo.session_by_token_hash(token_hash(token))
    verdict = _check(row, now, partial)
    user = repo.user(row.user_id) if row is not None else None
    if user is not None and user.disabled and verdict is None:
        verdict = "disabled"
    if verdict is None and row is not None and user is not None:
        return row, user
    assert verdict is not None
    if end and row is not None and row.ended_at is None and verdict in _ENDING:
        row.ended_at, row.end_reason = now, verdict
        _audit(session, row_user(user), AuditAction.AUTH_SESSION_ENDED,
               row.user_id, {"reason": verdict})
    return verdict


def _refuse(verdict: str) -> NoReturn:
    if verdict == "second_factor_required":
        raise AuthenticationError(_ENTER_CODE_YOUR_SECOND(),
                                  "second_factor_required")
    raise AuthenticationError(_YOUR_SESSION_ENDED_PLEASE())


def row_user(user: UserRow | None) -> str:
    """The actor name for events about a user's own session."""
    return user.username if user is not None else "anonymous"


def _refuse_waiting(wait: Wait) -> NoReturn:
    raise SignInThrottledError(
        _TOO_MANY_FAILED_SIGN(seconds=str(wait.seconds)), wait.seconds)


def _check(row: WebSessionRow | None, now: dt.datetime, partial: bool) -> str | None:
    """Why a session cannot be used now (``None``: it can)."""
    if row is None or row.ended_at is not None:
        return "unknown"
    absolute = ABSOLUTE_TIMEOUT if row.stage == "full" else HALF_SESSION_TIMEOUT
    if now - as_utc(row.created_at) > absolute:
        return "expired"
    if now - as_utc(row.last_seen_at) > IDLE_TIMEOUT:
        return "idle"
    if row.stage != "full" and not partial:
        return "second_factor_required"
    return None


def _view(row: WebSessionRow, user: UserRow) -> SessionView:
    return SessionView(
        session_id=row.id, user_id=user.id, username=user.username, role=UserRole(user.role),
        agency_id=user.agency_id, stage=row.stage, csrf_token=row.csrf_token,
        language=row.language or user.language, needs_enrolment=not user.totp_confirmed,
        must_change_password=user.must_change_password)


def _audit(session: Session, actor: str, action: AuditAction, user_id: int | None,
           details: dict[str, object]) -> None:
    append_event(session, AuditEvent(actor, action, "user",
                                     str(user_id) if user_id is not None else None, details))
