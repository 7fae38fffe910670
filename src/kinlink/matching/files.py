"""``kinlink link`` and ``kinlink dedupe``: lists in, one file out, no store needed.

The lists are read exactly as the importer reads them (encodings, delimiters, header
aliases, mapping files, row validation: :func:`kinlink.listfiles.read_list`); rows that
cannot be used are written to an error report beside the output and counted in the
result, never dropped in silence. The records are linked with
:mod:`kinlink.linkage` and the output follows the record list format
(``shared/spec/list-format.md``):

- link: ``left_id,right_id,match_probability,decision`` for every pair at or above the
  review threshold, ``decision`` being ``match`` or ``review``;
- dedupe: ``record_id,cluster_id`` for every record, once, in file order; records
  joined by automatic links share a cluster. Pairs for a person to decide can be
  written to a second file.

Every text cell of these files is neutralised against formula injection (an id such
as ``=HYPERLINK(…)`` is written ``'=HYPERLINK(…)``: :mod:`kinlink.domain.cells`).

Large lists are read in two processes at once (one per list), since reading and
keying a million rows is the slowest step on a small machine.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kinlink.domain.cells import SafeCsvWriter, neutralise_formula
from kinlink.domain.imports import Issue
from kinlink.domain.limits import ImportLimits
from kinlink.linkage import (
    Crowding,
    Engine,
    LinkageSpec,
    Pairs,
    Side,
    TrainedModel,
    clusters,
    default_engine,
    default_spec,
    explanations,
    score,
    side_from_records,
)
from kinlink.listfiles import ErrorReport, read_list, write_error_report

__all__ = [
    "DedupeResult",
    "LinkResult",
    "ListRead",
    "ReadOptions",
    "dedupe_file",
    "link_files",
    "read_side",
]

Say = Callable[[str], None]
"""Told what is happening now (for a progress display)."""

PARALLEL_FROM_ROWS = 50_000


@dataclass(frozen=True)
class ReadOptions:
    """How to read the lists: a column mapping, a sheet, line numbers as ids, and the
    limits of a list file (``KINLINK_LIMITS__*`` through the settings, as for imports)."""

    mapping: dict[str, str] | None = None
    sheet: str | None = None
    line_ids: bool = False
    limits: ImportLimits = field(default_factory=ImportLimits)


@dataclass(frozen=True)
class ListRead:
    """What reading one list gave: counts, problems and where they were reported."""

    file: str
    rows: int
    records: int
    rejected: int
    field_errors: int
    issues: list[Issue] = field(repr=False)
    header: list[str] = field(default_factory=list, repr=False)
    report: ErrorReport | None = None

    def as_dict(self) -> dict[str, object]:
        """Counts and report paths (no personal data)."""
        return {"file": self.file, "rows": self.rows, "records": self.records,
                "rejected": self.rejected, "field_errors": self.field_errors,
                "error_report": str(self.report.errors) if self.report else None,
                "rejected_rows_file": str(self.report.rejected)
                if self.report and self.report.rejected else None}


@dataclass(frozen=True)
class LinkResult:
    """The outcome of linking two lists."""

    lists: tuple[ListRead, ...]
    pairs: int
    matches: int
    reviews: int
    model: TrainedModel
    skipped_rules: tuple[str, ...]
    output: Path
    seconds: dict[str, float] = field(default_factory=dict)
    crowded: Crowding = field(default_factory=lambda: Crowding(0, 0, 0))
    blocked: dict[str, int] = field(default_factory=dict)
    """Pairs each blocking rule would generate (before repeats across rules are removed):
    how wide each net was on these lists, for benchmarks and for a run that skipped one."""

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (counts, model version, paths, seconds per stage)."""
        return {"lists": [r.as_dict() for r in self.lists], "pairs": self.pairs,
                "match": self.matches, "review": self.reviews,
                "model_version": self.model.version, "skipped_rules": list(self.skipped_rules),
                "crowded_records": self.crowded.records,
                "crowded_pairs_dropped": self.crowded.dropped,
                "output": str(self.output), "seconds": self.seconds}


@dataclass(frozen=True)
class DedupeResult(LinkResult):
    """The outcome of deduplicating one list: pairs and clusters."""

    clusters: int = 0
    review_output: Path | None = None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary."""
        return super().as_dict() | {"clusters": self.clusters, "review_output":
                                    str(self.review_output) if self.review_output else None}


class _Clock:
    """Tells the progress display each stage, and times the stages."""

    def __init__(self, say: Say | None) -> None:
        self._say = say or (lambda _text: None)
        self._times: dict[str, float] = {}
        self._current: tuple[str, float] | None = None

    def stage(self, name: str, text: str) -> None:
        """End the current stage and start ``name``."""
        self._stop()
        self._say(text)
        self._current = (name, time.perf_counter())

    def _stop(self) -> None:
        if self._current is not None:
            name, started = self._current
            self._times[name] = round(time.perf_counter() - started, 1)
            self._current = None

    def done(self) -> dict[str, float]:
        """Seconds per stage."""
        self._stop()
        return dict(self._times)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a list is read and keyed.

    Reading a list allocates millions of small objects that live to the end (the
    feature columns, the name caches) and makes no reference cycles, so each full
    collection walks an ever larger heap for nothing: a fifth of the read stage's CPU
    time at 100k records (benchmarks/read_speed.py). Reference counting still frees
    everything as usual; the collector is restored afterwards, also on an error.
    The pause is the whole process's: right for ``kinlink link``/``dedupe`` and their
    reading processes (their only callers), not for a server's request threads.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_side(path: Path, options: ReadOptions, display: bool) -> tuple[Side, ListRead]:
    """Read one list into linkage features: the read stage of a link or a dedupe, for one
    list (top level so that a worker process can run it)."""
    with _without_cycle_collection():
        opened = read_list(path, mapping=options.mapping, sheet=options.sheet,
                           line_ids=options.line_ids, limits=options.limits)
        side = side_from_records(opened.records(), display=display)
    summary = ListRead(path.name, opened.rows, opened.accepted, opened.rejected,
                       opened.field_errors, opened.issues, opened.header)
    return side, summary


def _read_all(paths: list[Path], options: ReadOptions, display: bool
              ) -> list[tuple[Side, ListRead]]:
    big = sum(p.stat().st_size for p in paths) > PARALLEL_FROM_ROWS * 150
    if len(paths) < 2 or not big:
        return [read_side(p, options, display) for p in paths]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(paths), mp_context=context) as pool:
        futures = [pool.submit(read_side, p, options, display) for p in paths]
        return [f.result() for f in futures]


def _reported(summary: ListRead, output: Path, role: str) -> ListRead:
    """Write the list's error report beside the output, if it has problems."""
    if not summary.issues:
        return summary
    stem = f"{output.stem}-{role}-{Path(summary.file).stem}"
    report = write_error_report(output.parent, stem, summary.file, summary.header,
                                summary.issues)
    return ListRead(summary.file, summary.rows, summary.records, summary.rejected,
                    summary.field_errors, summary.issues, summary.header, report)


def _write_pairs(path: Path, pairs: Pairs, left_ids: tuple[str, ...],
                 right_ids: tuple[str, ...], names: tuple[str, str]) -> None:
    table = pairs.table
    out = pa.table({
        names[0]: pc.take(_text_column(left_ids), table["left_uid"]),
        names[1]: pc.take(_text_column(right_ids), table["right_uid"]),
        "match_probability": pc.round(table["match_probability"], 6),
        "decision": table["decision"],
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(out, path, pacsv.WriteOptions(quoting_style="needed"))


def _text_column(ids: tuple[str, ...]) -> pa.Array:
    """Record ids as a column of text a spreadsheet will not run as a formula."""
    return pa.array([neutralise_formula(i) for i in ids], pa.string())


def _write_explanations(path: Path, spec: LinkageSpec, pairs: Pairs, left: Side,
                        right: Side | None) -> None:
    other = right or left
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(["left_id", "right_id", "match_probability", "decision",
                         "explanation"])
        for row, why in zip(pairs.table.to_pylist(),
                            explanations(spec, pairs, left, right), strict=True):
            writer.writerow([left.ids[row["left_uid"]], other.ids[row["right_uid"]],
                             round(row["match_probability"], 6), row["decision"],
                             why.text()])


def _counts(pairs: Pairs) -> tuple[int, int]:
    matches = int(pc.sum(pc.equal(pairs.table["decision"], "match")).as_py() or 0)
    return matches, len(pairs) - matches


def link_files(left: Path, right: Path, output: Path, *, options: ReadOptions = ReadOptions(),
               model: TrainedModel | None = None, explain_to: Path | None = None,
               model_out: Path | None = None, spec: LinkageSpec | None = None,
               engine: Engine | None = None, say: Say | None = None) -> LinkResult:
    """Link LEFT against RIGHT and write the candidate pairs to ``output``."""
    spec = spec or default_spec()
    clock = _Clock(say)
    clock.stage("read", "Reading both lists and computing name, date and place keys")
    (left_side, left_read), (right_side, right_read) = _read_all(
        [left, right], options, explain_to is not None)
    reads = (_reported(left_read, output, "left"), _reported(right_read, output, "right"))
    clock.stage("link", "Training the model on the lists and scoring candidate pairs")
    pairs = score(engine or default_engine(), spec, [left_side, right_side], "link", model)
    clock.stage("write", "Writing the pairs")
    _write_pairs(output, pairs, left_side.ids, right_side.ids, ("left_id", "right_id"))
    if explain_to is not None:
        _write_explanations(explain_to, spec, pairs, left_side, right_side)
    if model_out is not None:
        model_out.write_text(pairs.model.to_json(), encoding="utf-8")
    matches, reviews = _counts(pairs)
    return LinkResult(reads, len(pairs), matches, reviews, pairs.model,
                      pairs.scored.skipped, output, clock.done(), pairs.crowded,
                      dict(pairs.scored.blocked))


def _write_clusters(path: Path, ids: tuple[str, ...], numbers: list[int]) -> None:
    width = max(6, len(str(max(numbers, default=0))))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(["record_id", "cluster_id"])
        writer.writerows((rid, f"K{n:0{width}d}") for rid, n in zip(ids, numbers, strict=True))


def dedupe_file(path: Path, output: Path, *, options: ReadOptions = ReadOptions(),
                review_to: Path | None = None, model: TrainedModel | None = None,
                explain_to: Path | None = None, model_out: Path | None = None,
                spec: LinkageSpec | None = None, engine: Engine | None = None,
                say: Say | None = None) -> DedupeResult:
    """Find the records of one list that describe the same child; write clusters."""
    spec = spec or default_spec()
    clock = _Clock(say)
    clock.stage("read", "Reading the list and computing name, date and place keys")
    side, read = read_side(path, options, explain_to is not None)
    read = _reported(read, output, "list")
    clock.stage("link", "Training the model on the list and scoring candidate pairs")
    pairs = score(engine or default_engine(), spec, [side], "dedupe", model)
    clock.stage("write", "Writing the clusters")
    numbers = clusters(len(side), pairs)
    _write_clusters(output, side.ids, numbers)
    if review_to is not None:
        _write_pairs(review_to, pairs, side.ids, side.ids, ("left_id", "right_id"))
    if explain_to is not None:
        _write_explanations(explain_to, spec, pairs, side, None)
    if model_out is not None:
        model_out.write_text(pairs.model.to_json(), encoding="utf-8")
    matches, reviews = _counts(pairs)
    return DedupeResult((read,), len(pairs), matches, reviews, pairs.model,
                        pairs.scored.skipped, output, clock.done(), pairs.crowded,
                        dict(pairs.scored.blocked), clusters=max(numbers, default=0),
                        review_output=review_to)
