"""``kinlink link``, ``kinlink dedupe`` and ``kinlink match``: find records of one child."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import (
    acting,
    crowding,
    err_console,
    fail,
    friendly_errors,
    out,
    said,
    settings,
    store,
    term,
    tr,
)
from kinlink.domain.progress import StageProgress
from kinlink.errors import KinlinkError
from kinlink.i18n import N_
from kinlink.linkage import Engine, TrainedModel, chosen_engine
from kinlink.listfiles import load_mapping
from kinlink.matching import LinkResult, ReadOptions, dedupe_file, link_files
from kinlink.usecases.linking import link_store
from kinlink.web import labels

_MAPPING_HELP = ('TOML file with a \\[columns] table ("header in the file" = "field") for '
                 "layouts the built-in header names do not cover (used for every list).")
_MODEL_HELP = ("Score with this saved model (JSON written by --model-out) instead of "
               "training on the lists.")

PAIR_DECISIONS = {"match": N_("linked without review"), "review": N_("for review")}
"""The pairs a run keeps, by their decision (the store's count of kept pairs)."""

# Options link, dedupe and match share.
ExplainOption = Annotated[Path | None, typer.Option(
    help="Also write every pair's explanation, field by field, to this CSV.",
    show_default=False)]
ModelOption = Annotated[Path | None, typer.Option(help=_MODEL_HELP, show_default=False)]
ModelOutOption = Annotated[Path | None, typer.Option(
    help="Save the trained model (JSON, with its version) to this file.", show_default=False)]
MappingOption = Annotated[Path | None, typer.Option(help=_MAPPING_HELP, show_default=False)]
SheetOption = Annotated[str | None, typer.Option(
    help="XLSX sheet to read (default: the first).", show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON summary.")]


class EngineName(StrEnum):
    """Where the pairs are scored (kinlink.linkage.ENGINES)."""

    DUCKDB = "duckdb"
    SPARK = "spark"


EngineOption = Annotated[EngineName, typer.Option(
    "--engine", help="Where the pairs are scored: duckdb (this machine) or spark (a Spark "
                     "cluster, or this machine's cores; needs the optional spark extra). The "
                     "model is trained on this machine either way.")]
SparkMasterOption = Annotated[str | None, typer.Option(
    "--spark-master", help="Spark master URL for --engine spark, e.g. spark://host:7077 or "
                           "yarn (default local[*]: this machine's cores).",
    show_default=False)]
SparkConfOption = Annotated[list[str] | None, typer.Option(
    "--spark-conf", help="A Spark setting KEY=VALUE for --engine spark (repeatable), e.g. "
                         "spark.executor.memory=8g.", show_default=False)]

MAX_SPARK_CONF = 200
"""More --spark-conf settings than any session needs: a mistake, refused."""


def spark_settings(given: list[str] | None) -> dict[str, str]:
    """``--spark-conf KEY=VALUE`` settings as a mapping; one without ``=`` or a key is
    refused in words (naming the setting's position, not its value)."""
    settings_: dict[str, str] = {}
    if len(given or ()) > MAX_SPARK_CONF:
        raise fail(tr("at most {count} --spark-conf settings").format(count=MAX_SPARK_CONF))
    for number, item in enumerate(given or (), start=1):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise fail(tr("--spark-conf setting {number} is not KEY=VALUE").format(
                number=number))
        settings_[key.strip()] = value.strip()
    return settings_


def _engine(name: EngineName, master: str | None, conf: list[str] | None
            ) -> AbstractContextManager[Engine]:
    """The engine a command asked for, its memory bounded by the settings; a master or
    settings given without ``--engine spark`` are refused rather than ignored."""
    if name is EngineName.DUCKDB and (master or conf):
        raise fail(tr("--spark-master and --spark-conf need --engine spark"))
    return chosen_engine(name.value, master=master, conf=spark_settings(conf),
                         memory_limit=settings().duckdb_memory)


@contextmanager
def _stages(quiet: bool) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr that shows the current stage (nothing with --json)."""
    if quiet:
        yield lambda _text: None
        return
    with err_console.status(tr("Starting")) as status:
        yield lambda text: status.update(f"{said(text)}…")


def _options(mapping: Path | None, sheet: str | None, line_ids: bool) -> ReadOptions:
    return ReadOptions(load_mapping(mapping) if mapping else None, sheet, line_ids,
                       settings().limits)


def read_model(path: Path) -> TrainedModel:
    """The model saved at ``path``; a file that is not one is refused in words."""
    try:
        return TrainedModel.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise fail(tr("{file}: not a kinlink linkage model ({error})").format(
            file=path.name, error=type(exc).__name__)) from None


def _print(result: LinkResult, what: str) -> None:
    table = Table(tr("list"), tr("rows"), tr("records"), tr("rejected"),
                  tr("fields not understood"),
                  "error report", title="Lists read", title_justify="left")
    for read in result.lists:
        table.add_row(read.file, str(read.rows), str(read.records),
                      f"[red]{read.rejected}[/]" if read.rejected else "0",
                      str(read.field_errors), str(read.report.errors) if read.report else "")
    out.print(table)
    out.print(tr("{what}: {pairs} candidate pairs — [green]{matches} match[/] (linked "
                 "without review), [yellow]{reviews} review[/] (a person decides). Model "
                 "{model}.").format(what=what, pairs=result.pairs, matches=result.matches,
                                    reviews=result.reviews, model=result.model.version))
    if result.skipped_rules:
        out.print("[yellow]" + tr("Note:") + "[/] " + tr(
            "the lists are too large for the wide blocking rules {rules}; renamed children "
            "are found less often.").format(rules=", ".join(result.skipped_rules)))
    if result.crowded.records:
        out.print("[yellow]" + tr("Note:") + f"[/] {crowding(result.crowded)}")
    out.print(tr("Written: {file}").format(file=result.output))


@friendly_errors
def link_command(
    left: Annotated[Path, typer.Argument(help="First list, e.g. family reports (CSV/XLSX).",
                                         show_default=False)],
    right: Annotated[Path, typer.Argument(help="Second list, e.g. a list of found children.",
                                          show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the pairs "
                                         "(CSV).", show_default=False)],
    explain: ExplainOption = None,
    model: ModelOption = None,
    model_out: ModelOutOption = None,
    mapping: MappingOption = None,
    sheet: SheetOption = None,
    line_ids: Annotated[bool, typer.Option(
        "--line-ids", help="The lists have no record_id column: use line-N as the id.")]
        = False,
    engine_name: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
    spark_conf: SparkConfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find the records of LEFT and RIGHT that describe the same child.

    Both lists are read like `kinlink import` reads them (UTF-8 or Windows-1251 CSV,
    XLSX, Ukrainian/Russian/English headers); rows that cannot be used are written to
    an error report next to the output. The model is trained on the two lists
    themselves (Fellegi–Sunter, expectation maximisation), unless --model is given.

    The output has one row per candidate pair: left_id, right_id, match_probability and
    decision — "match" for pairs that are almost never wrong (linked without review),
    "review" for pairs a person must decide. Pairs below the review threshold are not
    written. No store is needed.
    """
    try:
        options = _options(mapping, sheet, line_ids)
        with _engine(engine_name, spark_master, spark_conf) as engine, \
                _stages(as_json) as say:
            result = link_files(left, right, output, options=options,
                                model=read_model(model) if model else None,
                                explain_to=explain, model_out=model_out, engine=engine,
                                say=say)
    except KinlinkError as exc:
        raise fail(exc.text) from None
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        _print(result, tr("Linked"))


@friendly_errors
def dedupe_command(
    file: Annotated[Path, typer.Argument(help="The list to deduplicate (CSV/XLSX).",
                                         show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write "
                                         "record_id,cluster_id (CSV).", show_default=False)],
    review: Annotated[Path | None, typer.Option(
        help="Also write the candidate pairs (match and review) to this CSV, so the pairs "
             "a person must decide are not lost.", show_default=False)] = None,
    explain: ExplainOption = None,
    model: ModelOption = None,
    model_out: ModelOutOption = None,
    mapping: MappingOption = None,
    sheet: SheetOption = None,
    line_ids: Annotated[bool, typer.Option(
        "--line-ids", help="The list has no record_id column: use line-N as the id.")]
        = False,
    engine_name: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
    spark_conf: SparkConfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find the records of one list that describe the same child (a child reported twice).

    The output lists every record of FILE once, in file order, with a cluster_id;
    records linked automatically (decision "match", almost never wrong) share a
    cluster. Pairs that only a person can decide do not join clusters: write them
    with --review. Rows that cannot be used are written to an error report next to
    the output. No store is needed.
    """
    try:
        options = _options(mapping, sheet, line_ids)
        with _engine(engine_name, spark_master, spark_conf) as engine, \
                _stages(as_json) as say:
            result = dedupe_file(file, output, options=options, review_to=review,
                                 model=read_model(model) if model else None, explain_to=explain,
                                 model_out=model_out, engine=engine, say=say)
    except KinlinkError as exc:
        raise fail(exc.text) from None
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        _print(result, tr("Deduplicated into {count} clusters").format(
            count=result.clusters))


@friendly_errors
def match_command(
    retrain: Annotated[bool, typer.Option(
        "--retrain", help="Train a new model on everything in the store and score all "
                          "pairs again (otherwise only what is new is scored).")] = False,
    engine_name: EngineOption = EngineName.DUCKDB,
    spark_master: SparkMasterOption = None,
    spark_conf: SparkConfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Link every record in the store with every other: the same child in any two lists,
    or twice in one; then open the cases of reported children that have none.

    Incremental: the first run trains a model on the store and keeps it with its
    version; later runs score only records imported since, against each other and
    against everything linked before. Every candidate pair is kept with its match
    probability, its decision (match: linked without review; review: a person
    decides), its explanation field by field and the model version. People's decisions
    are never changed. The run is written to the audit log. Lists imported with
    `kinlink import --no-link` are linked (and their cases opened) here. KINLINK_ROLE is
    the role you act in (case_worker by default).
    """
    config = settings()
    chosen = None if engine_name is EngineName.DUCKDB and not (spark_master or spark_conf) \
        else _engine(engine_name, spark_master, spark_conf)
    with store(config) as opened, _stages(as_json) as say:
        if chosen is None:  # the store's own DuckDB memory setting, as before
            outcome = link_store(opened, acting(config), retrain=retrain,
                                 progress=lambda step: say(_step_words(step)))
        else:
            with chosen as engine:
                outcome = link_store(opened, acting(config), retrain=retrain,
                                     progress=lambda step: say(_step_words(step)),
                                     engine=engine)
    result = outcome.linked
    if as_json:
        print(json.dumps({**result.as_dict(), "cases_opened": outcome.cases_opened},
                         ensure_ascii=False))
        return
    if result.run_id is None:
        out.print(tr("Nothing new to link: every list in the store has been linked."))
        out.print(tr("Cases opened: {count}.").format(count=outcome.cases_opened))
        return
    state = tr("trained on the store") if result.trained else tr("kept from earlier runs")
    out.print(tr("Run {run}: {new} new records linked against {existing} linked before — "
                 "{pairs} candidate pairs: [green]{matches} match[/], [yellow]{reviews} "
                 "review[/]. Model {model} ({state}).").format(
        run=result.run_id, new=result.new_records, existing=result.existing_records,
        pairs=result.pairs, matches=result.matches, reviews=result.reviews,
        model=result.model_version, state=state))
    if result.skipped_rules:
        out.print("[yellow]" + tr("Note:") + "[/] " + tr(
            "the store is too large for the wide blocking rules {rules}; renamed children "
            "are found less often.").format(rules=", ".join(result.skipped_rules)))
    if result.crowded.records:
        out.print("[yellow]" + tr("Note:") + f"[/] {crowding(result.crowded)}")
    out.print(tr("Pairs kept in the store: {counts}.").format(counts=", ".join(
        tr("{decision}: {count}").format(decision=term(PAIR_DECISIONS, d), count=n)
        for d, n in sorted(result.totals.items()))))
    out.print(tr("Cases opened: {count}.").format(count=outcome.cases_opened))


def _step_words(step: StageProgress) -> str:
    words = said(step.message) if step.message else term(labels.STAGES, step.stage)
    return tr("{stage} ({done} of {total})").format(
        stage=words, done=f"{step.done:,}", total=f"{step.total:,}") if step.total else words
