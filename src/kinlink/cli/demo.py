"""``kinlink demo``: generated lists for trying kinlink, for tests and for benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import acting, actor, friendly_errors, out, settings, store
from kinlink.demo.generator import DemoConfig, GeneratedFile, generate
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import DuplicateFileError
from kinlink.ingest import ImportRequest
from kinlink.usecases.importing import import_list
from kinlink.usecases.linking import link_store

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
    """Generate the demo lists (once) and import them into the store, then link them and
    open the cases of the reported children; print a summary.

    The lists are imported like `kinlink import --no-link` and linked once at the end,
    like `kinlink match` (one model trained on all of them). Running it again imports
    nothing twice: lists already imported are skipped.
    """
    config = settings()
    target = config.demo_dir
    files = generate(target, DemoConfig(children=children))
    _print_files(files, target)
    summary = Table("list", "role", "source", "imported", "rejected", "field errors",
                    title="Demo lists in the store")
    who = acting(config)
    with store(config) as opened:
        for item in files:
            request = ImportRequest(path=item.path, imported_by=actor(config),
                                    kind=SourceKind(item.kind), role=Role(item.role),
                                    title=item.title, producer=item.producer)
            try:
                result = import_list(opened, who, request, link=False).imported
            except DuplicateFileError as exc:
                summary.add_row(item.path.name, item.role, str(exc.source_id),
                                "already imported", "", "")
                continue
            counts = result.counts
            summary.add_row(item.path.name, item.role, str(result.source_id),
                            str(counts.imported), str(counts.rejected),
                            str(counts.field_errors))
        outcome = link_store(opened, who)
    out.print(summary)
    linked = outcome.linked
    if linked.run_id is not None:
        out.print(f"Linked the lists: {linked.pairs} candidate pairs ({linked.matches} match, "
                  f"{linked.reviews} for review); {outcome.cases_opened} cases opened.")
    out.print(f"Data directory: {config.data_dir}\nNext: `kinlink sources`, "
              "`kinlink review next`, `kinlink cases list`, `kinlink records show 1`.")


def _print_files(files: list[GeneratedFile], target: Path) -> None:
    table = Table("file", "kind", "role", "rows", title=f"Demo lists in {target}")
    for item in files:
        table.add_row(item.path.name, item.kind, item.role, str(item.rows))
    out.print(table)
