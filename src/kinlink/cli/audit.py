"""``kinlink audit``: check that the audit log has not been tampered with, keep its head
in a signed checkpoint, and replace its key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kinlink.audit import ChainReport
from kinlink.cli.context import acting, friendly_errors, ntr, out, said, settings, store, tr
from kinlink.usecases.audit import checkpoint_audit, rotate_audit_key, verify_audit

app = typer.Typer(help="Verify the hash-chained, keyed audit log, keep its head in a signed "
                       "checkpoint outside the database, and replace its key.",
                  no_args_is_help=True)


def _print_report(report: ChainReport) -> None:
    checkpoint = report.checkpoint
    if report.intact:
        if checkpoint and not report.notices:
            out.print(ntr("[green]The audit log is intact[/]: {count} event checked, head "
                          "of the checkpoint ({head}) present and unchanged.",
                          "[green]The audit log is intact[/]: {count} events checked, head "
                          "of the checkpoint ({head}) present and unchanged.",
                          report.events).format(count=report.events,
                                                head=checkpoint.head_id))
        else:
            out.print(ntr("[green]The audit log is intact[/]: {count} event checked.",
                          "[green]The audit log is intact[/]: {count} events checked.",
                          report.events).format(count=report.events))
    else:
        out.print(ntr("[bold red]The audit log has been tampered with[/] ({count} event "
                      "checked):",
                      "[bold red]The audit log has been tampered with[/] ({count} events "
                      "checked):", report.events).format(count=report.events))
        for problem in report.problems:
            out.print(f"  • {said(problem)}")
    if report.unkeyed:
        out.print(ntr("{count} event before keyed auditing: checked by its hash only.",
                      "{count} events before keyed auditing: checked by their hash only.",
                      report.unkeyed).format(count=report.unkeyed))
    if report.keys:
        out.print(tr("Keys used: {keys}.").format(keys=", ".join(report.keys)))
    for notice in report.notices:
        out.print("[yellow]" + tr("Note:") + f"[/] {said(notice)}")


@app.command("verify")
@friendly_errors
def verify_command(
    checkpoint: Annotated[Path | None, typer.Option(
        help="A checkpoint file written by `kinlink audit checkpoint`: also catches a log "
             "cut short or rewritten with the audit key. A checkpoint whose signature "
             "fails, or signed by another key than this machine's, is refused (exit code "
             "2).", show_default=False)] = None,
) -> None:
    """Check every event of the audit log, its hash and its MAC; name each one that was
    edited, deleted, inserted, moved or forged. Exits with code 1 when the log is not
    intact. Supervisors and administrators (KINLINK_ROLE)."""
    config = settings()
    with store(config) as opened:
        report = verify_audit(opened, acting(config), checkpoint)
    _print_report(report)
    if not report.intact:
        raise typer.Exit(1)


@app.command("checkpoint")
@friendly_errors
def checkpoint_command(
    file: Annotated[Path, typer.Argument(help="Where to write the checkpoint (JSON). Keep a "
                                         "copy outside the database's machine.",
                                         show_default=False)],
) -> None:
    """Write the audit log's current head (last event's id, hash and MAC, and the count)
    to a file signed with this machine's checkpoint key (data_dir/keys), for `kinlink
    audit verify --checkpoint`."""
    config = settings()
    with store(config) as opened:
        head = checkpoint_audit(opened, acting(config), file)
    out.print(ntr("Checkpoint written to {file}: event {head}, {count} event, signed. Keep "
                  "a copy where nobody with access to this machine can change it.",
                  "Checkpoint written to {file}: event {head}, {count} events, signed. Keep "
                  "a copy where nobody with access to this machine can change it.",
                  head.events).format(file=file, head=head.head_id, count=head.events))


@app.command("rotate-key")
@friendly_errors
def rotate_key_command() -> None:
    """Make a new key for new audit events; the old ones stay in data_dir/keys, since
    the events they made must still verify. Administrators (KINLINK_ROLE=admin)."""
    config = settings()
    with store(config) as opened:
        rotation = rotate_audit_key(opened, acting(config))
    if rotation.before:
        out.print(tr("New audit key {key} in {folder} (it replaces {old}, kept for "
                     "verification). Back up the keys folder apart from the database.").format(
            key=rotation.after, folder=config.keys_dir, old=rotation.before))
    else:
        out.print(tr("New audit key {key} in {folder}. Back up the keys folder apart from "
                     "the database.").format(key=rotation.after, folder=config.keys_dir))
