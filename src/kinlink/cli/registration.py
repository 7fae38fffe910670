"""``kinlink records add``, ``withdraw-consent``, ``correct`` and ``versions``: register a
report or a found child, withdraw a reporter's consent, correct a record, see its
versions — the same use cases as the pages and the API (:mod:`kinlink.usecases.
registration`, :mod:`kinlink.usecases.corrections`), run as ``KINLINK_USER`` in the role
``KINLINK_ROLE`` for the agency ``KINLINK_AGENCY``.

The ``records`` group is :data:`kinlink.cli.browse.records_app` (``list``, ``show``) with
these commands added to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kinlink.cli.browse import records_app
from kinlink.cli.context import (
    acting,
    fail,
    friendly_errors,
    ntr,
    out,
    said,
    settings,
    store,
    term,
    tr,
)
from kinlink.domain.records import Role
from kinlink.domain.registration import ConsentInput, IntakeChannel, Registration
from kinlink.errors import FieldsRefusedError
from kinlink.usecases.corrections import correct_record, current_fields, read_version
from kinlink.usecases.registration import record_papers, register_record, withdraw_consent
from kinlink.web.labels import RECORD_FIELDS

__all__ = ["records_app"]


def _opt(text: str) -> Any:
    return typer.Option(help=text, show_default=False)


def _fields_refused(exc: FieldsRefusedError) -> typer.Exit:
    return fail("; ".join(f"{term(RECORD_FIELDS, name)}: {said(message)}"
                          for name, message in sorted(exc.fields.items())))


@records_app.command("add")
@friendly_errors
def add_command(
    found: Annotated[bool, typer.Option(
        "--found", help="A found child (a sighting, a list entry typed by hand) rather "
                        "than a family's report.")] = False,
    surname: Annotated[str, _opt("Surname, any script.")] = "",
    given_name: Annotated[str, _opt("Given name, any script.")] = "",
    patronymic: Annotated[str, _opt("Patronymic (father's name).")] = "",
    full_name: Annotated[str, _opt("The whole name in one, when it is not split.")] = "",
    other_names: Annotated[str, _opt("Other or earlier names.")] = "",
    sex: Annotated[str, _opt("M/F, ч/ж, м/ж.")] = "",
    birth_date: Annotated[str, _opt("YYYY, MM.YYYY or DD.MM.YYYY (or ISO).")] = "",
    birth_place: Annotated[str, _opt("Where the child was born.")] = "",
    last_known_place: Annotated[str, _opt("Where the child was last known to be.")] = "",
    institution: Annotated[str, _opt("The institution the child was taken from or "
                                     "is in.")] = "",
    moved_on: Annotated[str, _opt("When the child was moved from it.")] = "",
    taken_on: Annotated[str, _opt("When the child was taken (or seen).")] = "",
    how: Annotated[str, _opt("How the child was taken (or seen).")] = "",
    documents: Annotated[str, _opt("Documents the family holds.")] = "",
    marks: Annotated[str, _opt("Distinguishing marks.")] = "",
    reporter_name: Annotated[str, _opt("The person reporting (a report).")] = "",
    reporter_relationship: Annotated[str, _opt("Their relationship to the child.")] = "",
    reporter_contact: Annotated[str, _opt("How to reach them.")] = "",
    language: Annotated[str, _opt("The language they speak: uk, ru, en, crh, other.")] = "",
    channel: Annotated[IntakeChannel, typer.Option(help="How the report came in.")]
        = IntakeChannel.HOTLINE,
    no_tracing: Annotated[bool, typer.Option(
        "--no-tracing", help="The reporter does not agree to tracing: kept, never "
                             "matched.")] = False,
    share_with: Annotated[list[int] | None, _opt(
        "Id of a mediation channel of your agency the reporter agrees to share with "
        "(repeat for more).")] = None,
    no_contact: Annotated[bool, typer.Option(
        "--no-contact", help="The reporter does not agree to being contacted.")] = False,
    from_json: Annotated[Path | None, typer.Option(
        "--from-json", help="Read the form from a JSON file: the API's body "
                            "(role, fields, channel, language, consent).",
        show_default=False, exists=True, dir_okay=False)] = None,
) -> None:
    """Register a family's report (or, with --found, a found child), link it at once and
    open the case of a reported child. Fields are read as an import reads them."""
    if from_json is not None:
        form = _from_json(from_json)
    else:
        fields = {
            "surname": surname, "given_name": given_name, "patronymic": patronymic,
            "full_name": full_name, "other_names": other_names, "sex": sex,
            "birth_date": birth_date, "birth_place": birth_place,
            "last_known_place": last_known_place, "institution": institution,
            "moved_on": moved_on, "event_date": taken_on, "notes": how,
            "documents": documents, "marks": marks}
        if not found:
            fields |= {"reporter_name": reporter_name,
                       "reporter_relationship": reporter_relationship,
                       "reporter_contact": reporter_contact}
        form = Registration(Role.FOUND if found else Role.SOUGHT,
                            {k: v for k, v in fields.items() if v}, channel,
                            language or None,
                            ConsentInput(not no_tracing, tuple(share_with or ()),
                                         not no_contact))
    config = settings()
    with store(config) as opened:
        try:
            done = register_record(opened, acting(config), form)
        except FieldsRefusedError as exc:
            raise _fields_refused(exc) from None
    out.print(tr("Registered record {record} (source {source}): candidate pairs: {pairs}, "
                 "cases opened: {cases}.").format(record=done.record_pk,
                                                  source=done.source_id, pairs=done.pairs,
                                                  cases=done.cases_opened))
    if not done.matched:
        out.print(tr("Not matched: no consent to tracing."))
    out.print(tr("See the child: {command}").format(
        command=f"kinlink children show {done.record_pk}"))


def _from_json(path: Path) -> Registration:
    """A registration from the API's JSON body."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        consent = body.get("consent") or {}
        return Registration(
            Role(body.get("role", "sought")),
            {str(k): str(v) for k, v in (body.get("fields") or {}).items()},
            IntakeChannel(body.get("channel", "hotline")), body.get("language"),
            ConsentInput(bool(consent.get("tracing", True)),
                         tuple(int(c) for c in consent.get("channels", ())),
                         bool(consent.get("contact", True))))
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise fail(tr("{file}: not a registration in JSON ({error})").format(
            file=path.name, error=type(exc).__name__)) from None


@records_app.command("withdraw-consent")
@friendly_errors
def withdraw_command(
    record: Annotated[int, typer.Argument(help="The report's record id.", show_default=False)],
    reason: Annotated[str, typer.Option(help="Why the consent is withdrawn.",
                                        show_default=False)],
) -> None:
    """Withdraw the consent of a report: it leaves matching, review and mediation lists."""
    config = settings()
    with store(config) as opened:
        try:
            withdraw_consent(opened, acting(config), record, reason)
        except FieldsRefusedError as exc:
            raise _fields_refused(exc) from None
    out.print(tr("Consent of record {record} withdrawn: it is no longer matched, reviewed "
                 "or put on mediation lists.").format(record=record))


@records_app.command("correct")
@friendly_errors
def correct_command(
    record: Annotated[int, typer.Argument(help="The record's id.", show_default=False)],
    reason: Annotated[str, typer.Option(help="Why the record is corrected (required).",
                                        show_default=False)],
    set_: Annotated[list[str], typer.Option(
        "--set", help="FIELD=VALUE, e.g. birth_date=12.03.2015 (repeat for more; an empty "
                      "value clears the field).", show_default=False)],
    version: Annotated[int | None, typer.Option(
        help="The version you read (default: the current one); refused if the record was "
             "corrected since.", show_default=False)] = None,
) -> None:
    """Correct a record: a new version, the earlier kept; its pairs are scored again."""
    changes: dict[str, str] = {}
    for item in set_:
        name, sep, value = item.partition("=")
        if not sep:
            raise fail(tr("--set {field}: write FIELD=VALUE").format(field=name))
        changes[name.strip()] = value
    config = settings()
    with store(config) as opened:
        actor = acting(config)
        expected = version if version is not None else current_fields(
            opened, actor, record).version
        try:
            done = correct_record(opened, actor, record, changes, reason, expected)
        except FieldsRefusedError as exc:
            raise _fields_refused(exc) from None
    pairs = done.linked.pairs if done.linked else 0
    out.print(ntr("Record {record} is at version {version}; changed: {fields}; {count} pair "
                  "scored again.",
                  "Record {record} is at version {version}; changed: {fields}; {count} pairs "
                  "scored again.", pairs).format(
        record=record, version=done.version,
        fields=", ".join(term(RECORD_FIELDS, name) for name in done.changed), count=pairs))


@records_app.command("versions")
@friendly_errors
def versions_command(
    record: Annotated[int, typer.Argument(help="The record's id.", show_default=False)],
    show: Annotated[int | None, typer.Option(
        help="Show the fields of this version (audited).", show_default=False)] = None,
) -> None:
    """List a record's versions (who corrected it, when, why), or show one."""
    config = settings()
    with store(config) as opened:
        actor = acting(config)
        if show is not None:
            found = read_version(opened, actor, record, show)
            table = Table(tr("field"), tr("value"),
                          title=tr("Record {record}, version {version}").format(
                              record=record, version=found.version))
            for name, value in found.fields.items():
                table.add_row(term(RECORD_FIELDS, name), value or "[dim]—[/]")
            out.print(table)
            return
        papers = record_papers(opened, actor, record)
    table = Table(tr("version"), tr("replaced by"), tr("at"), tr("reason"),
                  title=tr("Record {record}: version {version} now").format(
                      record=record, version=papers.version))
    for kept in papers.versions:
        table.add_row(str(kept.version), kept.changed_by, f"{kept.changed_at:%Y-%m-%d %H:%M}",
                      kept.reason)
    out.print(table if papers.versions else tr(
        "Record {record} was never corrected (version {version}).").format(
            record=record, version=papers.version))
