"""``kinlink audit``: check that the audit log has not been tampered with."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kinlink.audit import read_checkpoint
from kinlink.cli.context import acting, friendly_errors, out, settings, store
from kinlink.usecases.audit import checkpoint_audit, verify_audit

app = typer.Typer(help="Verify the hash-chained audit log and keep its head outside the "
                       "database.", no_args_is_help=True)


@app.command("verify")
@friendly_errors
def verify_command(
    checkpoint: Annotated[Path | None, typer.Option(
        help="A checkpoint file written by `kinlink audit checkpoint`: also catches a log "
             "rewritten from the start or cut short.", show_default=False)] = None,
) -> None:
    """Check every event of the audit log; name each one that was edited, deleted,
    inserted or moved. Exits with code 1 when the log is not intact. Supervisors and
    administrators (KINLINK_ROLE)."""
    config = settings()
    expected = read_checkpoint(checkpoint) if checkpoint else None
    with store(config) as opened:
        report = verify_audit(opened, acting(config), expected)
    if report.intact:
        out.print(f"[green]The audit log is intact[/]: {report.events} events checked"
                  + (f", head of the checkpoint ({expected.head_id}) present and unchanged."
                     if expected else "."))
        return
    out.print(f"[bold red]The audit log has been tampered with[/] ({report.events} events "
              f"checked):")
    for problem in report.problems:
        out.print(f"  • {problem}")
    raise typer.Exit(1)


@app.command("checkpoint")
@friendly_errors
def checkpoint_command(
    file: Annotated[Path, typer.Argument(help="Where to write the checkpoint (JSON). Keep it "
                                         "outside the database's machine.",
                                         show_default=False)],
) -> None:
    """Write the audit log's current head (last event id and hash, and the count) to a
    file kept outside the database, for `kinlink audit verify --checkpoint`."""
    config = settings()
    with store(config) as opened:
        head = checkpoint_audit(opened, acting(config), file)
    out.print(f"Checkpoint written to {file}: event {head.head_id}, {head.events} events.")
