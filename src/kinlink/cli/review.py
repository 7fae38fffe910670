"""``kinlink review``, ``kinlink children`` and ``kinlink cases``: people decide, cases move."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from kinlink.cli.context import (
    acting,
    friendly_errors,
    language,
    local_time,
    ntr,
    out,
    said,
    settings,
    store,
    term,
    tr,
)
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.decisions import DecisionVerdict
from kinlink.i18n import N_, placed_text
from kinlink.linkage import default_spec
from kinlink.search.records import RecordDetail
from kinlink.usecases.cases import advance_case, open_cases, read_case
from kinlink.usecases.children import possible_identities, read_child
from kinlink.usecases.review import (
    QueueFilter,
    QueueItem,
    decide_pair,
    review_queue,
    undo_decision,
)
from kinlink.web.i18n import translations
from kinlink.web.labels import CASE_STATUS, DECISIONS, EVIDENCE, RECORD_ROLES, SEXES, USER_ROLES
from kinlink.web.verdicts import verdict_words

review_app = typer.Typer(help="Decide whether candidate pairs are the same child.",
                         no_args_is_help=True)
children_app = typer.Typer(help="See a child: every record linked to it.",
                           no_args_is_help=True)
cases_app = typer.Typer(help="Children's cases, from a family's report to reunification.",
                        no_args_is_help=True)


def _actor(config: Settings) -> Actor:
    return acting(config)


def _marks() -> tuple[float, float]:
    """The thresholds a probability is placed against (the automatic link, review)."""
    thresholds = default_spec().thresholds
    return (thresholds.match, thresholds.review)


def _probability(probability: float) -> str:
    """A probability with the precision that places it against the thresholds."""
    return placed_text(probability, _marks())


_IDENTITY_HEADINGS = (N_("rank"), N_("record"), N_("source"), N_("name"), N_("sex"),
                      N_("birth"), N_("birth place"), N_("probability"), N_("weight"),
                      N_("listed for"))
"""The columns of the identities table (translated where they are printed)."""


def _sex(code: str | None) -> str:
    """A sex in words (boy, girl) in the reader's language; empty when unknown."""
    return term(SEXES, code) if code else ""


def _thresholds() -> str:
    match, review = _marks()
    return tr("review from {review}, automatic link from {match}").format(
        review=placed_text(review, (), least=0), match=placed_text(match, (), least=0))


def _side_by_side(item: QueueItem) -> Table:
    low, high = item.low, item.high
    record = tr("record {id} ({role}, source {source})")
    table = Table("", record.format(id=low.id, role=term(RECORD_ROLES, low.role),
                                    source=low.source_id),
                  record.format(id=high.id, role=term(RECORD_ROLES, high.role),
                                source=high.source_id),
                  title=tr("Pair {low} – {high}: probability {probability} ({thresholds})"
                           ).format(low=low.id, high=high.id,
                                    probability=_probability(item.pair.match_probability),
                                    thresholds=_thresholds())
                        + (" " + tr("(someone was unsure)") if item.unsure else ""),
                  title_justify="left")
    rows: list[tuple[str, str, str]] = [
        (N_("name"), low.display_name, high.display_name),
        (N_("sex"), _sex(low.sex), _sex(high.sex)),
        (N_("birth date"), str(low.birth or ""), str(high.birth or "")),
        (N_("birth place"), low.birth_place or "", high.birth_place or ""),
        (N_("last known place"), low.last_known_place or "", high.last_known_place or ""),
    ]
    for label, left, right in rows:
        table.add_row(tr(label), left, right)
    return table


def _explanation(explanation: dict[str, Any]) -> Table:
    table = Table(tr("field"), tr("what the comparison found"), tr("weight"),
                  title_justify="left", title=tr("Why"))
    gettext = translations(language()).gettext
    for field in explanation.get("fields", []):
        weight = float(field.get("weight", 0.0))
        colour = "green" if weight > 0 else "red" if weight < 0 else "dim"
        level = field.get("level")
        said_of = verdict_words(str(field.get("field", "")),
                                None if level is None else str(level),
                                str(field.get("words", "")), gettext, field.get("args"))
        words = said_of.words + (f" — {said_of.detail}" if said_of.detail else "")
        table.add_row(said_of.field, words, f"[{colour}]{weight:+.1f}[/]")
    return table


@review_app.command("next")
@friendly_errors
def next_command(
    source: Annotated[int | None, typer.Option(help="Only pairs with a record of this "
                                               "source.", show_default=False)] = None,
    region: Annotated[str | None, typer.Option(help="Only pairs whose birth or last known "
                                               "place mentions this (e.g. Херсон).",
                                               show_default=False)] = None,
    born_from: Annotated[int | None, typer.Option(help="Only children born this year or "
                                                  "later.", show_default=False)] = None,
    born_to: Annotated[int | None, typer.Option(help="Only children born this year or "
                                                "earlier.", show_default=False)] = None,
    min_score: Annotated[float | None, typer.Option(help="Only pairs at least this "
                                                    "probable (0–1).", show_default=False)]
        = None,
    record: Annotated[int | None, typer.Option(help="Only the pairs of this record (a "
                                               "child's candidates).", show_default=False)]
        = None,
    limit: Annotated[int, typer.Option(help="How many pairs to show.")] = 3,
) -> None:
    """Show the next pairs to decide, most useful first: a reported child with a strong
    candidate before a weak pair between two found lists. Each pair is shown side by side
    with the reasons, field by field. Decide with `kinlink review decide A B same`."""
    config = settings()
    with store(config) as opened:
        items = review_queue(opened, _actor(config), QueueFilter(
            source, region, born_from, born_to, min_score, (record,) if record else None),
            limit)
    if not items:
        out.print(tr("Nothing to review: every candidate pair has a decision."))
        return
    for item in items:
        out.print(_side_by_side(item))
        out.print(_explanation(item.pair.explanation))
        out.print(tr("Decide:") + f" kinlink review decide {item.low.id} {item.high.id} "
                  f"same|different|unsure --note \"…\"\n")


@review_app.command("decide")
@friendly_errors
def decide_command(
    first: Annotated[int, typer.Argument(help="One record's id.", show_default=False)],
    second: Annotated[int, typer.Argument(help="The other record's id.", show_default=False)],
    verdict: Annotated[DecisionVerdict, typer.Argument(
        help="same, different or unsure.", show_default=False)],
    note: Annotated[str | None, typer.Option(help="Why (kept with the decision).",
                                             show_default=False)] = None,
) -> None:
    """Decide whether two records are the same child. A new decision supersedes the old
    one, which stays in history; a pair decided different is never suggested again, and
    no model run changes a person's decision."""
    config = settings()
    with store(config) as opened:
        outcome = decide_pair(opened, _actor(config), first, second, verdict, note)
    row, opened_cases = outcome.decision, outcome.cases_opened
    verdict_said = term(DECISIONS, row.verdict)
    if row.supersedes_id:
        out.print(tr("Decision {decision}: records {low} and {high} — {verdict} (supersedes "
                     "decision {earlier}).").format(
            decision=row.id, low=row.record_low, high=row.record_high, verdict=verdict_said,
            earlier=row.supersedes_id))
    else:
        out.print(tr("Decision {decision}: records {low} and {high} — {verdict}.").format(
            decision=row.id, low=row.record_low, high=row.record_high, verdict=verdict_said))
    if opened_cases:
        out.print(ntr("{count} new case opened.", "{count} new cases opened.",
                      opened_cases).format(count=opened_cases))


@review_app.command("undo")
@friendly_errors
def undo_command(
    first: Annotated[int, typer.Argument(help="One record's id.", show_default=False)],
    second: Annotated[int, typer.Argument(help="The other record's id.", show_default=False)],
    note: Annotated[str | None, typer.Option(help="Why.", show_default=False)] = None,
) -> None:
    """Take back the decision in force on two records: a new decision restores the one
    before it (or none). Nothing is deleted."""
    config = settings()
    with store(config) as opened:
        row = undo_decision(opened, _actor(config), first, second, note).decision
    out.print(tr("Decision {decision}: records {low} and {high} are back to: {verdict}.").format(
        decision=row.id, low=row.record_low, high=row.record_high,
        verdict=term(DECISIONS, row.verdict)))


def _records_table(records: list[RecordDetail], title: str) -> Table:
    table = Table(tr("record"), tr("source"), tr("role"), "record_id", tr("name"), tr("sex"),
                  tr("birth"), tr("birth place"), tr("last known place"), title=title,
                  title_justify="left")
    for r in records:
        table.add_row(str(r.id), str(r.source.id), term(RECORD_ROLES, r.role), r.record_id,
                      r.display_name, _sex(r.sex),
                      str(r.birth or ""), r.birth_place or "",
                      r.last_known_place or "")
    return table


@children_app.command("show")
@friendly_errors
def child_command(
    record: Annotated[int, typer.Argument(help="Any record of the child.",
                                          show_default=False)],
) -> None:
    """Show a child: every record linked to this one by people's decisions and by
    automatic links, rebuilt from them each time. A conflict (records joined by a chain
    of links that a person decided are different) is shown, never merged silently."""
    config = settings()
    with store(config) as opened:
        found = read_child(opened, _actor(config), record)
    out.print(_records_table(found.records, ntr(
        "Child of record {record}: {count} record", "Child of record {record}: {count} records",
        len(found.records)).format(record=record, count=len(found.records))))
    if found.hidden:
        out.print(ntr("{count} more record in lists your agency does not see.",
                      "{count} more records in lists your agency does not see.",
                      found.hidden).format(count=found.hidden))
    for pair in found.cluster.conflicts:
        out.print(tr("[bold red]Conflict[/]: records {low} and {high} were decided different "
                     "but are joined by links; review them.").format(low=pair.low,
                                                                     high=pair.high))
    for case in found.cases:
        out.print(tr("Case {case}: {status} (version {version}).").format(
            case=case.id, status=term(CASE_STATUS, case.status), version=case.version))


@children_app.command("identities")
@friendly_errors
def identities_command(
    record: Annotated[int, typer.Argument(help="A record of the child (a reported child's "
                                               "record looks among found ones).",
                                          show_default=False)],
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many to show of each "
                                                           "section.")] = 25,
    why: Annotated[int, typer.Option(min=0, help="Explain the first N of each section, "
                                                  "field by field.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Records this child may be under another identity: an adoption can replace the
    surname, patronymic, given name and birthplace and move the birth date by up to
    three months, leaving too little for the review queue. Records of the other role
    whose sex does not contradict the child's (not already the child's, not decided to
    be another child) are listed when born within three months of the child or — a birth
    date missing on either record — when the given name, a place or a brother's or
    sister's age gap ties them to it. The two are ranked apart by the model's own
    comparisons, strongest first, each with why it is listed — where to start comparing
    photographs and documents. Audited like reading the child's file."""
    config = settings()
    with store(config) as opened:
        found = possible_identities(opened, _actor(config), record, limit=limit)
    if as_json:
        print(json.dumps({
            "record": record, "considered": found.considered, "in_window": found.listed,
            "cut": found.cut, "model_version": found.model_version,
            "candidates": [{"record": c.record.id, "source": c.record.source_id,
                            "record_id": c.record.record_id,
                            "probability": c.probability, "weight": round(c.weight, 2),
                            "listed_for": [{"reason": r.code, "words": r.words}
                                           for r in c.listed_for],
                            "explanation": c.explanation.as_dict()}
                           for c in found.candidates]}, ensure_ascii=False))
        return
    child = found.child
    out.print(ntr("Record {record}: {name}, born {birth}. {considered} record of the "
                  "other role compared, {listed} listed, ranked with model {model} "
                  "({thresholds}).",
                  "Record {record}: {name}, born {birth}. {considered} records of the "
                  "other role compared, {listed} listed, ranked with model {model} "
                  "({thresholds}).", found.considered).format(
        record=record, name=child.display_name, birth=child.birth or "—",
        considered=found.considered, listed=found.listed, model=found.model_version,
        thresholds=_thresholds()))
    if found.cut:
        out.print("[yellow]" + tr("Note:") + "[/] " + tr(
            "more records could be compared than the {count} that were (those born nearest "
            "first).").format(count=found.considered))
    for by_date, title in (
            (True, N_("Born within three months of the child, strongest first")),
            (False, N_("Without a birth date on one record, strongest first"))):
        section = [c for c in found.candidates if c.by_date == by_date]
        if not section:
            continue
        table = Table(*(tr(h) for h in _IDENTITY_HEADINGS), title=tr(title),
                      title_justify="left")
        for rank, c in enumerate(section, 1):
            r = c.record
            table.add_row(str(rank), str(r.id), str(r.source_id), r.display_name,
                          _sex(r.sex), str(r.birth or ""), r.birth_place or "",
                          _probability(c.probability), f"{c.weight:+.1f}",
                          "; ".join(said(reason.words) for reason in c.listed_for))
        out.print(table)
        for rank, c in enumerate(section[:why], 1):
            explained = _explanation(c.explanation.as_dict())
            explained.title = tr("Why candidate {rank} (record {record})").format(
                rank=rank, record=c.record.id)
            out.print(explained)
            out.print(tr("Listed because:") + " "
                      + "; ".join(said(r.words) for r in c.listed_for) + ".")
    if found.candidates:
        out.print(tr("Decide after comparing photographs and documents:")
                  + f" `kinlink review decide {record} RECORD same|different|unsure --note …`.")


@cases_app.command("open")
@friendly_errors
def cases_open_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Open a case for every reported child that has none yet (one per child: a report
    already joined to a child with a case gets none). Imports and decisions open cases
    themselves; this catches up a store filled with `--no-link`. Needs a role that may
    move cases (KINLINK_ROLE supervisor, case_worker or mediator_liaison); the cases are
    written a thousand at a time, so the web goes on answering meanwhile."""
    config = settings()
    with store(config) as opened:
        count = open_cases(opened, _actor(config))
    if as_json:
        print(json.dumps({"cases_opened": count}))
    else:
        out.print(ntr("{count} case opened.", "{count} cases opened.", count).format(
            count=count))


@cases_app.command("show")
@friendly_errors
def cases_show_command(
    case: Annotated[int, typer.Argument(help="The case's id.", show_default=False)],
) -> None:
    """Show a case: status, version, history with reasons and evidence, and the child's
    records."""
    config = settings()
    with store(config) as opened:
        found = read_case(opened, _actor(config), case)
    out.print(tr("Case {case}: [bold]{status}[/] (version {version})").format(
        case=found.case.id, status=term(CASE_STATUS, found.case.status),
        version=found.case.version))
    history = Table(tr("when"), tr("from"), tr("to"), tr("who"), tr("role"), tr("reason"),
                    tr("evidence"), title=tr("History"), title_justify="left")
    for event in found.history:
        evidence = (f"{term(EVIDENCE, event.evidence_kind)}: {event.evidence_ref or ''}"
                    if event.evidence_kind else "")
        history.add_row(local_time(event.at, config),
                        term(CASE_STATUS, event.from_status) if event.from_status else "",
                        term(CASE_STATUS, event.to_status), event.actor,
                        term(USER_ROLES, event.role), said(event.reason), evidence)
    out.print(history)
    out.print(_records_table(found.records, tr("The child's records")))
    if found.child.in_conflict:
        out.print(tr("[bold red]The child's records are in conflict[/]: see `kinlink "
                     "children show {record}`.").format(record=found.case.sought_record_pk))


@cases_app.command("advance")
@friendly_errors
def cases_advance_command(
    case: Annotated[int, typer.Argument(help="The case's id.", show_default=False)],
    to: Annotated[CaseStatus, typer.Option(help="The status to move to.",
                                           show_default=False)],
    version: Annotated[int, typer.Option(help="The case's version as you read it (from "
                                         "`kinlink cases show`): if someone changed the "
                                         "case since, nothing is overwritten.",
                                         show_default=False)],
    reason: Annotated[str, typer.Option(help="Why (always required).", show_default=False)],
    evidence: Annotated[EvidenceKind | None, typer.Option(
        help="The kind of evidence the step needs.", show_default=False)] = None,
    evidence_ref: Annotated[str | None, typer.Option(
        help="Where the evidence is (document number, file, reference).",
        show_default=False)] = None,
) -> None:
    """Move a case one step: reported → located → identity_verified → return_requested →
    in_return → returned → reunited, or close it (found_with_family, reached_adulthood,
    deceased, withdrawn). Each step names the roles allowed (KINLINK_ROLE) and the
    evidence it needs."""
    config = settings()
    with store(config) as opened:
        moved = advance_case(opened, _actor(config), case, version, to, reason, evidence,
                             evidence_ref)
    out.print(tr("Case {case} is now: {status} (version {version}).").format(
        case=moved.id, status=term(CASE_STATUS, moved.status), version=moved.version))
