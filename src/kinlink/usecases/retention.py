"""Retention rules: list and set them, plan what they would erase, and run them.

``kinlink retention rules|add|enable|disable|plan|run`` and the retention page. A plan
(audited ``retention.planned``) lists what each rule in force finds due and not erased
yet, why (the rule) and since when, and which legal hold keeps an item; it changes
nothing. A run (audited ``retention.run``) erases the due items that no hold covers,
each through :func:`kinlink.usecases.erasure.erase_in` in a transaction of its own
(``data.erased`` with the rule and basis ``retention``, or ``consent_withdrawn`` for the
rule on withdrawn reports — P10: sharing stopped at the withdrawal, erasure follows the
rule), skips the held ones and says so, then compacts the store.

An agency's supervisor plans and runs for the agency's own data; the operator on the
server (no agency) for every agency's.

A rule is of one agency or of every agency. The rules a supervisor adds apply to their
agency's data only, and only their agency changes them: another agency's rule is out of
reach (answered as missing, ``scope.refused``). The store-wide rules (the defaults, and
the rules an administrator or the operator adds) apply to every agency's data and only an
administrator or the operator changes them: one agency's supervisor may not put out of
force what erases another agency's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, require
from kinlink.domain.retention import (
    Anchor,
    ErasureBasis,
    ErasureKind,
    PlannedErasure,
    RetentionRule,
    RuleSpec,
    Tombstone,
)
from kinlink.domain.users import UserRole
from kinlink.errors import AccessDeniedError, FieldsRefusedError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session, Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.erasure import ErasureRepository
from kinlink.storage.retention import RetentionRepository
from kinlink.usecases.document_access import Evidence
from kinlink.usecases.erasure import (
    compact_store,
    erase_in,
    erased_already,
    holds_on,
    in_ledger,
    remove_blobs,
)
from kinlink.usecases.scope import within_reach

__all__ = ["RetentionRun", "add_rule", "plan", "retention_rules", "run", "set_rule_active"]

STORE_WIDE = Wording("retention.store_wide", N_(
    "retention rule {id} applies to every agency's data: only an administrator changes it"))
DAYS_POSITIVE = Wording("retention.days_positive", N_("give a number of days, 1 or more"))


@dataclass(frozen=True)
class RetentionRun:
    """What a run did: the erasures made and the items skipped because a hold covers them."""

    erased: tuple[tuple[PlannedErasure, Tombstone], ...]
    held: tuple[PlannedErasure, ...]

    def as_dict(self) -> dict[str, object]:
        """Counts and ids only."""
        return {"erased": [{"kind": p.kind.value, "id": p.target_id, "rule": p.rule_id}
                           for p, _ in self.erased],
                "held": [{"kind": p.kind.value, "id": p.target_id, "rule": p.rule_id,
                          "hold": p.held_by.id if p.held_by else None} for p in self.held]}


def retention_rules(store: Store, actor: Actor) -> list[RetentionRule]:
    """Every retention rule, in force or not, in the order they were set."""
    require(actor, Action.RETENTION_VIEW)
    with store.transaction() as session:
        return RetentionRepository(session).rules(agency_id=actor.agency_id)


def _store_wide(actor: Actor) -> bool:
    """Whether the actor sets and changes the rules of every agency's data."""
    return actor.agency_id is None or actor.role is UserRole.ADMIN


def add_rule(store: Store, actor: Actor, spec: RuleSpec, *,
             now: dt.datetime | None = None) -> RetentionRule:
    """Add a rule in force (audited ``retention.rule_set``)."""
    require(actor, Action.RETENTION_MANAGE)
    if spec.keep_days < 1:
        raise FieldsRefusedError({"keep_days": DAYS_POSITIVE()})
    with store.transaction() as session:
        begin_write(session)
        rule = RetentionRepository(session).add(
            spec, by=actor.name, at=now or dt.datetime.now(dt.UTC),
            agency_id=None if _store_wide(actor) else actor.agency_id)
        _audit_rule(session, actor, rule)
    return rule


def set_rule_active(store: Store, actor: Actor, rule_id: int, active: bool) -> RetentionRule:
    """Put a rule in or out of force (audited ``retention.rule_set``): a rule of the
    actor's agency, or a store-wide one for an administrator (see the module)."""
    require(actor, Action.RETENTION_MANAGE)
    with within_reach(store, actor) as (session, reach):
        begin_write(session)
        repo = RetentionRepository(session)
        found = repo.get(rule_id)
        if found is None or (found.agency_id is not None and not reach.owns(found.agency_id)):
            raise OutOfReachError("retention_rule", rule_id)
        if found.agency_id is None and not _store_wide(actor):
            raise AccessDeniedError(STORE_WIDE(id=rule_id))
        repo.set_active(rule_id, active, by=actor.name, at=dt.datetime.now(dt.UTC))
        rule = repo.get(rule_id)
        assert rule is not None
        _audit_rule(session, actor, rule)
    return rule


def _audit_rule(session: Session, actor: Actor, rule: RetentionRule) -> None:
    append_event(session, AuditEvent(actor.name, AuditAction.RETENTION_RULE_SET,
                                     "retention_rule", str(rule.id), {
                                         "group": rule.spec.group.value,
                                         "anchor": rule.spec.anchor.value,
                                         "days": rule.spec.keep_days,
                                         "active": rule.active}))


def _planned(session: Session, actor: Actor, today: dt.date) -> list[PlannedErasure]:
    repo = RetentionRepository(session)
    erasures = ErasureRepository(session)
    erased_records = erasures.erased(ErasureKind.RECORD)
    seen: set[tuple[ErasureKind, int]] = set()
    found: list[PlannedErasure] = []
    for rule in repo.rules(active_only=True, agency_id=actor.agency_id):
        for due in repo.due(rule, today):
            key = (due.kind, due.target_id)
            if key in seen or (actor.agency_id is not None
                               and due.agency_id != actor.agency_id):
                continue
            seen.add(key)
            if erased_already(session, due.kind, due.target_id) is not None or (
                    due.kind is ErasureKind.REPORTER and due.target_id in erased_records):
                continue
            holds = holds_on(session, due.kind, due.target_id)
            found.append(PlannedErasure(due.kind, due.target_id, rule.id, due.due_since,
                                        due.agency_id, holds[0] if holds else None))
    return found


def plan(store: Store, actor: Actor, *, today: dt.date | None = None) -> list[PlannedErasure]:
    """What the rules in force would erase on ``today`` (and what a hold keeps); nothing
    is changed (audited ``retention.planned`` with the counts)."""
    require(actor, Action.RETENTION_MANAGE)
    with store.transaction() as session:
        begin_write(session)
        found = _planned(session, actor, today or dt.date.today())
        append_event(session, AuditEvent(actor.name, AuditAction.RETENTION_PLANNED,
                                         "retention", None, {
                                             "due": len(found),
                                             "held": sum(p.held_by is not None
                                                         for p in found)}))
    return found


def run(evidence: Evidence, actor: Actor, *, today: dt.date | None = None,
        compact_after: bool = True) -> RetentionRun:
    """Erase what the rules find due, skipping what a hold covers (see the module)."""
    require(actor, Action.RETENTION_MANAGE)
    store = evidence.store
    with store.transaction() as session:
        planned = _planned(session, actor, today or dt.date.today())
        rules = {r.id: r for r in RetentionRepository(session).rules()}
    erased: list[tuple[PlannedErasure, Tombstone]] = []
    held: list[PlannedErasure] = []
    tables: set[str] = set()
    for item in planned:
        with store.transaction() as session:
            begin_write(session)
            holds = holds_on(session, item.kind, item.target_id)
            if holds or erased_already(session, item.kind, item.target_id) is not None:
                if holds:
                    held.append(PlannedErasure(item.kind, item.target_id, item.rule_id,
                                               item.due_since, item.agency_id, holds[0]))
                continue
            rule = rules[item.rule_id]
            basis = (ErasureBasis.CONSENT_WITHDRAWN
                     if rule.spec.anchor is Anchor.CONSENT_WITHDRAWN
                     else ErasureBasis.RETENTION)
            done = erase_in(session, actor, item.kind, item.target_id,
                            f"retention rule {rule.id}: {rule.spec.note}".strip(": "),
                            basis=basis, rule_id=rule.id)
        in_ledger(evidence, done)
        remove_blobs(evidence, done.blobs)
        tables |= done.tables
        erased.append((item, done.tombstone))
    with store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.RETENTION_RUN, "retention",
                                         None, {"erased": len(erased), "held": len(held)}))
    if compact_after and erased:
        compact_store(store, actor, tables)
    return RetentionRun(tuple(erased), tuple(held))
