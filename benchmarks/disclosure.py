"""Disclosure control at three sizes, beside primary suppression alone.

For 500, 5,000 and 50,000 generated, skewed case facts (tests/statfacts.py), prepares a
release (protected against the release a quarter earlier) and prints: cells, suppressed
primary / secondary, information lost (the share of the cases in the inner cells that sit
in suppressed cells), the solver's seconds, and the attacker's narrowest interval over
both releases; then the same for the naive baseline (primary suppression and rounding
only), with how many of its suppressed cells the attacker narrows below the rule; and
the release prepared after counts went down (every fourth case erased, every seventh
stepped back to reported: ``shrunk``), against the same earlier release.

    PYTHONPATH=src python benchmarks/disclosure.py [--sizes 500 5000 50000]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from kinlink.statistics.attack import attack, narrowest, too_narrow
from kinlink.statistics.facts import CaseFact
from kinlink.statistics.release import (
    THRESHOLD,
    TOTAL,
    CellStatus,
    Preview,
    PublishedCell,
    Release,
    prepare_release,
    rounded,
)
from statfacts import AS_OF, PREVIOUS_AS_OF, facts


def _naive(preview: Preview) -> Release:
    tables = []
    for table in preview.release.tables:
        cells = {k: PublishedCell(None, CellStatus.SUPPRESSED) if n < THRESHOLD
                 else PublishedCell(rounded(n), CellStatus.ROUNDED)
                 for k, n in preview.raw[table.code].items()}
        tables.append(dataclasses.replace(table, cells=cells))
    return dataclasses.replace(preview.release, tables=tuple(tables))


def _went_down(data: list[CaseFact]) -> list[CaseFact]:
    """Every fourth case erased, every seventh stepped back to reported."""
    out = []
    for i, fact in enumerate(data):
        if i % 4 == 0:
            continue
        if i % 7 == 0:
            fact = dataclasses.replace(fact, return_channel=None,
                                       milestones={"reported": fact.milestones["reported"]})
        out.append(fact)
    return out


def _lost(preview: Preview, release: Release) -> float:
    inner = suppressed = 0
    for table in release.tables:
        for (row, column), n in preview.raw[table.code].items():
            if TOTAL in (row, column) or table.code == "milestones":
                continue
            inner += n
            if table.cells[(row, column)].value is None:
                suppressed += n
    return suppressed / inner if inner else 0.0


def _row(label: str, preview: Preview, release: Release, previous: Release,
         seconds: float) -> str:
    cells = sum(len(t.cells) for t in release.tables)
    hidden = sum(c.value is None for t in release.tables for c in t.cells.values())
    primary = sum(n < THRESHOLD for t in release.tables for n in preview.raw[t.code].values())
    started = time.perf_counter()
    intervals = attack(release, previous)
    attack_seconds = time.perf_counter() - started
    low = narrowest(intervals)
    shown = "-" if low is None else f"[{low.low:.0f}, {low.high:.0f}] ({low.table})"
    return (f"{label:<9} {cells:>6} {primary:>8} {hidden - primary:>9} "
            f"{_lost(preview, release):>8.1%} {seconds:>8.2f} {attack_seconds:>8.2f} "
            f"{len(too_narrow(intervals)):>7}  {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 50000])
    args = parser.parse_args()
    print(f"{'':<9} {'cells':>6} {'primary':>8} {'secondary':>9} {'lost':>8} "
          f"{'solver s':>8} {'attack s':>8} {'broken':>7}  narrowest interval")
    for size in args.sizes:
        data = facts(size, seed=size)
        before = prepare_release(data, PREVIOUS_AS_OF)
        preview = prepare_release(data, AS_OF, before.release)
        print(f"{size} cases")
        print(_row("  sdc-2", preview, preview.release, before.release,
                   before.solver_seconds + preview.solver_seconds))
        print(_row("  naive", preview, _naive(preview), _naive(before), 0.0))
        shrunk = prepare_release(_went_down(data), AS_OF, before.release)
        print(_row("  shrunk", shrunk, shrunk.release, before.release,
                   shrunk.solver_seconds))


if __name__ == "__main__":
    main()
