"""Two lists to link, with the truth: family reports on the left, found lists on the right.

:func:`generate_linkage_pair` writes the shape linkage meets in practice: LEFT holds
reports by families in Ukraine (Ukrainian forms, sometimes a passport transliteration,
partial dates, about 4% of children reported twice); RIGHT holds the found lists of
the Russian side merged into one file (adoption registry entries with Russian forms and
adoptive identities — new surname, patronymic, sometimes given name, birth date moved
by up to three months, birthplace replaced —, camp rosters in Latin letters,
institution lists typed with look-alike letters and typos). Siblings and twins travel
together; many reported children are never found and many found children were never
reported. Rows are the same renderers :func:`~kinlink.demo.generate` uses.

Both files have exactly ``rows_per_side`` rows. Records of one family are drawn
together and scattered by a shuffle window, so neighbouring rows say nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from kinlink.demo import render
from kinlink.demo.generator import FLAT_SHUFFLE_WINDOW, TRUTH_COLUMNS, _draw_found_kinds, _new_world
from kinlink.demo.people import Child, Family
from kinlink.domain.cells import SafeCsvWriter

__all__ = ["FOUND_SHARE", "REPORTED_SHARE", "TRUTH_PAIR_COLUMNS", "generate_linkage_pair"]

REPORTED_SHARE = 0.75
"""Share of families whose children are reported (every family is in one list at least)."""
FOUND_SHARE = 0.6
"""Share of families found. With 1.04 report rows and about 1.35 found rows per child,
these shares fill both files at the same pace; about 35% of families are on both sides."""

_Row = tuple[Child, dict[str, str], str]
"""A child, the row rendered for it, and the kind of list the row belongs to."""

TRUTH_PAIR_COLUMNS = (*TRUTH_COLUMNS, "list_kind", "identity")
"""The truth of a linkage pair: the generator's columns, the kind of list a row comes
from (``family_report`` or one of the found lists) and ``adoptive`` for an adoption
registry entry that shows the adoptive identity (new surname and patronymic, perhaps a
new given name, birth date and birthplace), ``own`` otherwise. Benchmarks use the last
two to say where the pairs they miss are."""
_COLUMNS = render.LIST_COLUMNS + render.REPORTER_COLUMNS


class _Writer(Protocol):
    """What a ``csv.writer`` offers that this module uses."""

    def writerow(self, row: Iterable[Any], /) -> Any: ...

_RENDERERS: dict[str, Callable[[Child, random.Random], dict[str, str]]] = {
    "adoption_registry": render.adoption_entry,
    "camp_list": render.camp_entry,
    "institution_list": render.institution_entry,
}


def _sides(family: Family, rng: random.Random) -> tuple[list[_Row], list[_Row]]:
    """The report rows and the found rows one family produces."""
    roll = rng.random()
    reported = roll < REPORTED_SHARE
    found = roll >= 1 - FOUND_SHARE
    left: list[_Row] = []
    right: list[_Row] = []
    if reported:
        for child in family.children:
            report = render.family_report(child, family, family.reporter, rng)
            left.append((child, report, "family_report"))
            if rng.random() < 0.04:
                second = render.family_report(child, family, family.second_reporter, rng)
                left.append((child, second, "family_report"))
    if found:
        shared = _draw_found_kinds(family.children[0], rng)
        for child in family.children:
            kinds = shared if rng.random() < 0.8 else _draw_found_kinds(child, rng)
            right.extend((child, _RENDERERS[kind](child, rng), kind) for kind in kinds)
    return left, right


class _Window:
    """A shuffle window: rows go in in order and come out scattered over a few thousand."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[_Row] = []

    def push(self, row: _Row) -> _Row | None:
        """Add ``row``; once the window is full, return a random row taken out of it."""
        self.rows.append(row)
        if len(self.rows) < FLAT_SHUFFLE_WINDOW:
            return None
        at = self.rng.randrange(len(self.rows))
        self.rows[at], self.rows[-1] = self.rows[-1], self.rows[at]
        return self.rows.pop()

    def drain(self) -> Iterator[_Row]:
        """The rows still in the window, shuffled."""
        self.rng.shuffle(self.rows)
        yield from self.rows
        self.rows = []


class _Side:
    """One output file being written: its writer, truth rows, id prefix and count."""

    def __init__(self, path: Path, prefix: str, rows: int, rng: random.Random,
                 truth: _Writer) -> None:
        self.path = path
        self.truth = truth
        self.prefix = prefix
        self.wanted = rows
        self.accepted = 0
        self.written = 0
        self.window = _Window(rng)
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.writer = SafeCsvWriter(self.handle)
        self.writer.writerow(_COLUMNS)
        self.digits = max(7, len(str(rows)))

    @property
    def full(self) -> bool:
        """Whether the file has all the rows it wants."""
        return self.accepted >= self.wanted

    def add(self, row: _Row) -> None:
        """Take ``row`` unless the file is full; write what the window lets out."""
        if self.full:
            return
        self.accepted += 1
        out = self.window.push(row)
        if out is not None:
            self._write(out)

    def close(self) -> None:
        """Write the rows left in the window and close the file."""
        for row in self.window.drain():
            self._write(row)
        self.handle.close()

    def _write(self, item: _Row) -> None:
        child, row, kind = item
        self.written += 1
        row["record_id"] = record_id = f"{self.prefix}-{self.written:0{self.digits}d}"
        self.writer.writerow([row.get(c, "") for c in _COLUMNS])
        adoptive = kind == "adoption_registry" and child.adoption is not None
        self.truth.writerow((self.path.name, record_id, child.child_id, child.family_id,
                             kind, "adoptive" if adoptive else "own"))


def generate_linkage_pair(left: Path, right: Path, rows_per_side: int, seed: int,
                          truth: Path) -> None:
    """Write LEFT (family reports) and RIGHT (found lists), ``rows_per_side`` rows each.

    ``truth`` gets ``file,record_id,child_id,family_id,list_kind,identity`` for every
    row of both files (``file`` is the file's name; see :data:`TRUTH_PAIR_COLUMNS`), so
    that pairs and clusters can be scored. The output
    is a pure function of ``rows_per_side`` and ``seed``.
    """
    if rows_per_side < 0:
        raise ValueError("rows_per_side must not be negative")
    for path in (left, right, truth):
        path.parent.mkdir(parents=True, exist_ok=True)
    rng, builder = _new_world(seed)
    with truth.open("w", encoding="utf-8", newline="") as truth_handle:
        truth_writer = SafeCsvWriter(truth_handle)
        truth_writer.writerow(TRUTH_PAIR_COLUMNS)
        sides = (_Side(left, "L", rows_per_side, rng, truth_writer),
                 _Side(right, "R", rows_per_side, rng, truth_writer))
        families = builder.families()
        while not all(side.full for side in sides):
            report_rows, found_rows = _sides(next(families), rng)
            for row in report_rows:
                sides[0].add(row)
            for row in found_rows:
                sides[1].add(row)
        for side in sides:
            side.close()
