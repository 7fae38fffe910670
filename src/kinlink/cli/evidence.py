"""``kinlink evidence``: check an evidence bundle offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import fail, friendly_errors, out
from kinlink.usecases.evidence import verify_evidence_bundle

app = typer.Typer(help="Check evidence bundles (BagIt bags in one ZIP file) offline.",
                  no_args_is_help=True)


@app.command("verify")
@friendly_errors
def verify_command(
    file: Annotated[Path, typer.Argument(help="The bundle file (.zip).", show_default=False,
                                         exists=True, dir_okay=False, readable=True)],
    password_file: Annotated[Path | None, typer.Option(
        help="A file whose first line is the password of an encrypted bundle (never on "
             "the command line, where other users of the machine can read it).",
        show_default=False, exists=True, dir_okay=False, readable=True)] = None,
) -> None:
    """Check an evidence bundle without a network or a kinlink database: every file
    against both of its manifests (SHA-256 and SHA-512), the bag's description and the
    RFC 3161 time stamp when it has one. Names every file missing, added or altered.
    Exits with code 0 when the bundle is intact, 1 when it is not, 2 when the file is
    not a bundle or the password does not open it."""
    password = None
    if password_file is not None:
        lines = password_file.read_text(encoding="utf-8").splitlines()
        password = lines[0] if lines else ""
    result = verify_evidence_bundle(file, password=password)
    info = result.bag_info
    case = info.get("External-Identifier", "?")
    if result.intact:
        out.print(f"[green]The bundle is intact[/]: {result.payload_files} files checked, "
                  f"case {case}, made {info.get('Kinlink-Made-At', '?')} by "
                  f"{info.get('Kinlink-Made-By', '?')}.")
        if result.timestamp is not None:
            out.print(f"Time-stamped {result.timestamp.isoformat()} by "
                      f"{info.get('Kinlink-Timestamp-Authority', '?')}.")
        return
    table = Table("file", "finding", title=f"The bundle was altered ({len(result.findings)} "
                  "findings)")
    for finding in result.findings:
        table.add_row(finding.path, str(finding.message))
    out.print(table)
    raise fail("The bundle is not intact.", code=1)
