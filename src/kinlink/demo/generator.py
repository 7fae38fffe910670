"""Synthetic lists of sought and found children, with the truth that links them.

``generate`` writes one world as it would reach kinlink: family reports from Ukraine
(sought) and three kinds of found lists from the Russian side (adoption registry,
camp roster, institution list — for children moved in a group, an arrival list),
each in the record list format
(docs: /work/shared/spec/list-format.md), plus ``truth.csv`` saying which records are
the same child. Linkage and dedupe can then be measured against the truth.

``generate_flat`` writes one large mixed file quickly, for benchmarks.

All names are drawn from curated name lists and Faker; no real person is described.
The output is a pure function of the configuration.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, TextIO

from faker import Faker

from kinlink.demo import render
from kinlink.demo.people import Child, Family, WorldBuilder
from kinlink.domain.cells import SafeCsvWriter

__all__ = ["DemoConfig", "GeneratedFile", "generate", "generate_flat"]

Kind = Literal[
    "family_reports", "adoption_registry", "camp_list", "institution_list", "mediator_list"
]
FoundKind = Literal["adoption_registry", "camp_list", "institution_list"]
FOUND_KINDS: tuple[FoundKind, ...] = ("adoption_registry", "camp_list", "institution_list")

DEFAULT_SEED = 20260101
TRUTH_FILE = "truth.csv"
TRUTH_COLUMNS = ("file", "record_id", "child_id", "family_id")
FLAT_COLUMNS = (*render.LIST_COLUMNS, *render.REPORTER_COLUMNS)


@dataclass(frozen=True)
class DemoConfig:
    """What world to generate.

    Every child appears in at least one list, so when ``reported_share`` and
    ``found_share`` add up to less than one, more children are found than
    ``found_share`` asks for. Shares are met family by family, so they are close to,
    not exactly, the requested values.
    """

    children: int = 2000
    seed: int = DEFAULT_SEED
    reported_share: float = 0.7
    found_share: float = 0.75

    def __post_init__(self) -> None:
        if self.children < 1:
            raise ValueError("children must be at least 1")
        for name in ("reported_share", "found_share"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")


@dataclass(frozen=True)
class GeneratedFile:
    """One list file written by :func:`generate`."""

    path: Path
    role: str
    kind: str
    title: str
    producer: str
    rows: int


@dataclass(frozen=True)
class _FileSpec:
    """Static description of one list file."""

    kind: Kind
    role: str
    title: str
    producer: str
    prefix: str
    digits: int
    columns: tuple[str, ...]


_SPECS: dict[str, _FileSpec] = {  # titled by their producers, as real lists are:
    # Ukrainian agencies in Ukrainian, the Russian side in Russian
    "family_reports": _FileSpec(
        "family_reports", "sought", "Звернення родин про зниклих дітей",
        "Синтетичні демо-дані: родичі та організації в Україні", "FR", 6,
        render.FAMILY_COLUMNS,
    ),
    "adoption_registry": _FileSpec(
        "adoption_registry", "found", "Выписка из банка данных об усыновлении и опеке",
        "Синтетические демо-данные: региональный реестр усыновления (Россия)", "ADP", 5,
        render.ADOPTION_COLUMNS,
    ),
    "camp_list": _FileSpec(
        "camp_list", "found", "Список детей лагеря",
        "Синтетические демо-данные: администрация лагеря", "CMP", 5, render.CAMP_COLUMNS,
    ),
    "institution_list": _FileSpec(
        "institution_list", "found", "Воспитанники детского учреждения",
        "Синтетические демо-данные: детское учреждение (Россия)", "INS", 5,
        render.INSTITUTION_COLUMNS,
    ),
}  # fmt: skip

# A rendered row and the child it describes, before its record id is assigned.
_Pending = tuple[Child, dict[str, str]]


def _new_world(seed: int) -> tuple[random.Random, WorldBuilder]:
    """The random generator and world builder for ``seed``."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    faker = Faker("uk_UA")
    faker.seed_instance(seed)
    moves = random.Random(f"moves-{seed}")  # noqa: S311 - its own stream: see people.py
    return rng, WorldBuilder(rng, faker, moves)


def _take(families: Iterator[Family], children: int) -> list[Family]:
    """Families from the stream until exactly ``children`` children are drawn."""
    taken: list[Family] = []
    count = 0
    for family in families:
        room = children - count
        if len(family.children) > room:
            family = replace(family, children=family.children[:room])
        taken.append(family)
        count += len(family.children)
        if count >= children:
            break
    return taken


def _pick_families(families: Sequence[Family], target: int) -> list[Family]:
    """Whole families, in the given order, until at least ``target`` children."""
    chosen: list[Family] = []
    count = 0
    for family in families:
        if count >= target:
            break
        chosen.append(family)
        count += len(family.children)
    return chosen


def _found_kind_weights(child: Child) -> tuple[float, float, float]:
    """How likely each found list is for a child of this age (adoption, camp, institution)."""
    age = child.age_at_removal
    if age < 6:
        return (0.45, 0.10, 0.45)
    if age < 14:
        return (0.25, 0.35, 0.40)
    return (0.10, 0.50, 0.40)


def _draw_found_kinds(child: Child, rng: random.Random) -> list[FoundKind]:
    """One to three distinct found lists the child appears in."""
    wanted = rng.choices((1, 2, 3), (70, 25, 5))[0]
    kinds = list(FOUND_KINDS)
    weights = list(_found_kind_weights(child))
    chosen: list[FoundKind] = []
    for _ in range(wanted):
        at = rng.choices(range(len(kinds)), weights)[0]
        chosen.append(kinds.pop(at))
        weights.pop(at)
    return chosen


def _found_rows(families: Sequence[Family], rng: random.Random) -> dict[str, list[_Pending]]:
    """Render every found family into the found lists; siblings usually travel together."""
    rows: dict[str, list[_Pending]] = {kind: [] for kind in FOUND_KINDS}
    renderers: dict[str, Callable[[Child, random.Random], dict[str, str]]] = {
        "adoption_registry": render.adoption_entry,
        "camp_list": render.camp_entry,
        "institution_list": render.institution_entry,
    }
    for family in families:
        shared = _draw_found_kinds(family.children[0], rng)
        for child in family.children:
            kinds = shared if rng.random() < 0.8 else _draw_found_kinds(child, rng)
            for kind in kinds:
                rows[kind].append((child, renderers[kind](child, rng)))
    return rows


def _report_rows(families: Sequence[Family], rng: random.Random) -> list[_Pending]:
    """Render family reports; about 4% of children are reported a second time."""
    rows: list[_Pending] = []
    for family in families:
        for child in family.children:
            rows.append((child, render.family_report(child, family, family.reporter, rng)))
            if rng.random() < 0.04:
                second = render.family_report(child, family, family.second_reporter, rng)
                rows.append((child, second))
    return rows


def _plan(
    families: list[Family], config: DemoConfig, rng: random.Random
) -> dict[str, list[_Pending]]:
    """Decide who is reported and who is found, and render all rows."""
    order = families[:]
    rng.shuffle(order)
    reported = _pick_families(order, round(config.reported_share * config.children))
    reported_ids = {f.family_id for f in reported}
    unreported = [f for f in order if f.family_id not in reported_ids]
    unreported_children = sum(len(f.children) for f in unreported)
    found_target = round(config.found_share * config.children)
    also_found = _pick_families(reported, found_target - unreported_children)
    rows = {"family_reports": _report_rows(reported, rng)}
    rows.update(_found_rows([*unreported, *also_found], rng))
    return rows


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write a UTF-8 CSV with a header row, RFC 4180 quoting and CRLF line ends."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def generate(out_dir: Path, config: DemoConfig = DemoConfig()) -> list[GeneratedFile]:
    """Write the demo lists and ``truth.csv`` into ``out_dir``; return the list files.

    Files are ``family_reports.csv`` (sought), ``adoption_registry.csv``,
    ``camp_list.csv`` and ``institution_list.csv`` (found). ``truth.csv`` has one row
    per record: ``file,record_id,child_id,family_id``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    rng, builder = _new_world(config.seed)
    families = _take(builder.families(), config.children)
    planned = _plan(families, config, rng)
    written: list[GeneratedFile] = []
    truth: list[tuple[str, str, str, str]] = []
    for kind, spec in _SPECS.items():
        pending = planned[kind]
        rng.shuffle(pending)
        path = out_dir / f"{kind}.csv"
        table = []
        for number, (child, row) in enumerate(pending, start=1):
            record_id = f"{spec.prefix}-{number:0{spec.digits}d}"
            row["record_id"] = record_id
            table.append([row.get(column, "") for column in spec.columns])
            truth.append((path.name, record_id, child.child_id, child.family_id))
        _write_csv(path, spec.columns, table)
        written.append(
            GeneratedFile(path, spec.role, spec.kind, spec.title, spec.producer, len(table))
        )
    _write_csv(out_dir / TRUTH_FILE, TRUTH_COLUMNS, truth)
    return written


FLAT_SHUFFLE_WINDOW = 4096


def _flat_rows(builder: WorldBuilder, rng: random.Random) -> Iterator[_Pending]:
    """Rows of every kind in an endless stream, shuffled within a window.

    Records of one child are drawn together; the window scatters them over a few
    thousand rows, so a benchmark cannot find duplicates just by looking at neighbours.
    """
    window: list[_Pending] = []
    for pending in _flat_rows_in_order(builder, rng):
        window.append(pending)
        if len(window) >= FLAT_SHUFFLE_WINDOW:
            at = rng.randrange(len(window))
            window[at], window[-1] = window[-1], window[at]
            yield window.pop()


def _flat_rows_in_order(builder: WorldBuilder, rng: random.Random) -> Iterator[_Pending]:
    """An endless stream of rows of every kind: each child appears one to three times."""
    for family in builder.families():
        for child in family.children:
            for _ in range(rng.choices((1, 2, 3), (55, 30, 15))[0]):
                roll = rng.random()
                if roll < 0.4:
                    yield child, render.family_report(child, family, family.reporter, rng)
                elif roll < 0.55:
                    yield child, render.adoption_entry(child, rng)
                elif roll < 0.75:
                    yield child, render.camp_entry(child, rng)
                else:
                    yield child, render.institution_entry(child, rng)


def generate_flat(
    path: Path, rows: int, seed: int = DEFAULT_SEED, *, truth: Path | None = None
) -> int:
    """Write one list-format CSV with exactly ``rows`` mixed-script records; return ``rows``.

    Records of the same child recur in the file (Ukrainian, Russian and Latin forms),
    so the file also serves dedupe benchmarks; pass ``truth`` to get the matching
    ``record_id,child_id,family_id`` file. Ids are ``R-0000001``… and unique.
    """
    if rows < 0:
        raise ValueError("rows must not be negative")
    path.parent.mkdir(parents=True, exist_ok=True)
    rng, builder = _new_world(seed)
    digits = max(7, len(str(rows)))
    with path.open("w", encoding="utf-8", newline="") as out:
        truth_out: TextIO | None = None
        if truth is not None:
            truth_out = truth.open("w", encoding="utf-8", newline="")
        try:
            _write_flat(out, truth_out, _flat_rows(builder, rng), rows, digits)
        finally:
            if truth_out is not None:
                truth_out.close()
    return rows


def _write_flat(
    out: TextIO, truth_out: TextIO | None, stream: Iterator[_Pending], rows: int, digits: int
) -> None:
    """Copy the first ``rows`` rows of ``stream`` into ``out`` (and their truth)."""
    writer = SafeCsvWriter(out)
    writer.writerow(FLAT_COLUMNS)
    truth_writer = SafeCsvWriter(truth_out) if truth_out is not None else None
    if truth_writer is not None:
        truth_writer.writerow(TRUTH_COLUMNS[1:])
    for number in range(1, rows + 1):
        child, row = next(stream)
        row["record_id"] = record_id = f"R-{number:0{digits}d}"
        writer.writerow([row.get(column, "") for column in FLAT_COLUMNS])
        if truth_writer is not None:
            truth_writer.writerow((record_id, child.child_id, child.family_id))
