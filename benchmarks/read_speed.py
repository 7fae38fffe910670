"""The read stage of ``kinlink link``, alone: reading, validating and keying one list.

At 1M × 1M the read stage is about half of ``kinlink link``'s wall time (each list is
read in a process of its own, one per core here). This times it for each list given,
in this process, with the function :func:`kinlink.matching.files.link_files` calls
(:func:`kinlink.matching.files.read_side`: the list read and validated, then every
record's name, date and place keys, without display values, as a run without
``--explain``). It prints the CPU seconds of this process beside the wall
time: on a machine shared with other work the CPU seconds move far less than the wall,
so before/after comparisons of code read them (interleave the runs; only ratios hold).

    PYTHONPATH=src .venv/bin/python benchmarks/read_speed.py LEFT.csv RIGHT.csv [--repeat 2]

Lists: any in the record list format, e.g. those ``benchmarks/linkage.py`` writes into
its ``--work`` folder (``demo-1000000-201/left.csv``).
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from kinlink.domain.limits import ImportLimits
from kinlink.matching.files import ReadOptions, read_side


def _time_one(path: Path) -> tuple[int, float, float]:
    """Records read, CPU seconds and wall seconds of the read stage of one list."""
    cpu, wall = time.process_time(), time.perf_counter()
    side, _summary = read_side(path, ReadOptions(limits=ImportLimits(file_mb=2048)), False)
    return len(side.ids), time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    """Time the read stage of each list given and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lists", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=1,
                        help="times each list is read (the name caches stay warm after "
                             "the first, as they do not in a run of kinlink link)")
    args = parser.parse_args()
    print("| list | round | records | CPU s | wall s |")
    print("|---|---|---|---|---|")
    for path in args.lists:
        for round_ in range(1, args.repeat + 1):
            rows, cpu, wall = _time_one(path)
            print(f"| {path.name} | {round_} | {rows:,} | {cpu:.1f} | {wall:.1f} |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of this process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
