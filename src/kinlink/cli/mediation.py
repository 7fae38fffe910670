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
    out,
    settings,
    store,
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
            raise fail(f"unknown field {part!r}: use {', '.join(ListField)}") from None
    return fields


def _formats(text: str) -> list[ExportFormat]:
    formats = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            formats.append(ExportFormat(part))
        except ValueError:
            raise fail(f"unknown export format {part!r}: use {', '.join(ExportFormat)}"
                       ) from None
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
    out.print(f"Channel {made.id} {made.name!r} receives: {', '.join(made.fields)}.")


@channels_app.command("list")
@friendly_errors
def channel_list_command() -> None:
    """Every channel: what it may receive, its lists and the children waiting longest
    for an answer."""
    config = settings()
    with store(config) as opened:
        tracks = channels.track_channels(opened, _actor(config))
    table = Table("channel", "name", "kind", "fields", "lists", "children sent",
                  "answered", "waiting", "longest wait (days)", title="Channels")
    for t in tracks:
        sent = sum(x.children for x in t.lists if x.sent_at)
        table.add_row(str(t.channel.id), t.channel.name, t.channel.kind,
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
    table = Table("list", "status", "created", "sent", "by", "children", "answered",
                  "answer files", "exports", title=f"Channel {t.channel.name}")
    for x in t.lists:
        table.add_row(x.number, x.status, local_day(x.created_at, config),
                      local_day(x.sent_at, config) if x.sent_at else "", x.sent_by or "",
                      str(x.children), str(x.answered), str(x.answer_files), str(x.exports))
    out.print(table)
    if t.waiting:
        wait = Table("reference", "case", "list", "sent", "days waiting",
                     title="Waiting longest for an answer")
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
    out.print(f"List {made.id} ({made.number}) started for channel {channel}. Add children "
              f"with `kinlink lists add {made.id} CASE…` (see `kinlink lists candidates`).")


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
    table = Table("case", "status", "name", "born", "birth place", "on lists",
                  title=f"Candidates ({len(found)})")
    for c in found:
        table.add_row(str(c.case_id), c.status, c.name, c.birth_date or "",
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
        out.print(f"case {item.case_id} → {item.reference}")


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
    out.print(f"Case {case} is off list {list_id}.")


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
    table = Table("reference", "case", *columns,
                  title=f"{view.number} for {view.channel.name}: {view.list.status}, "
                        f"version {view.list.version}, {len(view.children)} children, "
                        f"{view.exports} export(s)")
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
        raise fail(f"{output} exists already: choose another name")
    chosen = _formats(formats)
    with store(config) as opened:
        result = lists.export_list(opened, _actor(config), list_id, chosen)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(result.data)
    out.print(f"Written {output}: {result.children} children in {', '.join(result.contents)}.")
    out.print(f"SHA-256 {result.sha256}")
    err_console.print(f"[bold]Passphrase (shown once, not stored):[/] {result.passphrase}")


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
    out.print(f"{result.list_number} sent: {len(result.moved)} case(s) now "
              f"{CaseStatus.RETURN_REQUESTED}.")
    for stayed in result.stayed:
        out.print(f"  case {stayed.case_id} stayed: {stayed.reason}")


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
    out.print(f"Photograph attached to case {case} (SHA-256 {attached.sha256[:16]}…).")


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
    out.print(f"Answer file for {summary.list_number}: {summary.rows} rows — "
              + ", ".join(f"{n} {k}" for k, n in asdict(summary.counts).items()) + ".")
    for issue in summary.issues:
        out.print(f"[yellow]{issue}[/]")


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
    table = Table("answer", "line", "outcome", "child", "how", "status", "state", "note",
                  title=f"{rec.list_number} ({rec.channel}): {rec.children} children, "
                        f"{len(rec.answers)} answers")
    for a in rec.answers:
        how = a.how or ""
        if a.probability is not None:
            how += f" {a.probability:.3f}"
        table.add_row(str(a.id), str(a.line), a.outcome, a.reference or "", how,
                      a.status or f"? {a.status_text}", a.state,
                      a.problem or a.state_note or "")
    out.print(table)
    if rec.missing:
        out.print(f"No answer yet about {len(rec.missing)} child(ren): "
                  + ", ".join(m.reference for m in rec.missing))


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
    out.print(f"Answer {line.id} (line {line.line}): {line.state}"
              + (f", child {line.reference}" if line.reference else "") + ".")


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
        out.print("No answer is ready to apply.")
        return
    table = Table("answer", "line", "child", "case", "result", "what happened",
                  title="Answers applied")
    for o in outcomes:
        table.add_row(str(o.answer_id), str(o.line), o.reference, str(o.case_id), o.result,
                      o.words)
    out.print(table)
