"""Where an adopted child's registry entry ranks among the child's possible identities.

The linkage benchmark shows the review queue reaching about a quarter of adoption
registry entries under an adoptive identity, and why no global threshold can reach many
more without flooding the queue. ``kinlink children identities`` takes the other road
for one child at a time: the found records of a compatible sex born within three months
of the child — or, where either has no birth date, tied to it by the given name, a
place or a sibling's age gap — ranked by the model, those listed by their birth date
apart from those listed without one. This script measures that road on the same
generated lists (``linkage.py``'s generator and seed): for each true pair whose found
record shows an adoptive identity, whether the true entry is listed and at which rank
in its section — the number of records a case worker reads there before reaching it —
split by whether the report and the registry entry give a birth date.

The generated lists always give one, so ``--undated`` blanks the birth date of that
share of the records of each list (chosen with the seed) before anything is learned or
ranked, as lists from the field lack them. The window is the command's, read here from
the lists instead of the store (:func:`kinlink.linkage.listing.in_window`, the name
index's tokens :func:`kinlink.storage.search_keys.tokens_for`), and so are the listing
and the ranking (:func:`kinlink.linkage.ranking.rank_candidates`); the model is trained
on the two lists, as ``kinlink match`` would train it on a store holding them. Siblings
are read from the whole lists (the command reads each record's list for them).

Children moved together: the lists are linked first (automatic links only, as a store
holds them before anyone reviews), and a candidate whose group mates are linked to the
child's group mates gains what :meth:`kinlink.linkage.cohorts.Cohorts.intakes` finds,
as the command's ranking does (``--no-cohorts``: without them, which also runs with the
code of before). ``--generator second`` measures on the second generator's lists.

``--cli`` also times the command itself, a process per call as a person runs it, on a
demo store (``kinlink demo run`` in ``WORK/cli-store``) for a reported child with a
birth date and for one imported without. Run:

    .venv/bin/python benchmarks/identities.py --size 10000 --seed 201 --cli
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from kinlink.domain.records import ParsedRecord
from kinlink.linkage import default_engine, default_spec, side_from_records
from kinlink.linkage.cohorts import Cohorts
from kinlink.linkage.ranking import Records, in_window, rank_candidates
from kinlink.linkage.tasks import score
from kinlink.listfiles import read_list
from kinlink.storage.search_keys import tokens_for
from linkage import _data  # the same generated lists as the linkage benchmark

TOPS = (1, 3, 10, 25, 100)
CLI_CALLS = 5


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


def _own_records(folder: Path) -> dict[str, set[str]]:
    """For each left record_id, the right record_ids of the same child under its own
    identity: the records linkage links (own identity, match + review recall 99.9% on
    these lists), which the command leaves out once they are in the child's cluster."""
    child_of_left: dict[str, str] = {}
    own: dict[str, set[str]] = defaultdict(set)
    with (folder / "truth.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["file"] == "left.csv":
            child_of_left[row["record_id"]] = row["child_id"]
        elif row["identity"] == "own":
            own[row["child_id"]].add(row["record_id"])
    return {left: own.get(child, set()) for left, child in child_of_left.items()}


def _blanked(records: list[ParsedRecord], share: float, rng: random.Random
             ) -> list[ParsedRecord]:
    """The records, ``share`` of them without their birth date."""
    return [dataclasses.replace(r, birth_date=None) if rng.random() < share else r
            for r in records]


def _tokens(row: dict[str, Any]) -> set[str]:
    """The given-name tokens the name index keeps for a record."""
    return tokens_for(row["given_ids"] or (), row["given_key"])


def _window(child: ParsedRecord, child_tokens: set[str], right: list[ParsedRecord],
            tokens: list[set[str]]) -> list[int]:
    """The command's window, read from the lists: a sex that does not contradict, and a
    birth date within three months — or, a date missing on either side, the given
    name's token shared or unreadable (missing, or not in the name table)."""
    readable = any(t.startswith("i:") for t in child_tokens)
    found = []
    for j, other in enumerate(right):
        if child.sex is not None and other.sex is not None and child.sex != other.sex:
            continue
        if child.birth_date is not None and other.birth_date is not None:
            if in_window(child.birth_date, other.birth_date):
                found.append(j)
        elif (not readable or tokens[j] & child_tokens
              or not any(t.startswith("i:") for t in tokens[j])):
            found.append(j)
    return found


def _share(ranks: list[int | None], top: int) -> str:
    return f"{sum(1 for r in ranks if r is not None and r <= top) / len(ranks):.1%}"


def _report(groups: dict[tuple[bool, bool], list[int | None]]) -> None:
    print("| report has a birth date | registry entry has one | pairs | first | top 3 "
          "| top 10 | top 25 | not listed |")
    print("|---|---|---|---|---|---|---|---|")
    words = {True: "yes", False: "no"}
    cells = [(words[c], words[e], groups[(c, e)]) for c in (True, False)
             for e in (True, False) if groups.get((c, e))]
    cells.append(("all", "all", [r for ranks in groups.values() for r in ranks]))
    for child, entry, ranks in cells:
        outside = sum(1 for r in ranks if r is None) / len(ranks)
        print(f"| {child} | {entry} | {len(ranks)} | {_share(ranks, 1)} | "
              f"{_share(ranks, 3)} | {_share(ranks, 10)} | {_share(ranks, 25)} | "
              f"{outside:.1%} |")


def _kinlink() -> list[str]:
    script = Path(sys.executable).with_name("kinlink")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kinlink"]


def _children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes so far: unlike the
    wall time, not stretched by other work on a shared machine."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _cli(work: Path) -> None:
    """Seconds per ``kinlink children identities`` call on a demo store."""
    data = work / "cli-store"
    env = {**os.environ, "KINLINK_DATA_DIR": str(data), "KINLINK_USER": "benchmark"}
    if not (data / "kinlink.sqlite3").exists():
        subprocess.run([*_kinlink(), "demo", "run"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    database = sqlite3.connect(data / "kinlink.sqlite3")
    dated, surname, given, sex, place = database.execute(
        "SELECT id, surname, given_name, sex, birth_place FROM records WHERE role = 'sought' "
        "AND birth_day IS NOT NULL AND given_name IS NOT NULL ORDER BY id LIMIT 1").fetchone()
    undated = database.execute("SELECT id FROM records WHERE record_id = 'undated-1'"
                               ).fetchone()
    if undated is None:
        report = work / "undated-report.csv"
        report.write_text("record_id,surname,given_name,sex,birth_place\n"
                          f"undated-1,{surname},{given},{sex or ''},{place or ''}\n",
                          encoding="utf-8")
        subprocess.run([*_kinlink(), "import", str(report), "--kind", "family_reports",
                        "--no-link"], env=env, check=True, stdout=subprocess.DEVNULL)
        undated = database.execute("SELECT id FROM records WHERE record_id = 'undated-1'"
                                   ).fetchone()
    records = database.execute("SELECT role, count(*) FROM records GROUP BY role").fetchall()
    database.close()
    print(f"\n`kinlink children identities` on a demo store ({dict(records)} records), "
          f"{CLI_CALLS} calls each (load average before: {os.getloadavg()[0]:.1f}):")
    for label, record in (("report with a birth date", dated),
                          ("report without one", undated[0])):
        seconds, cpu = [], []
        for _ in range(CLI_CALLS):
            started, used = time.perf_counter(), _children_cpu()
            subprocess.run([*_kinlink(), "children", "identities", str(record), "--json"],
                           env=env, check=True, stdout=subprocess.DEVNULL)
            seconds.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - used)
        print(f"- {label} (record {record}): wall median {statistics.median(seconds):.2f} s "
              f"(best {min(seconds):.2f}, worst {max(seconds):.2f}), CPU median "
              f"{statistics.median(cpu):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=201)
    parser.add_argument("--sample", type=int, default=400,
                        help="rank at most this many adoptive pairs (drawn at random)")
    parser.add_argument("--undated", type=float, default=0.1,
                        help="share of each list's records whose birth date is blanked")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kinlink-linkage-bench"))
    parser.add_argument("--cli", action="store_true", help="also time the command")
    parser.add_argument("--generator", choices=("demo", "second"), default="demo",
                        help="kinlink.demo's lists, or the second generator's (measuring "
                             "only)")
    parser.add_argument("--no-cohorts", action="store_true",
                        help="rank without the group mates' links (as before; also runs "
                             "with the code of main before them)")
    args = parser.parse_args()
    folder = _data(args.work, args.size, args.seed, args.generator)
    rng = random.Random(args.seed)
    left_list = _blanked(list(read_list(folder / "left.csv").records()), args.undated, rng)
    right = _blanked(list(read_list(folder / "right.csv").records()), args.undated, rng)
    index = {r.record_id: i for i, r in enumerate(left_list)}
    right_index = {r.record_id: j for j, r in enumerate(right)}
    engine, spec = default_engine(), default_spec()
    sides = [side_from_records(left_list, display=False),
             side_from_records(right, display=False)]
    model = engine.train(spec, [s.features for s in sides], "link")
    # The store's links when the command runs: the pairs linkage links automatically
    # (no person's decision assumed); group mates linked to group mates come from these.
    links: list[tuple[int, int]] = []
    if not args.no_cohorts:
        linked = score(engine, spec, sides, "link", model).table
        links = [(a, b) for a, b, decision in zip(
            linked["left_uid"].to_pylist(), linked["right_uid"].to_pylist(),
            linked["decision"].to_pylist(), strict=True) if decision == "match"]
    cohorts = Cohorts.link(sides[0].features, sides[1].features)
    helped = 0
    left_rows = sides[0].features.arrow.to_pylist()
    right_rows = sides[1].features.arrow.to_pylist()
    tokens = [_tokens(row) for row in right_rows]
    pairs = _adoptive_pairs(folder)
    chosen = random.Random(args.seed).sample(pairs, min(args.sample, len(pairs)))
    groups: dict[tuple[bool, bool], list[int | None]] = defaultdict(list)
    linked_groups: dict[tuple[bool, bool], list[int | None]] = defaultdict(list)
    own = _own_records(folder)
    windows: list[int] = []
    started = time.perf_counter()
    for left_id, right_id in chosen:
        i, truth = index[left_id], right_index[right_id]
        child = left_list[i]
        window = _window(child, _tokens(left_rows[i]), right, tokens)
        windows.append(len(window))
        mine = own.get(left_id, set())
        intakes = None if args.no_cohorts else cohorts.intakes(links, i, window)
        if intakes and truth in window and intakes[window.index(truth)] is not None:
            helped += 1
        moved: dict[str, Any] = {} if intakes is None else {"intakes": intakes}
        ranking = rank_candidates(
            spec, model, Records([left_rows[i]]),
            Records([right_rows[j] for j in window]), child_birth=child.birth_date,
            candidate_births=[right[j].birth_date for j in window], **moved)
        found = next((r for r in ranking.ranked if window[r.uid] == truth), None)
        section = [window[r.uid] for r in ranking.ranked
                   if found is not None and r.by_date == found.by_date]
        rank = section.index(truth) + 1 if found is not None else None
        cell = (child.birth_date is not None, right[truth].birth_date is not None)
        groups[cell].append(rank)
        above = sum(1 for j in section[:rank - 1] if right[j].record_id in mine) \
            if rank is not None else 0
        linked_groups[cell].append(rank - above if rank is not None else None)
    seconds = time.perf_counter() - started
    n = len(chosen)
    print(f"{args.generator} lists, {args.size:,} a side, seed {args.seed}, "
          f"{args.undated:.0%} of each list's birth "
          f"dates blanked: {len(pairs):,} adoptive true pairs, {n} ranked in {seconds:.1f} s "
          f"({seconds / max(n, 1):.2f} s per child); records in a child's window: median "
          f"{statistics.median(windows):,.0f}, 90th percentile "
          f"{sorted(windows)[int(0.9 * (n - 1))]:,}; "
          + ("group mates not used" if args.no_cohorts else
             f"{len(links):,} automatic links, the registry entry's group mates linked to "
             f"the child's for {helped} of {n}") + "\n")
    _report(groups)
    print("\nThe same, once the child's records under its own identity are linked (the "
          "command leaves the child's cluster out of the list; here: the same child's "
          "own-identity records ranked above the entry are not counted):\n")
    _report(linked_groups)
    if args.cli:
        _cli(args.work)


if __name__ == "__main__":
    main()
