"""Name-engine speed: normalising and keying N names, against a plain baseline.

Generates N list records with ``kinlink.demo.generate_flat`` (mixed Ukrainian, Russian
and Latin names, separate fields or one full-name column, names recurring as in real
lists), reads their name columns, and times over the same records:

* **baseline**: ``unicodedata.normalize("NFC", s).casefold()`` of every non-empty name
  field, the least any name pipeline does;
* **kinlink cold**: ``kinlink.names.name_features`` for every record after the one-time
  table loading, with every per-value cache of ``kinlink.names`` emptied first;
* **kinlink warm**: the same again, caches full (a second pass, as when linkage reruns).

Prints wall time, names per second, the ratio to the baseline and the peak RSS. Run:

    .venv/bin/python benchmarks/names_speed.py --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import importlib
import pkgutil
import resource
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import kinlink.names
from kinlink.demo.generator import generate_flat
from kinlink.names import name_features

Record = tuple[str | None, str | None, str | None, str | None]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_records(path: Path) -> list[Record]:
    """(given, surname, patronymic, full_name) of every row, empty cells as None."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["given_name"] or None, row["surname"] or None,
                 row["patronymic"] or None, row["full_name"] or None)
                for row in csv.DictReader(handle)]


def clear_value_caches() -> int:
    """Empty every bounded (per-value) lru_cache in kinlink.names; keep loaded tables."""
    cleared = 0
    for info in pkgutil.iter_modules(kinlink.names.__path__, "kinlink.names."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            parameters = getattr(value, "cache_parameters", None)
            if parameters is not None and parameters()["maxsize"] is not None:
                value.cache_clear()
                cleared += 1
    return cleared


def baseline(records: Sequence[Record]) -> int:
    normalize = unicodedata.normalize
    count = 0
    for record in records:
        for field in record:
            if field:
                normalize("NFC", field).casefold()
                count += 1
    return count


def kinlink_features(records: Sequence[Record]) -> int:
    keyed = 0
    for record in records:
        if name_features(*record).surname_key is not None:
            keyed += 1
    return keyed


def timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20221)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "flat.csv"
        seconds, _ = timed(lambda: generate_flat(path, args.rows, seed=args.seed))
        print(f"generated {args.rows:,} records in {seconds:.1f} s (not counted)")
        records = read_records(path)
    distinct = len(set(records))
    print(f"{len(records):,} records, {distinct:,} distinct name tuples; "
          f"peak RSS after loading {peak_mb():.0f} MB")

    seconds, _ = timed(lambda: kinlink_features(records[:1]))
    print(f"one-time table loading (first call): {seconds:.2f} s")

    base, fields = timed(lambda: baseline(records))
    print(f"\n{'run':<34}{'seconds':>9}{'names/s':>12}{'× baseline':>12}{'peak RSS':>10}")
    print(f"{'baseline NFC + casefold':<34}{base:>9.2f}{len(records) / base:>12,.0f}"
          f"{1:>11.1f}×{peak_mb():>8.0f}MB   ({fields:,} fields)")
    cleared = clear_value_caches()
    for label in ("kinlink name_features, cold", "kinlink name_features, warm"):
        seconds, keyed = timed(lambda: kinlink_features(records))
        print(f"{label:<34}{seconds:>9.2f}{len(records) / seconds:>12,.0f}"
              f"{seconds / base:>11.1f}×{peak_mb():>8.0f}MB")
    print(f"\n{cleared} per-value caches emptied before the cold run; "
          f"{keyed:,} records got a surname key")


if __name__ == "__main__":
    main()
