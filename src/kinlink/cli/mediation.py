"""``kinlink channels``, ``kinlink lists`` and ``kinlink answers``: lists for mediators.

A channel is defined once with the fields it may receive; lists are built from verified
cases, exported encrypted, sent; the other side's answers are imported, reconciled and
applied to cases through the workflow.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import (
    acting,
    err_console,
    fail,
    friendly_errors,
    local_day,
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
from kinlink.domain.cases import CaseStatus
from kinlink.domain.mediation import (
    DEFAULT_FORMATS,
    AnswerAction,
    ChannelKind,
    ExportFormat,
    ListField,
)
from kinlink.errors import FILE_UNREADABLE
from kinlink.i18n import os_problem
from kinlink.usecases import answers, channels, lists
from kinlink.web.labels import (
    ANSWER_HOW,
    ANSWER_OUTCOMES,
    ANSWER_STATES,
    ANSWER_STATUS,
    APPLY_RESULTS,
    CASE_STATUS,
    CHANNEL_KINDS,
    EXPORT_FORMATS,
    LIST_STATUS,
)

channels_app = typer.Typer(help="Mediation channels and what each may receive.",
                           no_args_is_help=True)
lists_app = typer.Typer(help="Lists of children for a channel: build, export, send.",
                        no_args_is_help=True)
answers_app = typer.Typer(help="The other side's answers to a list: import, reconcile, "
                          "apply.", no_args_is_help=True)

_FIELDS_HELP = "Comma-separated fields the channel may receive: " + ", ".join(ListField)


def _actor(config: Settings) -> Actor:
    return acting(config)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise fail(FILE_UNREADABLE(name=path.name, strerror=os_problem(exc))) from None


def _fields(text: str) -> list[ListField]:
    fields = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            fields.append(ListField(part))
        except ValueError:
            raise fail(tr("unknown field {field}: use {fields}").format(
                field=repr(part), fields=", ".join(ListField))) from None
    return fields


def _formats(text: str) -> list[ExportFormat]:
    formats = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            formats.append(ExportFormat(part))
        except ValueError:
            raise fail(tr("unknown export format {format}: use {formats}").format(
                format=repr(part), formats=", ".join(ExportFormat))) from None
    return formats


@channels_app.command("add")
@friendly_errors
def channel_add_command(
    name: Annotated[str, typer.Argument(help="The channel's name, e.g. \"Qatar mediation\".",
                                        show_default=False)],
    fields: Annotated[str, typer.Option(help=_FIELDS_HELP, show_default=False)],
    kind: Annotated[ChannelKind, typer.Option(help="Who the channel is.")]
        = ChannelKind.STATE_MEDIATOR,
    description: Annotated[str | None, typer.Option(help="Who the channel is, how lists "
                                                    "travel.", show_default=False)] = None,
) -> None:
    """Define a channel and the only fields its lists and dossiers may carry (data
    minimisation: a field not named here never leaves kinlink through this channel).
    Supervisors only."""
    config = settings()
    with store(config) as opened:
        made = channels.create_channel(opened, _actor(config), name, kind, _fields(fields),
                                       description)
    out.print(tr("Channel {channel} {name} receives: {fields}.").format(
        channel=made.id, name=repr(made.name), fields=", ".join(made.fields)))


@channels_app.command("list")
@friendly_errors
def channel_list_command() -> None:
    """Every channel: what it may receive, its lists and the children waiting longest
    for an answer."""
    config = settings()
    with store(config) as opened:
        tracks = channels.track_channels(opened, _actor(config))
    table = Table(tr("channel"), tr("name"), tr("kind"), tr("fields"), tr("lists"),
                  tr("children sent"), tr("answered"), tr("waiting"),
                  tr("longest wait (days)"), title=tr("Channels"))
    for t in tracks:
        sent = sum(x.children for x in t.lists if x.sent_at)
        table.add_row(str(t.channel.id), t.channel.name,
                      term(CHANNEL_KINDS, t.channel.kind),
                      ", ".join(t.channel.fields), str(len(t.lists)), str(sent),
                      str(sum(x.answered for x in t.lists)), str(len(t.waiting)),
                      str(t.waiting[0].days) if t.waiting else "")
    out.print(table)


@channels_app.command("track")
@friendly_errors
def channel_track_command(
    channel: Annotated[int, typer.Argument(help="The channel's id.", show_default=False)],
    waiting: Annotated[int, typer.Option(help="How many waiting children to show.")] = 20,
) -> None:
    """One channel: each list (sent when, by whom, answered how far) and the children who
    have waited longest without an answer."""
    config = settings()
    with store(config) as opened:
        t = channels.track_channel(opened, _actor(config), channel)
    table = Table(tr("list"), tr("status"), tr("created"), tr("sent"), tr("by"),
                  tr("children"), tr("answered"), tr("answer files"), tr("exports"),
                  title=tr("Channel {name}").format(name=t.channel.name))
    for x in t.lists:
        table.add_row(x.number, term(LIST_STATUS, x.status), local_day(x.created_at, config),
                      local_day(x.sent_at, config) if x.sent_at else "", x.sent_by or "",
                      str(x.children), str(x.answered), str(x.answer_files), str(x.exports))
    out.print(table)
    if t.waiting:
        wait = Table(tr("reference"), tr("case"), tr("list"), tr("sent"), tr("days waiting"),
                     title=tr("Waiting longest for an answer"))
        for w in t.waiting[:waiting]:
            wait.add_row(w.reference, str(w.case_id), w.list_number, local_day(w.sent_at, config),
                         str(w.days))
        out.print(wait)


@lists_app.command("new")
@friendly_errors
def list_new_command(
    channel: Annotated[int, typer.Option(help="The channel's id.", show_default=False)],
    note: Annotated[str | None, typer.Option(help="What the list is for.",
                                             show_default=False)] = None,
) -> None:
    """Start a draft list for a channel."""
    config = settings()
    with store(config) as opened:
        made = lists.new_list(opened, _actor(config), channel, note).list
    out.print(tr("List {list} ({number}) started for channel {channel}. Add children with "
                 "`kinlink lists add {list} CASE…` (see `kinlink lists candidates`).").format(
        list=made.id, number=made.number, channel=channel))


@lists_app.command("candidates")
@friendly_errors
def list_candidates_command(
    status: Annotated[list[CaseStatus] | None, typer.Option(
        help="Case status (repeat for several); identity_verified by default.",
        show_default=False)] = None,
    born_from: Annotated[int | None, typer.Option(help="Born this year or later.",
                                                  show_default=False)] = None,
    born_to: Annotated[int | None, typer.Option(help="Born this year or earlier.",
                                                show_default=False)] = None,
    place: Annotated[str | None, typer.Option(help="Birthplace or last known place "
                                              "contains this.", show_default=False)] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 200,
) -> None:
    """Cases that may go on a list (verified ones by default), with the lists they are
    already on."""
    config = settings()
    with store(config) as opened:
        found = lists.list_candidates(opened, _actor(config), tuple(status or (
            CaseStatus.IDENTITY_VERIFIED,)), born_from=born_from, born_to=born_to,
            place=place, limit=limit)
    table = Table(tr("case"), tr("status"), tr("name"), tr("born"), tr("birth place"),
                  tr("on lists"), title=tr("Candidates ({count})").format(count=len(found)))
    for c in found:
        table.add_row(str(c.case_id), term(CASE_STATUS, c.status), c.name, c.birth_date or "",
                      c.birth_place or "", ", ".join(c.on_lists))
    out.print(table)


@lists_app.command("add")
@friendly_errors
def list_add_command(
    list_id: Annotated[int, typer.Argument(help="The list's id.", show_default=False)],
    cases: Annotated[list[int], typer.Argument(help="Case ids.", show_default=False)],
) -> None:
    """Put cases on a draft list; each child gets a reference answers are matched by."""
    config = settings()
    with store(config) as opened:
        added = lists.add_to_list(opened, _actor(config), list_id, cases)
    for item in added:
        out.print(tr("case {case} → {reference}").format(case=item.case_id,
                                                          reference=item.reference))


@lists_app.command("remove")
@friendly_errors
def list_remove_command(
    list_id: Annotated[int, typer.Argument(help="The list's id.", show_default=False)],
    case: Annotated[int, typer.Argument(help="The case's id.", show_default=False)],
) -> None:
    """Take a case off a draft list."""
    config = settings()
    with store(config) as opened:
        lists.remove_from_list(opened, _actor(config), list_id, case)
    out.print(tr("Case {case} is off list {list}.").format(case=case, list=list_id))


@lists_app.command("show")
@friendly_errors
def list_show_command(
    list_id: Annotated[int, typer.Argument(help="The list's id.", show_default=False)],
) -> None:
    """A list as its channel receives it: only the channel's fields."""
    config = settings()
    with store(config) as opened:
        view = lists.read_list(opened, _actor(config), list_id)
    columns = view.columns
    table = Table(tr("reference"), tr("case"), *columns,
                  title=tr("{number} for {channel}: {status}, version {version}, children: "
                           "{children}, exports: {exports}").format(
                      number=view.number, channel=view.channel.name,
                      status=term(LIST_STATUS, view.list.status), version=view.list.version,
                      children=len(view.children), exports=view.exports))
    for child in view.children:
        table.add_row(child.reference, str(child.case_id),
                      *(child.values.get(c, "") for c in columns))
    out.print(table)


@lists_app.command("export")
@friendly_errors
def list_export_command(
    list_id: Annotated[int, typer.Argument(help="The list's id.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="The encrypted ZIP to write.",
                                         show_default=False)],
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: " +
                                         ", ".join(ExportFormat))] = ",".join(DEFAULT_FORMATS),
) -> None:
    """Export a list as an AES-256 encrypted ZIP (XLSX, CSV, printable PDF, per-child
    dossiers). The passphrase is printed once and never stored: pass it to the recipient
    by another way than the file. The file's SHA-256 is kept and audited."""
    config = settings()
    if output.exists():
        raise fail(tr("{file} exists already: choose another name").format(file=output))
    chosen = _formats(formats)
    with store(config) as opened:
        result = lists.export_list(opened, _actor(config), list_id, chosen)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(result.data)
    out.print(ntr("Written {file}: {count} child in {contents}.",
                  "Written {file}: {count} children in {contents}.", result.children).format(
        file=output, count=result.children,
        contents=", ".join(term(EXPORT_FORMATS, c) for c in result.contents)))
    out.print(f"SHA-256 {result.sha256}")
    err_console.print("[bold]" + tr("Passphrase (shown once, not stored):") + "[/] "
                      + result.passphrase)


@lists_app.command("send")
@friendly_errors
def list_send_command(
    list_id: Annotated[int, typer.Argument(help="The list's id.", show_default=False)],
    version: Annotated[int, typer.Option(help="The list's version as you last saw it "
                                         "(`kinlink lists show`).", show_default=False)],
) -> None:
    """Mark a list sent: its content is frozen as sent, and each verified case on it
    moves to return_requested with the list as evidence."""
    config = settings()
    with store(config) as opened:
        result = lists.send_list(opened, _actor(config), list_id, version)
    out.print(ntr("{number} sent: {count} case now {status}.",
                  "{number} sent: {count} cases now {status}.", len(result.moved)).format(
        number=result.list_number, count=len(result.moved),
        status=term(CASE_STATUS, CaseStatus.RETURN_REQUESTED)))
    for stayed in result.stayed:
        out.print("  " + tr("case {case} stayed: {reason}").format(
            case=stayed.case_id, reason=said(stayed.reason)))


@lists_app.command("photo")
@friendly_errors
def list_photo_command(
    case: Annotated[int, typer.Argument(help="The case's id.", show_default=False)],
    photo: Annotated[Path, typer.Argument(help="A PNG or JPEG file.", show_default=False)],
) -> None:
    """Attach a photograph to a case, for the dossiers of channels that may receive it."""
    config = settings()
    content = _read(photo)
    with store(config) as opened:
        attached = lists.attach_photo(opened, _actor(config), case, content)
    out.print(tr("Photograph attached to case {case} (SHA-256 {sha256}…).").format(
        case=case, sha256=attached.sha256[:16]))


@answers_app.command("import")
@friendly_errors
def answers_import_command(
    list_id: Annotated[int, typer.Argument(help="The sent list's id.", show_default=False)],
    path: Annotated[Path, typer.Argument(help="The answer file (CSV or XLSX).",
                                         show_default=False)],
    force: Annotated[bool, typer.Option(help="Import a file seen before again.")] = False,
) -> None:
    """Import the other side's answer: rows are matched to the list by reference, or by
    names re-typed in any script with the linkage engine. Nothing moves yet: see
    `kinlink answers show`, then `kinlink answers apply`."""
    config = settings()
    content = _read(path)
    with store(config) as opened:
        summary = answers.import_answers(opened, _actor(config), list_id, path.name, content,
                                         force=force)
    counts = asdict(summary.counts)
    missing = counts.pop("missing", 0)
    out.print(ntr("Answer file for {number}: {count} row — {counts}.",
                  "Answer file for {number}: {count} rows — {counts}.", summary.rows).format(
        number=summary.list_number, count=summary.rows, counts=", ".join(
            [f"{term(ANSWER_OUTCOMES, k)} {n}" for k, n in counts.items()]
            + [f"{tr('not mentioned')} {missing}"])))
    for issue in summary.issues:
        out.print(f"[yellow]{said(issue)}[/]")


@answers_app.command("show")
@friendly_errors
def answers_show_command(
    list_id: Annotated[int, typer.Argument(help="The list's id.", show_default=False)],
) -> None:
    """The reconciliation: matched answers, contradictions, answers about children who
    were not on the list, rows that could not be read (rejected, with the reason), and
    the children no answer speaks of."""
    config = settings()
    with store(config) as opened:
        rec = answers.read_reconciliation(opened, _actor(config), list_id)
    table = Table(tr("answer"), tr("line"), tr("outcome"), tr("child"), tr("how"),
                  tr("status"), tr("state"), tr("note"),
                  title=tr("{number} ({channel}): children: {children}, answers: "
                           "{answers}").format(number=rec.list_number, channel=rec.channel,
                                               children=rec.children,
                                               answers=len(rec.answers)))
    for a in rec.answers:
        how = term(ANSWER_HOW, a.how) if a.how else ""
        if a.probability is not None:
            how += f" {a.probability:.3f}"
        table.add_row(str(a.id), str(a.line), term(ANSWER_OUTCOMES, a.outcome),
                      a.reference or "", how,
                      term(ANSWER_STATUS, a.status) if a.status else f"? {a.status_text}",
                      term(ANSWER_STATES, a.state),
                      said(a.problem or a.state_note or ""))
    out.print(table)
    if rec.missing:
        out.print(ntr("No answer yet about {count} child: {references}",
                      "No answer yet about {count} children: {references}",
                      len(rec.missing)).format(
            count=len(rec.missing), references=", ".join(m.reference for m in rec.missing)))


@answers_app.command("resolve")
@friendly_errors
def answers_resolve_command(
    answer: Annotated[int, typer.Argument(help="The answer's id (`kinlink answers show`).",
                                          show_default=False)],
    action: Annotated[AnswerAction, typer.Argument(help="How to settle it.",
                                                   show_default=False)],
    reference: Annotated[str | None, typer.Option(help="With assign: the child's "
                                                  "reference.", show_default=False)] = None,
    note: Annotated[str | None, typer.Option(help="Why (required to dismiss).",
                                             show_default=False)] = None,
) -> None:
    """Settle an answer reconciliation left to a person: confirm an unsure match by
    names, assign the answer to a child on the list, or dismiss it."""
    config = settings()
    with store(config) as opened:
        line = answers.resolve_answer(opened, _actor(config), answer, action, reference, note)
    state = term(ANSWER_STATES, line.state)
    out.print(tr("Answer {answer} (line {line}): {state}, child {reference}.").format(
        answer=line.id, line=line.line, state=state, reference=line.reference)
        if line.reference else tr("Answer {answer} (line {line}): {state}.").format(
        answer=line.id, line=line.line, state=state))


@answers_app.command("apply")
@friendly_errors
def answers_apply_command(
    list_id: Annotated[int, typer.Argument(help="The list's id.", show_default=False)],
) -> None:
    """Apply every ready answer to its case through the workflow (unsure matches,
    contradictions and closings wait for a person)."""
    config = settings()
    with store(config) as opened:
        outcomes = answers.apply_answers(opened, _actor(config), list_id)
    if not outcomes:
        out.print(tr("No answer is ready to apply."))
        return
    table = Table(tr("answer"), tr("line"), tr("child"), tr("case"), tr("result"),
                  tr("what happened"), title=tr("Answers applied"))
    for o in outcomes:
        table.add_row(str(o.answer_id), str(o.line), o.reference, str(o.case_id),
                      term(APPLY_RESULTS, o.result), said(o.words))
    out.print(table)
