"""``kinlink demo``: generated lists for trying kinlink, for tests and for benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import acting, actor, friendly_errors, out, settings, store, term, tr
from kinlink.demo.generator import DemoConfig, GeneratedFile, generate
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import DuplicateFileError
from kinlink.ingest import ImportRequest
from kinlink.usecases.importing import import_list
from kinlink.usecases.linking import link_store
from kinlink.web.labels import KINDS, RECORD_ROLES

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
    summary = Table(tr("list"), tr("role"), tr("source"), tr("imported"), tr("rejected"),
                    tr("field errors"), title=tr("Demo lists in the store"))
    who = acting(config)
    with store(config) as opened:
        for item in files:
            request = ImportRequest(path=item.path, imported_by=actor(config),
                                    kind=SourceKind(item.kind), role=Role(item.role),
                                    title=item.title, producer=item.producer)
            try:
                result = import_list(opened, who, request, link=False).imported
            except DuplicateFileError as exc:
                summary.add_row(item.path.name, term(RECORD_ROLES, item.role),
                                str(exc.source_id), tr("already imported"), "", "")
                continue
            counts = result.counts
            summary.add_row(item.path.name, term(RECORD_ROLES, item.role),
                            str(result.source_id),
                            str(counts.imported), str(counts.rejected),
                            str(counts.field_errors))
        outcome = link_store(opened, who)
    out.print(summary)
    linked = outcome.linked
    if linked.run_id is not None:
        out.print(tr("Linked the lists: {pairs} candidate pairs ({matches} match, {reviews} "
                     "for review).").format(pairs=linked.pairs, matches=linked.matches,
                                            reviews=linked.reviews))
        out.print(tr("Cases opened: {count}.").format(count=outcome.cases_opened))
    out.print(tr("Data directory: {folder}").format(folder=config.data_dir))
    out.print(tr("Next: `kinlink sources`, `kinlink review next`, `kinlink cases list`, "
                 "`kinlink records show 1`."))


def _print_files(files: list[GeneratedFile], target: Path) -> None:
    table = Table(tr("file"), tr("kind"), tr("role"), tr("rows"),
                  title=tr("Demo lists in {folder}").format(folder=target))
    for item in files:
        table.add_row(item.path.name, term(KINDS, item.kind), term(RECORD_ROLES, item.role),
                      str(item.rows))
    out.print(table)
