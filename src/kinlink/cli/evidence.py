"""``kinlink evidence``: make the evidence bundle of a case, and check a bundle offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from kinlink.cli.context import (
    acting,
    err_console,
    fail,
    friendly_errors,
    out,
    said,
    settings,
    store,
)
from kinlink.evidence.bundle import UNSTAMPED_LABEL, TimestampAuthority
from kinlink.usecases.documents import Evidence
from kinlink.usecases.evidence import verify_evidence_bundle
from kinlink.usecases.evidence_bundles import bundle_case

app = typer.Typer(help="Evidence bundles (BagIt bags in one ZIP file): make the bundle of a "
                       "case for a prosecutor, and check one offline.",
                  no_args_is_help=True)

PasswordFile = Annotated[Path | None, typer.Option(
    help="A file whose first line is the password of an encrypted bundle (never on the "
         "command line, where other users of the machine can read it).",
    show_default=False, exists=True, dir_okay=False, readable=True)]


def _password(password_file: Path | None) -> str | None:
    if password_file is None:
        return None
    lines = password_file.read_text(encoding="utf-8").splitlines()
    return lines[0] if lines else ""


@app.command("bundle")
@friendly_errors
def bundle_command(
    case: Annotated[int, typer.Argument(help="The case's id.", show_default=False)],
    output: Annotated[Path, typer.Option(
        "-o", "--output", help="The bundle file to write (.zip; not overwritten).",
        show_default=False, dir_okay=False)],
    password_file: PasswordFile = None,
    tsa: Annotated[str | None, typer.Option(
        "--tsa", help="The URL of an RFC 3161 time-stamp authority (https://…) that stamps "
                      "the bundle's tag manifest, so that a court can tell the bundle "
                      "existed at that time (default: KINLINK_TSA_URL, if set).",
        show_default=False)] = None,
) -> None:
    """Write the evidence bundle of a case for a prosecutor: a BagIt bag in one ZIP file.

    It holds every document of the case and of the child's records you reach, each
    original byte for byte under its SHA-256, with its working copy and extracted text,
    its collection record (who collected it, when, from where, how), the chain of custody
    of every document, the case's history and the audit events about the case, its
    documents and the child's records. Every file is listed in a SHA-256 and a SHA-512
    manifest: `kinlink evidence verify FILE` (or any BagIt tool) checks it offline.

    With --password-file the bundle is AES-encrypted (send the password another way);
    with --tsa (or KINLINK_TSA_URL) its tag manifest is time-stamped; an authority that
    cannot be reached leaves the bundle without a stamp, and says so. The bundle's
    SHA-256 is written to the audit log (KINLINK_ROLE supervisor or analyst)."""
    config = settings()
    if output.exists():
        raise fail("the output file exists already: choose another name")
    try:
        authority = TimestampAuthority(tsa) if tsa is not None else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--tsa") from None
    password = _password(password_file)
    if password == "":
        raise fail("the password file is empty")
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), console=err_console, transient=True) as bars:
        task = bars.add_task("gathering the documents", total=None)

        def step(name: str, done: int, total: int) -> None:
            bars.update(task, description="gathering the documents" if name == "documents"
                        else "writing the bundle", completed=done, total=total)

        with store(config) as opened:
            try:
                receipt = bundle_case(Evidence.of(config, opened), acting(config), case,
                                      output, password, timestamp=authority, progress=step)
            except OSError as error:
                raise fail(f"the bundle was not written: {type(error).__name__}") from None
    out.print(f"Evidence bundle of case {case} written to {output}: {receipt.files} files, "
              f"{receipt.size} bytes" + (", encrypted" if receipt.encrypted else "")
              + (", time-stamped" if receipt.timestamped else "") + ".")
    out.print(f"SHA-256 {receipt.sha256} (recorded in the audit log).")
    if receipt.timestamp_problem is not None:
        err_console.print(f"[yellow]{escape(said(receipt.timestamp_problem))}[/]")


@app.command("verify")
@friendly_errors
def verify_command(
    file: Annotated[Path, typer.Argument(help="The bundle file (.zip).", show_default=False,
                                         exists=True, dir_okay=False, readable=True)],
    password_file: PasswordFile = None,
) -> None:
    """Check an evidence bundle without a network or a kinlink database: every file
    against both of its manifests (SHA-256 and SHA-512), the bag's description and the
    RFC 3161 time stamp when it has one. Names every file missing, added or altered.
    Exits with code 0 when the bundle is intact, 1 when it is not, 2 when the file is
    not a bundle or the password does not open it."""
    result = verify_evidence_bundle(file, password=_password(password_file))
    info = result.bag_info
    case = info.get("External-Identifier", "?")
    if result.intact:
        out.print(f"[green]The bundle is intact[/]: {result.payload_files} files checked, "
                  f"case {case}, made {info.get('Kinlink-Made-At', '?')} by "
                  f"{info.get('Kinlink-Made-By', '?')}.")
        if result.timestamp is not None:
            out.print(f"Time-stamped {result.timestamp.isoformat()} by "
                      f"{info.get('Kinlink-Timestamp-Authority', '?')}.")
        elif UNSTAMPED_LABEL in info:
            out.print(f"Not time-stamped: {escape(info[UNSTAMPED_LABEL])}.")
        return
    table = Table("file", "finding", title=f"The bundle was altered ({len(result.findings)} "
                  "findings)")
    for finding in result.findings:
        table.add_row(finding.path, str(finding.message))
    out.print(table)
    raise fail("The bundle is not intact.", code=1)
