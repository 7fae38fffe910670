"""``kinlink demo``: generated lists for trying kinlink, for tests and for benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import actor, friendly_errors, out, settings, store
from kinlink.demo.generator import DemoConfig, GeneratedFile, generate
from kinlink.domain.access import Actor
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import DuplicateFileError
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.usecases.cases import open_missing_cases

app = typer.Typer(help="Generate realistic demo lists (synthetic children, never real "
                       "people) and load them.", no_args_is_help=True)


@app.command("generate")
@friendly_errors
def generate_command(
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Folder to write the lists into (default: demo/ in the data "
                      "directory).", show_default=False)] = None,
    children: Annotated[int, typer.Option(help="How many distinct children the lists "
                                          "describe.")] = DemoConfig.children,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed writes the same "
                                      "files.")] = DemoConfig.seed,
) -> None:
    """Write demo lists in the record list format, plus truth.csv.

    family_reports.csv holds families' reports (mostly Ukrainian Cyrillic); the found lists
    (adoption registry, camp list, institution list) carry Russian name forms, passport
    transliterations, adoptive surnames, shifted birth dates, siblings, twins and
    children nobody reported. truth.csv says which records belong to the same child.
    """
    target = out_dir or settings().demo_dir
    files = generate(target, DemoConfig(children=children, seed=seed))
    _print_files(files, target)


@app.command("run")
@friendly_errors
def run_command(
    children: Annotated[int, typer.Option(help="How many distinct children the demo "
                                          "describes.")] = DemoConfig.children,
) -> None:
    """Generate the demo lists (once) and import them into the store; print a summary.

    Running it again imports nothing twice: lists already imported are skipped.
    """
    config = settings()
    target = config.demo_dir
    files = generate(target, DemoConfig(children=children))
    _print_files(files, target)
    summary = Table("list", "role", "source", "imported", "rejected", "field errors",
                    title="Demo lists in the store")
    with store(config) as opened:
        for item in files:
            request = ImportRequest(path=item.path, imported_by=actor(config),
                                    kind=SourceKind(item.kind), role=Role(item.role),
                                    title=item.title, producer=item.producer)
            try:
                result = import_file(opened, request)
            except DuplicateFileError as exc:
                summary.add_row(item.path.name, item.role, str(exc.source_id),
                                "already imported", "", "")
                continue
            counts = result.counts
            summary.add_row(item.path.name, item.role, str(result.source_id),
                            str(counts.imported), str(counts.rejected),
                            str(counts.field_errors))
        linked = match_store(opened, actor=actor(config))
        opened_cases = open_missing_cases(opened, Actor(actor(config), UserRole.SUPERVISOR))
    out.print(summary)
    if linked.run_id is not None:
        out.print(f"Linked the lists: {linked.pairs} candidate pairs ({linked.matches} match, "
                  f"{linked.reviews} for review); {opened_cases} cases opened.")
    out.print(f"Data directory: {config.data_dir}\nNext: `kinlink sources`, "
              "`kinlink review next`, `kinlink cases list`, `kinlink records show 1`.")


def _print_files(files: list[GeneratedFile], target: Path) -> None:
    table = Table("file", "kind", "role", "rows", title=f"Demo lists in {target}")
    for item in files:
        table.add_row(item.path.name, item.kind, item.role, str(item.rows))
    out.print(table)
