"""Where an adopted child's registry entry ranks among the child's possible identities.

The linkage benchmark shows the review queue reaching about a quarter of adoption
registry entries under an adoptive identity, and why no global threshold can reach many
more without flooding the queue. ``kinlink children identities`` takes the other road
for one child at a time: every found record of a compatible sex born within three months
of the child, ranked by the model. This script measures that road on the same generated
lists (``linkage.py``'s generator and seed): for each true pair whose found record shows
an adoptive identity, how many records the child's window holds and at which rank the
true entry comes — the number of records a case worker reads before reaching it.

The candidates and the ranking are the command's own (:func:`kinlink.linkage.ranking.
in_window`, :func:`~kinlink.linkage.ranking.rank_candidates`); the model is trained on
the two lists, as ``kinlink match`` would train it on a store holding them. Run:

    .venv/bin/python benchmarks/identities.py --size 10000 --seed 201
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

from kinlink.domain.records import ParsedRecord
from kinlink.linkage import default_engine, default_spec, side_from_records
from kinlink.linkage.ranking import in_window, rank_candidates
from kinlink.listfiles import read_list
from linkage import _data  # the same generated lists as the linkage benchmark

TOPS = (1, 3, 10, 25, 100)


def _adoptive_pairs(folder: Path) -> list[tuple[str, str]]:
    """(left record_id, right record_id) of every true pair with an adoptive entry."""
    left: dict[str, list[str]] = defaultdict(list)
    adoptive: list[tuple[str, str]] = []
    with (folder / "truth.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["file"] == "left.csv":
            left[row["child_id"]].append(row["record_id"])
    for row in rows:
        if row["file"] == "right.csv" and row["identity"] == "adoptive":
            adoptive += [(lid, row["record_id"]) for lid in left.get(row["child_id"], [])]
    return adoptive


def _compatible(child: ParsedRecord, other: ParsedRecord) -> bool:
    """The service's filter: a sex that does not contradict, a birth date in the window."""
    if child.birth_date is None:
        return False
    sex_ok = child.sex is None or other.sex is None or child.sex == other.sex
    return sex_ok and in_window(child.birth_date, other.birth_date)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=201)
    parser.add_argument("--sample", type=int, default=400,
                        help="rank at most this many adoptive pairs (drawn at random)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kinlink-linkage-bench"))
    args = parser.parse_args()
    folder = _data(args.work, args.size, args.seed)
    left = {r.record_id: r for r in read_list(folder / "left.csv").records()}
    right = list(read_list(folder / "right.csv").records())
    engine, spec = default_engine(), default_spec()
    sides = [side_from_records(left.values(), display=False),
             side_from_records(right, display=False)]
    model = engine.train(spec, [s.features for s in sides], "link")
    pairs = _adoptive_pairs(folder)
    chosen = random.Random(args.seed).sample(pairs, min(args.sample, len(pairs)))
    ranks: list[int | None] = []
    windows: list[int] = []
    started = time.perf_counter()
    for left_id, right_id in chosen:
        child = left[left_id]
        window = [r for r in right if _compatible(child, r)]
        windows.append(len(window))
        ranked = rank_candidates(engine, spec, model, side_from_records([child]),
                                 side_from_records(window))
        order = [window[r.uid].record_id for r in ranked]
        ranks.append(order.index(right_id) + 1 if right_id in order else None)
    seconds = time.perf_counter() - started
    n = len(chosen)
    print(f"{args.size:,} a side, seed {args.seed}: {len(pairs):,} adoptive true pairs, "
          f"{n} ranked in {seconds:.1f} s ({seconds / max(n, 1):.2f} s per child); "
          f"records in a child's window: median {statistics.median(windows):,.0f}, "
          f"90th percentile {sorted(windows)[int(0.9 * (n - 1))]:,}")
    outside = sum(1 for r in ranks if r is None)
    print(f"not in the window (sex contradicted, birth date moved further, or missing): "
          f"{outside} ({outside / n:.1%})")
    for top in TOPS:
        share = sum(1 for r in ranks if r is not None and r <= top) / n
        print(f"true entry within the first {top:>3}: {share:.1%}")


if __name__ == "__main__":
    main()
