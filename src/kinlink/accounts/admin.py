"""Administration of people and agencies: create users, change roles and agencies,
disable, unlock, reset the second factor or the password; create and rename agencies;
share sources with other agencies.

An administrator never chooses a password for someone: kinlink generates one and shows
it once (security.md AUTH-06), and the person must replace it at their first sign-in
(``must_change_password``). "Unlock" clears an account's failed sign-ins and the wait
they imposed (:mod:`.throttle`). Whatever weakens an account's hold (a new password, a
reset second factor, a disabled account, a new role or agency) ends that user's
sessions, so the change applies at once. The last enabled administrator cannot be
demoted or disabled. Every change is audited with who did it; no password, secret or
personal data goes into the audit details.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from kinlink.accounts import attempts, passwords, throttle, totp
from kinlink.accounts.password_policy import REFUSALS, refusal
from kinlink.accounts.sessions import Clock, utcnow
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.imports import SourceState
from kinlink.domain.users import AgencyView, UserRole, UserView
from kinlink.errors import ConflictError, InputRefusedError, NotFoundError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository, as_utc, begin_write
from kinlink.storage.tables import SourceRow
from kinlink.storage.throttles import ThrottleRepository
from kinlink.storage.web_tables import AgencyRow, SignInThrottleRow, UserRow

_LAST_ADMINISTRATOR_CANNOT_DEMOTED = Wording("accounts.admin.last_administrator_cannot_demoted", N_(
    "the last administrator cannot be demoted or disabled"))
_USER_NAME_2_64 = Wording("accounts.admin.user_name_2_64", N_(
    "a user name has 2 to 64 characters: Latin letters, digits, dots, dashes and "
    "underscores"))
_LANGUAGE_MUST_UK_EN = Wording("accounts.admin.language_must_uk_en", N_(
    "the language must be uk or en"))
_AGENCY_NAME_2_200 = Wording("accounts.admin.agency_name_2_200", N_(
    "an agency name has 2 to 200 printable characters"))
_THERE_NO_SUCH_USER = Wording("accounts.admin.there_no_such_user", N_("there is no such user"))
_THERE_NO_SUCH_AGENCY = Wording("accounts.admin.there_no_such_agency", N_(
    "there is no such agency"))
_CURRENT_PASSWORD_NOT_RIGHT = Wording("accounts.admin.current_password_not_right", N_(
    "the current password is not right"))
_USER_NAME_TAKEN = Wording("accounts.admin.user_name_taken", N_("this user name is taken"))
_THERE_NO_USER_WITH = Wording("accounts.admin.there_no_user_with", N_(
    "there is no user with this user name"))
_AGENCY_WITH_NAME_EXISTS = Wording("accounts.admin.agency_with_name_exists", N_(
    "an agency with this name exists"))
_THERE_NO_AGENCY_WITH = Wording("accounts.admin.there_no_agency_with", N_(
    "there is no agency with this name"))
_LIST_ALWAYS_VISIBLE_OWN = Wording("accounts.admin.list_always_visible_own", N_(
    "a list is always visible to its own agency"))

__all__ = ["LANGUAGES", "AccountAdmin", "AgencyView", "NewUser", "UserView"]

LANGUAGES = ("uk", "en")
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


@dataclass(frozen=True)
class NewUser:
    """A created (or reset) account and its one-time secrets, to show once."""

    user: UserView
    password: str | None
    totp_secret: str | None = None
    totp_uri: str | None = None


class AccountAdmin:
    """People and agencies, for administrators and for ``kinlink users``."""

    def __init__(self, store: Store, clock: Clock = utcnow) -> None:
        self._store = store
        self._clock = clock

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, AccountRepository]]:
        with self._store.transaction() as session:
            begin_write(session)
            yield session, AccountRepository(session)

    # reading
    def users(self) -> list[UserView]:
        """Every user, by user name."""
        with self._store.transaction() as session:
            repo = AccountRepository(session)
            names = {a.id: a.name for a in repo.agencies()}
            users = repo.users()
            counts = _account_counts(session, users)
            now = self._clock()
            return [_user_view(u, names, counts, now) for u in users]

    def user(self, user_id: int) -> UserView:
        """One user; :class:`NotFoundError` if there is none."""
        with self._store.transaction() as session:
            repo = AccountRepository(session)
            user = _get_user(repo, user_id)
            return _user_view(user, {a.id: a.name for a in repo.agencies()},
                              _account_counts(session, [user]), self._clock())

    def agencies(self) -> list[AgencyView]:
        """Every agency with its number of users."""
        with self._store.transaction() as session:
            repo = AccountRepository(session)
            counts: dict[int, int] = {}
            for user in repo.users():
                counts[user.agency_id] = counts.get(user.agency_id, 0) + 1
            return [AgencyView(a.id, a.name, counts.get(a.id, 0)) for a in repo.agencies()]

    def has_admin(self) -> bool:
        """Whether an enabled administrator exists."""
        with self._store.transaction() as session:
            return AccountRepository(session).count_role(UserRole.ADMIN) > 0

    # users
    def create_user(self, actor: str, username: str, role: UserRole, agency_id: int,
                    language: str = "uk", *, with_second_factor: bool = False) -> NewUser:
        """Create an account with a generated password, to be changed at first sign-in.
        With ``with_second_factor`` the TOTP secret is made now and shown once (``kinlink
        users create-admin``); otherwise the person sets it up at first sign-in."""
        name = _check_username(username)
        _check_language(language)
        password = passwords.generate_password()
        secret = totp.new_secret() if with_second_factor else None
        with self._write() as (session, repo):
            if repo.user_named(name) is not None:
                raise ConflictError(_USER_NAME_TAKEN())
            agency = _get_agency(repo, agency_id)
            user = repo.add_user(
                username=name, password_hash=passwords.hash_password(password),
                role=role.value, agency_id=agency.id, language=language,
                totp_secret=secret, totp_confirmed=secret is not None,
                must_change_password=True)
            _audit(session, actor, AuditAction.USER_CREATED, user.id,
                   {"role": role.value, "agency_id": agency.id})
            view = _user_view(user, {agency.id: agency.name}, {}, self._clock())
        uri = totp.provisioning_uri(secret, name) if secret else None
        return NewUser(view, password, secret, uri)

    def create_missing_users(self, actor: str, wanted: Sequence[tuple[str, UserRole]],
                             agency_id: int, language: str = "uk"
                             ) -> tuple[list[NewUser], list[str]]:
        """Create, in one transaction, the accounts of ``wanted`` (user name, role) whose
        name is not taken yet, each with a generated password (to be changed at first
        sign-in) and a second factor made now, both to be shown once. Returns the
        accounts made and the names that existed already (left as they are), so that a
        second run creates nothing (``kinlink users create-demo``)."""
        names = [(_check_username(username), role) for username, role in wanted]
        _check_language(language)
        made: list[tuple[UserView, str, str]] = []
        existing: list[str] = []
        with self._write() as (session, repo):
            agency = _get_agency(repo, agency_id)
            for name, role in names:
                if repo.user_named(name) is not None:
                    existing.append(name)
                    continue
                password, secret = passwords.generate_password(), totp.new_secret()
                user = repo.add_user(
                    username=name, password_hash=passwords.hash_password(password),
                    role=role.value, agency_id=agency.id, language=language,
                    totp_secret=secret, totp_confirmed=True, must_change_password=True)
                _audit(session, actor, AuditAction.USER_CREATED, user.id,
                       {"role": role.value, "agency_id": agency.id})
                made.append((_user_view(user, {agency.id: agency.name}, {}, self._clock()),
                             password, secret))
        return ([NewUser(view, password, secret, totp.provisioning_uri(secret, view.username))
                 for view, password, secret in made], existing)

    def update_user(self, actor: str, user_id: int, *, role: UserRole | None = None,
                    agency_id: int | None = None, disabled: bool | None = None,
                    language: str | None = None) -> UserView:
        """Change a user's role, agency, language or whether they may sign in."""
        if language is not None:
            _check_language(language)
        with self._write() as (session, repo):
            user = _get_user(repo, user_id)
            changed = _apply(repo, user, role, agency_id, disabled, language)
            if changed - {"language"}:
                repo.end_sessions(user.id, self._clock(), "changed")
            _audit(session, actor, AuditAction.USER_UPDATED, user.id,
                   {"changed": sorted(changed), "role": user.role,
                    "agency_id": user.agency_id, "disabled": user.disabled})
            return _user_view(user, {a.id: a.name for a in repo.agencies()},
                              _account_counts(session, [user]), self._clock())

    def reset_second_factor(self, actor: str, user_id: int) -> UserView:
        """Forget a user's second factor: they set up a new one at next sign-in."""
        with self._write() as (session, repo):
            user = _get_user(repo, user_id)
            user.totp_secret, user.totp_confirmed, user.totp_last_step = None, False, None
            repo.end_sessions(user.id, self._clock(), "reset")
            _audit(session, actor, AuditAction.USER_SECOND_FACTOR_RESET, user.id, {})
            return _user_view(user, {a.id: a.name for a in repo.agencies()},
                              _account_counts(session, [user]), self._clock())

    def unlock(self, actor: str, user_id: int) -> UserView:
        """Clear an account's failed sign-ins and the wait they imposed."""
        with self._write() as (session, repo):
            user = _get_user(repo, user_id)
            cleared = attempts.clear(session, [throttle.account_key(user.username)])
            _audit(session, actor, AuditAction.USER_UNLOCKED, user.id, {"cleared": cleared})
            return _user_view(user, {a.id: a.name for a in repo.agencies()},
                              _account_counts(session, [user]), self._clock())

    def reset_password(self, actor: str, user_id: int) -> NewUser:
        """Give a user a new generated password (shown once, to be changed at their next
        sign-in) and end their sessions."""
        password = passwords.generate_password()
        with self._write() as (session, repo):
            user = _get_user(repo, user_id)
            user.password_hash = passwords.hash_password(password)
            user.password_changed_at = self._clock()
            user.must_change_password = True
            repo.end_sessions(user.id, self._clock(), "reset")
            _audit(session, actor, AuditAction.USER_PASSWORD_RESET, user.id, {})
            view = _user_view(user, {a.id: a.name for a in repo.agencies()},
                              _account_counts(session, [user]), self._clock())
        return NewUser(view, password)

    def change_own_password(self, user_id: int, current: str, new: str,
                            keep_session: int | None) -> None:
        """A person's own new password (it must meet the policy and differ from the
        current one); their other sessions end; a generated password's mark goes."""
        with self._write() as (session, repo):
            user = _get_user(repo, user_id)
            if not passwords.verify_password(user.password_hash, current):
                rule: str | None = "password_wrong"
            elif new == current:
                rule = "password_unchanged"
            else:
                rule = refusal(new, user.username)
            if rule is not None:
                _audit(session, user.username, AuditAction.USER_PASSWORD_CHANGE_REFUSED,
                       user.id, {"rule": rule})
            else:
                user.password_hash = passwords.hash_password(new)
                user.password_changed_at = self._clock()
                user.must_change_password = False
                repo.end_sessions(user.id, self._clock(), "password", keep=keep_session)
                _audit(session, user.username, AuditAction.USER_PASSWORD_CHANGED, user.id, {})
        if rule == "password_wrong":
            raise InputRefusedError(_CURRENT_PASSWORD_NOT_RIGHT(), "password_wrong")
        if rule is not None:
            raise InputRefusedError(REFUSALS[rule], rule)

    def user_id_named(self, username: str) -> int:
        """The id of a user by user name; :class:`NotFoundError` if there is none."""
        with self._store.transaction() as session:
            user = AccountRepository(session).user_named(username.strip().casefold())
            if user is None:
                raise NotFoundError(_THERE_NO_USER_WITH())
            return user.id

    # agencies
    def create_agency(self, actor: str, name: str) -> AgencyView:
        """A new agency."""
        clean = _check_agency_name(name)
        with self._write() as (session, repo):
            if repo.agency_named(clean) is not None:
                raise ConflictError(_AGENCY_WITH_NAME_EXISTS())
            agency = repo.add_agency(clean)
            _audit(session, actor, AuditAction.AGENCY_CREATED, agency.id, {}, entity="agency")
            return AgencyView(agency.id, agency.name, 0)

    def rename_agency(self, actor: str, agency_id: int, name: str) -> AgencyView:
        """Give an agency a new name."""
        clean = _check_agency_name(name)
        with self._write() as (session, repo):
            agency = _get_agency(repo, agency_id)
            other = repo.agency_named(clean)
            if other is not None and other.id != agency.id:
                raise ConflictError(_AGENCY_WITH_NAME_EXISTS())
            agency.name = clean
            _audit(session, actor, AuditAction.AGENCY_RENAMED, agency.id, {}, entity="agency")
            users = sum(1 for u in repo.users() if u.agency_id == agency.id)
            return AgencyView(agency.id, agency.name, users)

    def agency_id_named(self, name: str) -> int:
        """The id of an agency by exact name; :class:`NotFoundError` if there is none."""
        with self._store.transaction() as session:
            agency = AccountRepository(session).agency_named(name.strip())
            if agency is None:
                raise NotFoundError(_THERE_NO_AGENCY_WITH())
            return agency.id

    # sharing
    def share_source(self, actor: str, actor_agency: int, source_id: int, agency_id: int,
                     *, share: bool) -> bool:
        """Share (or stop sharing) one of ``actor_agency``'s sources with an agency.

        A source of another agency is :class:`NotFoundError`, as if it did not exist,
        and the refusal is audited (``scope.refused``) in a transaction of its own.
        """
        try:
            return self._share_source(actor, actor_agency, source_id, agency_id, share=share)
        except OutOfReachError as refused:
            with self._write() as (session, _repo):
                append_event(session, AuditEvent(actor, AuditAction.SCOPE_REFUSED,
                                                 refused.kind, refused.entity_id,
                                                 {"reason": "out_of_reach"}))
            raise

    def _share_source(self, actor: str, actor_agency: int, source_id: int, agency_id: int,
                      *, share: bool) -> bool:
        with self._write() as (session, repo):
            source = session.get(SourceRow, source_id)
            if (source is None or source.agency_id != actor_agency
                    or source.state != SourceState.READY):
                raise OutOfReachError("source", source_id)
            _get_agency(repo, agency_id)
            if agency_id == source.agency_id:
                raise InputRefusedError(_LIST_ALWAYS_VISIBLE_OWN(),
                                        "share_own_agency")
            changed = (repo.share(source_id, agency_id, actor) if share
                       else repo.unshare(source_id, agency_id))
            if changed:
                append_event(session, AuditEvent(
                    actor, AuditAction.SOURCE_SHARED if share else AuditAction.SOURCE_UNSHARED,
                    "source",
                    str(source_id), {"agency_id": agency_id}))
            return changed


def _apply(repo: AccountRepository, user: UserRow, role: UserRole | None,
           agency_id: int | None, disabled: bool | None, language: str | None) -> set[str]:
    changed: set[str] = set()
    losing_admin = user.role == UserRole.ADMIN and not user.disabled and (
        (role is not None and role != UserRole.ADMIN) or disabled is True)
    if losing_admin and repo.count_role(UserRole.ADMIN) <= 1:
        raise ConflictError(_LAST_ADMINISTRATOR_CANNOT_DEMOTED())
    if role is not None and role.value != user.role:
        user.role, changed = role.value, changed | {"role"}
    if agency_id is not None and agency_id != user.agency_id:
        user.agency_id, changed = _get_agency(repo, agency_id).id, changed | {"agency"}
    if disabled is not None and disabled != user.disabled:
        user.disabled, changed = disabled, changed | {"disabled"}
    if language is not None and language != user.language:
        user.language, changed = language, changed | {"language"}
    return changed


def _check_username(username: str) -> str:
    name = username.strip().casefold()
    if not _USERNAME.fullmatch(name):
        raise InputRefusedError(_USER_NAME_2_64(), "username_invalid")
    return name


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise InputRefusedError(_LANGUAGE_MUST_UK_EN(), "language_invalid")


def _check_agency_name(name: str) -> str:
    clean = " ".join(name.split())
    if not 2 <= len(clean) <= 200 or any(not c.isprintable() for c in clean):
        raise InputRefusedError(_AGENCY_NAME_2_200(),
                                "agency_name_invalid")
    return clean


def _get_user(repo: AccountRepository, user_id: int) -> UserRow:
    user = repo.user(user_id)
    if user is None:
        raise NotFoundError(_THERE_NO_SUCH_USER())
    return user


def _get_agency(repo: AccountRepository, agency_id: int) -> AgencyRow:
    agency = repo.agency(agency_id)
    if agency is None:
        raise NotFoundError(_THERE_NO_SUCH_AGENCY())
    return agency


def _account_counts(session: Session,
                    users: Iterable[UserRow] | None = None) -> dict[str, SignInThrottleRow]:
    """The counts of failed sign-ins of ``users`` (default: every user), by key. Counts
    of names that match no account are never read here."""
    wanted = users if users is not None else AccountRepository(session).users()
    rows = ThrottleRepository(session).rows(throttle.account_key(u.username) for u in wanted)
    return {key: row for (_scope, key), row in rows.items()}


def _user_view(user: UserRow, agencies: dict[int, str], counts: dict[str, SignInThrottleRow],
               now: dt.datetime) -> UserView:
    count = counts.get(throttle.account_key(user.username)[1])
    fresh = count is not None and as_utc(count.last_failure_at) > now - throttle.FORGET_AFTER
    until = as_utc(count.blocked_until) if count is not None and count.blocked_until else None
    return UserView(
        id=user.id, username=user.username, role=UserRole(user.role),
        agency_id=user.agency_id, agency=agencies.get(user.agency_id, ""),
        language=user.language, disabled=user.disabled, second_factor=user.totp_confirmed,
        must_change_password=user.must_change_password,
        failed_sign_ins=count.failures if count is not None and fresh else 0,
        throttled_until=until if until is not None and until > now else None,
        created_at=as_utc(user.created_at))


def _audit(session: Session, actor: str, action: AuditAction, entity_id: int,
           details: dict[str, object], *, entity: str = "user") -> None:
    append_event(session, AuditEvent(actor, action, entity, str(entity_id), details))
