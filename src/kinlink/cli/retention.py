"""``kinlink erase``, ``kinlink holds`` and ``kinlink retention``: letting data go, and
keeping it when a prosecutor or a court needs it (the same use cases as the pages)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import (
    acting,
    friendly_errors,
    local_time,
    ntr,
    out,
    settings,
    store,
    term,
    tr,
)
from kinlink.domain.records import SourceKind
from kinlink.domain.retention import (
    Anchor,
    ErasureKind,
    FieldGroup,
    HoldTarget,
    PlannedErasure,
    RuleSpec,
)
from kinlink.usecases import erasure, holds, retention
from kinlink.usecases.document_access import Evidence
from kinlink.web.labels import (
    ANCHORS,
    CASE_STATUS,
    ERASURE_KINDS,
    FIELD_GROUPS,
    HOLD_TARGETS,
    KINDS,
)

erase_app = typer.Typer(help="Erase personal data on request: a record, a reporter, a list "
                        "or a document. What was there is kept as a tombstone (which "
                        "fields, when, why), never the values.", no_args_is_help=True)
holds_app = typer.Typer(help="Legal holds: what a prosecutor or a court needs kept is never "
                        "erased, by request or by retention, until the hold is lifted.",
                        no_args_is_help=True)
retention_app = typer.Typer(help="Retention rules: how long each group of fields is kept; "
                            "plan what they would erase, run them.", no_args_is_help=True)

IdArg = Annotated[int, typer.Argument(help="The id.", show_default=False)]
Reason = Annotated[str, typer.Option(help="Why (the request, the order).",
                                     show_default=False)]
NoCompact = Annotated[bool, typer.Option("--no-compact", help="Do not compact the store "
                                         "afterwards (erased values stay in its free pages "
                                         "until `kinlink retention compact`).")]


def _erase(kind: ErasureKind, target: int, reason: str, no_compact: bool) -> None:
    config = settings()
    with store(config) as opened:
        done = erasure.erase(Evidence.of(config, opened), acting(config), kind, target,
                             reason, compact_after=not no_compact)
    words = (tr("{what} {id} erased ({fields} fields, {along} more things with it, {files} "
                "files removed).") if no_compact else
             tr("{what} {id} erased ({fields} fields, {along} more things with it, {files} "
                "files removed, store compacted)."))
    out.print(words.format(what=term(ERASURE_KINDS, kind), id=target,
                           fields=len(done.tombstone.fields), along=len(done.along),
                           files=done.files_removed))
    _say_older(done.older_transactions)


def _say_older(older: int) -> None:
    """Warn when transactions older than the compaction were still open: their snapshots
    may have kept erased values in the rewritten files."""
    if older:
        out.print(ntr("{count} transaction older than the compaction was still open: the "
                      "erased values may stay in the database's files until the store is "
                      "compacted again (kinlink retention compact).",
                      "{count} transactions older than the compaction were still open: the "
                      "erased values may stay in the database's files until the store is "
                      "compacted again (kinlink retention compact).", older).format(
                          count=older))


@erase_app.command("record")
@friendly_errors
def erase_record_command(record: IdArg, reason: Reason, no_compact: NoCompact = False
                         ) -> None:
    """Erase a record: its fields and raw cells, reporter, versions, keys, mentions, its
    case's notes and photograph and the documents attached to it or its case."""
    _erase(ErasureKind.RECORD, record, reason, no_compact)


@erase_app.command("reporter")
@friendly_errors
def erase_reporter_command(record: IdArg, reason: Reason, no_compact: NoCompact = False
                           ) -> None:
    """Erase who reported a child (name, relationship, contact, language): the record's id."""
    _erase(ErasureKind.REPORTER, record, reason, no_compact)


@erase_app.command("source")
@friendly_errors
def erase_source_command(source: IdArg, reason: Reason, no_compact: NoCompact = False
                         ) -> None:
    """Erase a whole list: every record of it, its import issues' values, its file name,
    the documents attached to it."""
    _erase(ErasureKind.SOURCE, source, reason, no_compact)


@erase_app.command("document")
@friendly_errors
def erase_document_command(document: IdArg, reason: Reason, no_compact: NoCompact = False
                           ) -> None:
    """Erase an evidence document: its collection record's personal fields, mentions,
    picture hashes, and its files (original, working copy, text) from disk."""
    _erase(ErasureKind.DOCUMENT, document, reason, no_compact)


@holds_app.command("place")
@friendly_errors
def holds_place_command(
    target: Annotated[HoldTarget, typer.Argument(help="What the hold is on.",
                                                 show_default=False)],
    target_id: IdArg,
    reference: Annotated[str, typer.Option(help="The prosecutor's request or court order "
                                           "it answers.", show_default=False)],
    reason: Reason,
) -> None:
    """Place a legal hold (KINLINK_ROLE supervisor)."""
    config = settings()
    with store(config) as opened:
        hold = holds.place_hold(opened, acting(config), target, target_id, reference,
                                reason)
    out.print(tr("Hold {hold} placed on {what} {id}.").format(
        hold=hold.id, what=term(HOLD_TARGETS, target), id=target_id))


@holds_app.command("lift")
@friendly_errors
def holds_lift_command(hold: IdArg, reason: Reason) -> None:
    """Lift a legal hold (KINLINK_ROLE supervisor)."""
    config = settings()
    with store(config) as opened:
        holds.lift_hold(opened, acting(config), hold, reason)
    out.print(tr("Hold {hold} lifted.").format(hold=hold))


@holds_app.command("list")
@friendly_errors
def holds_list_command(
    active: Annotated[bool, typer.Option("--active", help="Only holds in force.")] = False,
) -> None:
    """The legal holds of your agency, newest first."""
    config = settings()
    with store(config) as opened:
        found = holds.list_holds(opened, acting(config), active_only=active)
    table = Table(tr("id"), tr("on"), tr("reference"), tr("reason"), tr("placed"),
                  tr("lifted"), title=tr("Legal holds ({count})").format(count=len(found)),
                  title_justify="left")
    for h in found:
        lifted = (tr("{when} by {who}: {why}").format(
            when=local_time(h.lifted_at, config), who=h.lifted_by, why=h.lift_reason)
            if h.lifted_at else tr("in force"))
        table.add_row(str(h.id), f"{term(HOLD_TARGETS, h.target)} {h.target_id}",
                      h.reference, h.reason,
                      tr("{when} by {who}").format(when=local_time(h.placed_at, config),
                                                    who=h.placed_by), lifted)
    out.print(table)


@retention_app.command("rules")
@friendly_errors
def retention_rules_command() -> None:
    """The retention rules, in force or not."""
    config = settings()
    with store(config) as opened:
        found = retention.retention_rules(opened, acting(config))
    table = Table(tr("id"), tr("group"), tr("kept for"), tr("counted"), tr("list kind"),
                  tr("case status"), tr("in force"), tr("note"), title=tr("Retention rules"),
                  title_justify="left")
    for r in found:
        table.add_row(str(r.id), term(FIELD_GROUPS, r.spec.group),
                      ntr("{count} day", "{count} days", r.spec.keep_days).format(
                          count=r.spec.keep_days),
                      term(ANCHORS, r.spec.anchor),
                      term(KINDS, r.spec.source_kind) if r.spec.source_kind else tr("any"),
                      term(CASE_STATUS, r.spec.case_status) if r.spec.case_status
                      else tr("any"), tr("yes") if r.active else tr("no"),
                      tr(r.spec.note) if r.spec.note else "")
    out.print(table)


@retention_app.command("add")
@friendly_errors
def retention_add_command(
    group: Annotated[FieldGroup, typer.Argument(help="The group of fields.",
                                                show_default=False)],
    days: Annotated[int, typer.Option(help="Kept for this many days.", show_default=False)],
    after: Annotated[Anchor, typer.Option(help="Counted from this moment.",
                                          show_default=False)],
    source_kind: Annotated[SourceKind | None, typer.Option(
        help="Only records of lists of this kind.", show_default=False)] = None,
    case_status: Annotated[str | None, typer.Option(
        help="Only cases in this status.", show_default=False)] = None,
    note: Annotated[str, typer.Option(help="The rule in words (the agreement it follows).",
                                      show_default=False)] = "",
) -> None:
    """Add a retention rule, in force."""
    config = settings()
    spec = RuleSpec(group, after, days, source_kind.value if source_kind else None,
                    case_status, note)
    with store(config) as opened:
        rule = retention.add_rule(opened, acting(config), spec)
    out.print(tr("Rule {rule} added.").format(rule=rule.id))


@retention_app.command("enable")
@friendly_errors
def retention_enable_command(rule: IdArg) -> None:
    """Put a rule in force."""
    config = settings()
    with store(config) as opened:
        retention.set_rule_active(opened, acting(config), rule, True)
    out.print(tr("Rule {rule} is in force.").format(rule=rule))


@retention_app.command("disable")
@friendly_errors
def retention_disable_command(rule: IdArg) -> None:
    """Put a rule out of force."""
    config = settings()
    with store(config) as opened:
        retention.set_rule_active(opened, acting(config), rule, False)
    out.print(tr("Rule {rule} is out of force.").format(rule=rule))


Today = Annotated[str | None, typer.Option(help="Plan as of this day (YYYY-MM-DD); today "
                                           "by default.", show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _print_plan(items: list[PlannedErasure], title: str) -> None:
    table = Table(tr("what"), tr("id"), tr("rule"), tr("due since"), tr("held by"),
                  title=title, title_justify="left")
    for p in items:
        held = (tr("hold {hold} ({reference}), placed by {who}").format(
            hold=p.held_by.id, reference=p.held_by.reference, who=p.held_by.placed_by)
            if p.held_by else "")
        table.add_row(term(ERASURE_KINDS, p.kind), str(p.target_id), str(p.rule_id),
                      p.due_since.isoformat(), held)
    out.print(table)


@retention_app.command("plan")
@friendly_errors
def retention_plan_command(today: Today = None, as_json: AsJson = False) -> None:
    """What the rules in force would erase, and why; changes nothing."""
    config = settings()
    with store(config) as opened:
        found = retention.plan(opened, acting(config), today=_day(today))
    if as_json:
        out.print_json(json.dumps([{"kind": p.kind.value, "id": p.target_id,
                                    "rule": p.rule_id, "due_since": p.due_since.isoformat(),
                                    "hold": p.held_by.id if p.held_by else None}
                                   for p in found]))
        return
    _print_plan(found, tr("Would erase {erased}, held {held}").format(
        erased=sum(p.held_by is None for p in found),
        held=sum(p.held_by is not None for p in found)))


@retention_app.command("run")
@friendly_errors
def retention_run_command(today: Today = None, no_compact: NoCompact = False,
                          as_json: AsJson = False) -> None:
    """Erase what the rules find due, skipping (and naming) what a legal hold keeps."""
    config = settings()
    with store(config) as opened:
        done = retention.run(Evidence.of(config, opened), acting(config), today=_day(today),
                             compact_after=not no_compact)
    if as_json:
        out.print_json(json.dumps(done.as_dict()))
        return
    out.print(tr("Erased {count}.").format(count=len(done.erased)))
    if done.held:
        _print_plan(list(done.held), tr("Kept under legal hold ({count})").format(
            count=len(done.held)))


@retention_app.command("compact")
@friendly_errors
def retention_compact_command() -> None:
    """Compact the store so erased values leave its files (SQLite: VACUUM and an emptied
    log; PostgreSQL: VACUUM FULL)."""
    config = settings()
    with store(config) as opened:
        done = erasure.compact_store(opened, acting(config))
    out.print(ntr("Store compacted ({count} table).", "Store compacted ({count} tables).",
                  len(done.tables)).format(count=len(done.tables)))
    _say_older(done.older_transactions)
