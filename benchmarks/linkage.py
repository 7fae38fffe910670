"""Linkage speed and accuracy on generated lists, beside two plain Splink baselines.

For each size N, a generator writes N family reports (LEFT) and the records of found
lists (RIGHT) with the truth: ``--generator demo`` is ``kinlink.demo.generate_linkage_pair``,
whose names come from the same tables the engine knows; ``--generator second`` is
``benchmarks/second_generator.py``, written independently of kinlink's tables and error
model and used only to measure, never to tune. The engines link them, each in its own
process, in the same run:

- ``kinlink``: ``kinlink link`` end to end (read and validate both lists, name/date/
  place keys, train by EM, score, write the pairs);
- ``kinlink_lno`` (leave names out): the same, with a random fifth of the canonical
  given names (``--withhold``, seeded) withheld from every name table the engine uses
  (``KINLINK_NAMES_WITHHOLD``), as if its tables had never known them. Recall is
  reported for children whose given name was withheld beside the rest: the gap says
  how much the figures owe to the tables;
- ``spark``: ``kinlink link`` end to end as ``kinlink``, with ``--engine spark`` on
  ``local[2]`` (``KINLINK_BENCH_SPARK_MASTER`` and ``KINLINK_BENCH_SPARK_CONF``, a JSON
  object, to change that): training on DuckDB, scoring on Spark. Beside the accuracy
  columns, its agreement with ``kinlink`` in the same run: the share of scored pairs both
  engines return (Jaccard, on the full-precision probabilities both kept) and the
  largest probability difference where both score a pair;
- ``splink``: plain Splink 5 on DuckDB with the names as written (full names split on
  spaces, the upper-case word taken as the surname), exact ISO birth dates, the
  comparisons of Splink's own documentation (NameComparison with term frequencies,
  DateOfBirthComparison, exact sex and birth place) and its usual training calls;
- ``splink_translit``: the same, with every name and place passed through a generic
  transliterator first (``rigour.text.ascii_text``).

All three use the same decision thresholds (match ≥ 0.999, review ≥ 0.2), so the
columns compare like with like. Wall time and peak memory (resident set of the whole
process tree, sampled) are measured around the engine only; accuracy is computed
afterwards from the written pairs and the truth. Run:

    .venv/bin/python benchmarks/linkage.py --sizes 10000 100000 1000000 --seed 201
    .venv/bin/python benchmarks/linkage.py --generator second --sizes 10000 50000 --seed 5
    .venv/bin/python benchmarks/linkage.py --write-model src/kinlink/linkage/data/model.json

The second form trains the model packaged with kinlink (on seed 7, which no accuracy
figure uses).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ENGINES = ("kinlink", "kinlink_lno", "spark", "splink", "splink_translit")
GENERATORS = ("demo", "second")
MATCH, REVIEW = 0.999, 0.2
MODEL_SEED = 7


# -- measuring ---------------------------------------------------------------------------


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        stack += children.get(current, [])
    return total


class _Sampler(threading.Thread):
    """Samples the process tree's memory every 0.2 s and keeps the peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, _tree_rss(os.getpid()))
            time.sleep(0.2)


# -- data ------------------------------------------------------------------------------------


def _data(work: Path, size: int, seed: int, generator: str = "demo") -> Path:
    folder = work / f"{generator}-{size}-{seed}"
    if (folder / "truth.csv").exists():
        return folder
    if generator == "second":
        sys.path.insert(0, str(Path(__file__).parent))
        from second_generator import generate

        generate(folder, size, seed)
    else:
        from kinlink.demo import generate_linkage_pair

        generate_linkage_pair(folder / "left.csv", folder / "right.csv", size, seed,
                              folder / "truth.csv")
    return folder


def withhold(work: Path, share: float, seed: int) -> Path:
    """Write a random ``share`` of kinlink's canonical given names to a file (seeded)."""
    import random

    from kinlink.names.equivalence import _full_table

    names = sorted(_full_table())
    chosen = sorted(random.Random(seed).sample(names, round(len(names) * share)))
    path = work / f"withheld-{share}-{seed}.txt"
    path.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    return path


# -- the engines (run in a child process) -------------------------------------------------


class _Keeping:
    """An engine that also writes the scored pairs it returns (ids and full-precision
    probabilities) to Parquet, for the engines' agreement."""

    def __init__(self, engine: Any, path: Path) -> None:
        self.engine, self.path = engine, path
        self.seconds = 0.0

    @property
    def description(self) -> str:
        return str(self.engine.description)

    def train(self, *args: Any) -> Any:
        return self.engine.train(*args)

    def estimate_prior(self, *args: Any) -> Any:
        return self.engine.estimate_prior(*args)

    def predict_new(self, *args: Any) -> Any:
        return self.engine.predict_new(*args)

    def predict(self, *args: Any) -> Any:
        import pyarrow.parquet as pq

        start = time.perf_counter()
        scored = self.engine.predict(*args)
        self.seconds += time.perf_counter() - start
        pq.write_table(scored.pairs.select(["left_uid", "right_uid", "match_probability"]),
                       self.path)
        return scored


def _run_kinlink(folder: Path, out: Path, engine: str = "kinlink") -> dict[str, Any]:
    from kinlink.domain.limits import ImportLimits
    from kinlink.linkage import chosen_engine
    from kinlink.matching import ReadOptions, link_files

    name = "spark" if engine == "spark" else "duckdb"
    conf = json.loads(os.environ.get("KINLINK_BENCH_SPARK_CONF", "{}"))
    # Spark scores with the model kinlink (DuckDB) trained in this run: training is not
    # bit-for-bit repeatable across DuckDB's threads, and the agreement is the scoring's.
    saved = out.with_name(out.name.replace(f"-{engine}.csv", "-kinlink.model.json"))
    model = None
    if engine == "spark" and saved.exists():
        from kinlink.linkage import TrainedModel

        model = TrainedModel.from_json(saved.read_text(encoding="utf-8"))
    with chosen_engine(name, master=os.environ.get("KINLINK_BENCH_SPARK_MASTER", "local[2]"),
                       conf=conf) as chosen:
        keeping = _Keeping(chosen, out.with_suffix(".scored.parquet"))
        # The 1M lists are larger than the 200 MiB a person's file may be by default.
        result = link_files(folder / "left.csv", folder / "right.csv", out,
                            options=ReadOptions(limits=ImportLimits(file_mb=2048)),
                            engine=keeping, model=model,
                            model_out=out.with_suffix(".model.json"))
    return {"scoring_s": round(keeping.seconds, 1), "pairs": result.pairs,
            "skipped_rules": list(result.skipped_rules),
            "model": result.model.version, "stages_s": result.seconds,
            "blocked": result.blocked}


_DATE_FORMS = (("%Y-%m-%d", re.compile(r"\d{4}-\d\d-\d\d")),
               ("%d.%m.%Y", re.compile(r"\d\d\.\d\d\.\d{4}")),
               ("%d/%m/%Y", re.compile(r"\d\d/\d\d/\d{4}")))


def _iso(text: str) -> str | None:
    for form, pattern in _DATE_FORMS:
        if pattern.fullmatch(text.strip()):
            try:
                return dt.datetime.strptime(text.strip(), form).date().isoformat()
            except ValueError:
                return None
    return None


def _split(row: dict[str, str]) -> tuple[str, str]:
    """Given name and surname as a plain user would take them from a list."""
    if row.get("given_name") or row.get("surname"):
        return row.get("given_name", ""), row.get("surname", "")
    words = row.get("full_name", "").split()
    if not words:
        return "", ""
    if words[0].isupper() and len(words) > 1:
        return words[1], words[0]
    return words[0], words[-1] if len(words) > 1 else ""


def _plain_rows(path: Path, translit: bool) -> list[dict[str, Any]]:
    from rigour.text import ascii_text

    def clean(text: str) -> str | None:
        text = (ascii_text(text) if translit else text).strip().lower()
        return text or None

    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            given, surname = _split(row)
            sex = (row.get("sex") or "").strip().lower()[:1] or None
            rows.append({"uid": number, "record_id": row["record_id"],
                         "given_name": clean(given), "surname": clean(surname),
                         "birth_date": _iso(row.get("birth_date", "")),
                         "sex": {"ч": "m", "м": "m", "ж": "f"}.get(sex or "", sex),
                         "birth_place": clean(row.get("birth_place", ""))})
    return rows


def _run_splink(folder: Path, out: Path, translit: bool) -> dict[str, Any]:
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db_api = DuckDBAPI(connection=duckdb.connect())
    tables = [db_api.register(pa.Table.from_pylist(_plain_rows(folder / f"{side}.csv",
                                                               translit)),
                              dataset_display_name=f"side_{side}")
              for side in ("left", "right")]
    settings = SettingsCreator(
        link_type="link_only", unique_id_column_name="uid",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("birth_date", input_is_string=True,
                                     datetime_format="%Y-%m-%d"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"), block_on("surname", "birth_date"),
            block_on("given_name", "birth_date"), block_on("birth_date", "birth_place"),
        ],
        additional_columns_to_retain=["record_id"],
    )
    linker = Linker(tables, settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "birth_date")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"), max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname"), max_pairs=2e6)
    pairs = linker.inference.predict(threshold_match_probability=REVIEW)
    return {"pairs": write_splink_pairs(db_api.duckdb_con, pairs.physical_name, out)}


def write_splink_pairs(con: Any, table: str, out: Path) -> int:
    """Write Splink's predictions (``table`` in DuckDB ``con``, two datasets registered as
    ``side_left`` and ``side_right``, ``record_id`` retained) as kinlink's pairs CSV with
    the same thresholds; the number of pairs written."""
    con.execute(
        f"COPY (SELECT CASE WHEN source_dataset_l = 'side_left' THEN record_id_l "
        f"ELSE record_id_r END AS left_id, CASE WHEN source_dataset_l = 'side_left' "
        f"THEN record_id_r ELSE record_id_l END AS right_id, match_probability, "
        f"CASE WHEN match_probability >= {MATCH} THEN 'match' ELSE 'review' END AS decision "
        f"FROM {table}) TO '{out}' (HEADER, DELIMITER ',')").fetchall()
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def measured(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """What ``run()`` said, with its wall time and the process tree's peak memory."""
    sampler = _Sampler()
    sampler.start()
    start = time.perf_counter()
    info = run()
    wall = time.perf_counter() - start
    sampler.running = False
    sampler.join()
    return {"wall_s": round(wall, 1), "peak_mb": round(sampler.peak / 2**20)} | info


def child(engine: str, folder: Path, out: Path) -> None:
    """Run one engine, print its wall time, peak memory and what it said, as JSON."""
    if engine.startswith("kinlink") or engine == "spark":
        print(json.dumps(measured(lambda: _run_kinlink(folder, out, engine))))
    else:
        print(json.dumps(measured(
            lambda: _run_splink(folder, out, translit=engine == "splink_translit"))))


def in_child(script: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``script --child ARGS`` in a fresh process (with ``env`` added to the
    environment, and never a withheld-names file it did not ask for); the JSON its last
    line printed, or ``{"error": ...}`` with the end of its standard error when it failed."""
    environment = {k: v for k, v in os.environ.items() if k != "KINLINK_NAMES_WITHHOLD"}
    done = subprocess.run([sys.executable, script, "--child", *args], capture_output=True,
                          text=True, check=False, env=environment | (env or {}))
    if done.returncode != 0:
        return {"error": done.stderr.strip()[-500:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- accuracy ----------------------------------------------------------------------------------


BANDS = (0.2, 0.5, 0.8, 0.95, 0.99, 0.999, 1.0)
"""Edges of the probability bands the calibration table counts pairs in."""


def _truth(folder: Path) -> tuple[dict[tuple[str, str], str], dict[str, str],
                                  dict[str, tuple[str, ...]]]:
    """Child of every record, the identity (own/adoptive) of every RIGHT record, and what
    the generator did to it (``changes``, when the generator says)."""
    child_of: dict[tuple[str, str], str] = {}
    identity: dict[str, str] = {}
    changes: dict[str, tuple[str, ...]] = {}
    with (folder / "truth.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            child_of[(row["file"], row["record_id"])] = row["child_id"]
            if row["file"] == "right.csv":
                identity[row["record_id"]] = row.get("identity") or "own"
                changes[row["record_id"]] = tuple(
                    c for c in (row.get("changes") or "").split(";") if c)
    return child_of, identity, changes


def _withheld_children(folder: Path, child_of: dict[tuple[str, str], str],
                       withheld: frozenset[str]) -> set[str]:
    """Children whose reported given name is one of the ``withheld`` canonical names."""
    from kinlink.names import name_features

    found: set[str] = set()
    with (folder / "left.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = name_features(row.get("given_name") or None, row.get("surname") or None,
                                  row.get("patronymic") or None, row.get("full_name") or None)
            if set(names.given_ids) & withheld:
                found.add(child_of[("left.csv", row["record_id"])])
    return found


def _true_pairs(child_of: dict[tuple[str, str], str],
                identity: dict[str, str]) -> Counter[str]:
    """How many true pairs there are, by the identity the RIGHT record shows."""
    left = Counter(c for (f, _r), c in child_of.items() if f == "left.csv")
    totals: Counter[str] = Counter()
    for (f, record), c in child_of.items():
        if f == "right.csv":
            totals[identity[record]] += left[c]
    return totals


def _band(probability: float) -> int:
    """Index of the calibration band a probability falls in."""
    return next(i for i, edge in enumerate(BANDS[1:]) if probability < edge or edge == BANDS[-1])


def accuracy(folder: Path, pairs_csv: Path,
             withheld: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Automatic precision and recall, review recall and load, against the truth.

    Besides the totals: match + review recall split by the identity the found record
    shows (``own``, or ``adoptive`` for an adoption registry entry under the adoptive
    family's identity), by what the generator did to the found record (``changes``),
    for children whose given name is ``withheld`` beside the others, and per
    probability band the pairs written and how many are true (calibration: a band's
    share of true pairs should lie within the band).
    """
    child_of, identity, changes = _truth(folder)
    held = _withheld_children(folder, child_of, withheld) if withheld else set()
    left = Counter(c for (f, _r), c in child_of.items() if f == "left.csv")
    totals: Counter[str] = Counter()
    by_change: Counter[str] = Counter()
    by_held: Counter[str] = Counter()
    for (f, record), c in child_of.items():
        if f == "right.csv" and left[c]:
            totals[identity[record]] += left[c]
            if identity[record] == "own":
                for change in changes[record] or ("none",):
                    by_change[change] += left[c]
                by_held["withheld" if c in held else "known"] += left[c]
    counts: Counter[tuple[str, bool]] = Counter()
    found: Counter[str] = Counter()
    found_change: Counter[str] = Counter()
    found_held: Counter[str] = Counter()
    bands = [[0, 0] for _ in BANDS[1:]]
    with pairs_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            right = row["right_id"]
            c = child_of[("left.csv", row["left_id"])]
            same = c == child_of[("right.csv", right)]
            counts[(row["decision"], same)] += 1
            found[identity[right]] += same
            if same and identity[right] == "own":
                for change in changes[right] or ("none",):
                    found_change[change] += 1
                found_held["withheld" if c in held else "known"] += 1
            band = bands[_band(float(row["match_probability"]))]
            band[0] += 1
            band[1] += same
    true_pairs = sum(totals.values())
    match = counts[("match", True)] + counts[("match", False)]
    true_links = counts[("match", True)] + counts[("review", True)]
    return {
        "true_pairs": true_pairs,
        "auto_precision": counts[("match", True)] / match if match else 1.0,
        "auto_false": counts[("match", False)],
        "auto_recall": counts[("match", True)] / true_pairs,
        "review_recall": true_links / true_pairs,
        "review_true": counts[("review", True)], "review_false": counts[("review", False)],
        "review_load": counts[("review", False)] / true_links if true_links else 0.0,
        "true_by_identity": dict(totals),
        "recall_by_identity": {k: found[k] / n for k, n in totals.items() if n},
        "own_by_change": {k: [found_change[k] / n, n] for k, n in sorted(by_change.items())},
        "own_by_name": {k: [found_held[k] / n, n] for k, n in sorted(by_held.items())},
        "calibration": [{"from": lo, "to": hi, "pairs": n, "true": t}
                        for (lo, hi), (n, t) in zip(itertools.pairwise(BANDS), bands, strict=True)],
    }


# -- the run ---------------------------------------------------------------------------------


def _one(engine: str, folder: Path, work: Path, size: int,
         withheld: Path | None) -> dict[str, Any]:
    out = work / f"pairs-{folder.name}-{engine}.csv"
    env = {"KINLINK_NAMES_WITHHOLD": str(withheld)} if engine == "kinlink_lno" and withheld else {}
    result = in_child(__file__, engine, str(folder), str(out), env=env)
    if "error" in result:
        return {"engine": engine, "size": size} | result
    names = frozenset(withheld.read_text(encoding="utf-8").split()) if withheld else frozenset()
    result = {"engine": engine, "size": size} | result | accuracy(folder, out, names)
    base = work / f"pairs-{folder.name}-kinlink.scored.parquet"
    if engine == "spark" and base.exists():
        import pyarrow.parquet as pq

        here = out.with_suffix(".scored.parquet")
        result |= agreement(base, here) | {"scored_here": pq.read_metadata(here).num_rows,
                                           "scored_there": pq.read_metadata(base).num_rows}
    return result


def agreement(ours: Path, theirs: Path) -> dict[str, Any]:
    """How far two engines' scored pairs agree: the share of pairs either returns that
    both return, and the largest probability difference where both score a pair."""
    import pyarrow.parquet as pq

    def read(path: Path) -> dict[tuple[int, int], float]:
        rows = pq.read_table(path).to_pydict()
        return dict(zip(zip(rows["left_uid"], rows["right_uid"], strict=True),
                        rows["match_probability"], strict=True))

    a, b = read(ours), read(theirs)
    both = a.keys() & b.keys()
    union = len(a.keys() | b.keys())
    return {"agree_pairs": len(both) / union if union else 1.0,
            "only_here": len(b.keys() - a.keys()), "only_there": len(a.keys() - b.keys()),
            "max_probability_diff": max((abs(a[k] - b[k]) for k in both), default=0.0)}


def _agreement(results: list[dict[str, Any]]) -> str:
    """The Spark engine beside DuckDB's in the same run."""
    lines = ["| N a side | scored pairs (DuckDB / Spark) | same pairs | max probability "
             "difference | same model | scoring s DuckDB / Spark | wall s DuckDB (with "
             "training) / Spark | peak MB DuckDB / Spark |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        if r["engine"] != "spark" or "agree_pairs" not in r:
            continue
        base = next(b for b in results if b["engine"] == "kinlink" and b["size"] == r["size"])
        lines.append(
            f"| {r['size']:,} | {r['scored_there']:,} / {r['scored_here']:,} | "
            f"{r['agree_pairs']:.6f} | {r['max_probability_diff']:.2e} | "
            f"{'yes' if r['model'] == base['model'] else 'no'} | "
            f"{base['scoring_s']} / {r['scoring_s']} | {base['wall_s']} / {r['wall_s']} | "
            f"{base['peak_mb']:,} / {r['peak_mb']:,} |")
    return "\n".join(lines) if len(lines) > 2 else ""


def _table(results: list[dict[str, Any]]) -> str:
    lines = ["| N a side | engine | wall s | peak MB | pairs | auto precision (false) "
             "| auto recall | match+review recall | own identity / adoptive "
             "| review true / false | review load |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['size']:,} | {r['engine']} | failed: {r['error'][:60]} |")
            continue
        by = r["recall_by_identity"]
        lines.append(
            f"| {r['size']:,} | {r['engine']} | {r['wall_s']} | {r['peak_mb']:,} | "
            f"{r['pairs']:,} | {r['auto_precision']:.4f} ({r['auto_false']}) | "
            f"{r['auto_recall']:.4f} | {r['review_recall']:.4f} | "
            f"{by.get('own', 0):.4f} / {by.get('adoptive', 0):.3f} "
            f"| {r['review_true']:,} / {r['review_false']:,} | {r['review_load']:.2f} |")
    return "\n".join(lines)


def _splits(results: list[dict[str, Any]], key: str, title: str) -> str:
    """Own-identity match+review recall per group (``own_by_change``/``own_by_name``)."""
    groups = sorted({g for r in results if "error" not in r for g in r.get(key, {})})
    if not groups:
        return ""
    lines = ["| N a side | engine | " + " | ".join(groups) + " |",
             "|---|---|" + "---|" * len(groups)]
    for r in results:
        if "error" in r:
            continue
        cells = [f"{r[key][g][0]:.4f} ({r[key][g][1]:,})" if g in r[key] else "–"
                 for g in groups]
        lines.append(f"| {r['size']:,} | {r['engine']} | " + " | ".join(cells) + " |")
    return f"\n{title}\n\n" + "\n".join(lines)


def _calibration(results: list[dict[str, Any]]) -> str:
    """Per band of match probability: pairs written and the share of them that is true."""
    heads = [f"{b['from']}–{b['to']}" for b in results[0]["calibration"]]
    lines = ["| N a side | engine | " + " | ".join(heads) + " |",
             "|---|---|" + "---|" * len(heads)]
    for r in results:
        if "error" in r:
            continue
        cells = [f"{b['true'] / b['pairs']:.4f} ({b['pairs']:,})" if b["pairs"] else "–"
                 for b in r["calibration"]]
        lines.append(f"| {r['size']:,} | {r['engine']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _blocking(results: list[dict[str, Any]]) -> str:
    """kinlink's stage timings and the pairs each blocking rule would generate (before
    repeats across rules are removed), with the wide rules skipped by their cap: what a
    run's time and memory are spent on."""
    lines: list[str] = []
    for r in results:
        if "error" in r or "blocked" not in r:
            continue
        skipped = set(r.get("skipped_rules", ()))
        kept = sum(n for rule, n in r["blocked"].items() if rule not in skipped)
        stages = ", ".join(f"{name} {seconds} s" for name, seconds in r["stages_s"].items())
        lines += [f"\n{r['engine']}, {r['size']:,} a side — stages: {stages}; "
                  f"pairs generated by the rules run: {kept:,}\n",
                  "| blocking rule | pairs | |", "|---|---|---|"]
        lines += [f"| {rule} | {n:,} | {'skipped (over its cap)' if rule in skipped else ''} |"
                  for rule, n in r["blocked"].items()]
    return "\n".join(lines)


def write_model(path: Path, work: Path, size: int) -> None:
    """Train the packaged model on generated data (seed 7) and write it."""
    from kinlink.linkage import default_engine, default_spec, side_from_records
    from kinlink.listfiles import read_list

    folder = _data(work, size, MODEL_SEED)
    sides = [side_from_records(read_list(folder / f"{s}.csv").records(), display=False)
             for s in ("left", "right")]
    model = default_engine().train(default_spec(), [s.features for s in sides], "link")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {path}: {model.version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=201)
    parser.add_argument("--generator", choices=GENERATORS, default="demo",
                        help="demo: kinlink's own generator; second: the independent one")
    parser.add_argument("--withhold", type=float, default=0.2,
                        help="share of canonical given names kinlink_lno withholds")
    parser.add_argument("--withhold-seed", type=int, default=1)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kinlink-linkage-bench"))
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--write-model", type=Path, help="train the packaged model")
    parser.add_argument("--model-size", type=int, default=100_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    if args.write_model:
        write_model(args.write_model, args.work, args.model_size)
        return
    withheld = withhold(args.work, args.withhold, args.withhold_seed)
    results = []
    for size in args.sizes:
        folder = _data(args.work, size, args.seed, args.generator)
        for engine in args.engines:
            results.append(_one(engine, folder, args.work, size, withheld))
            print(json.dumps(results[-1]), file=sys.stderr)
    print(_table(results))
    print(_splits(results, "own_by_name", "Own-identity match+review recall for children "
                  "whose given name was withheld from the tables (kinlink_lno) and the rest "
                  "(true pairs):"))
    print(_splits(results, "own_by_change", "Own-identity match+review recall by what was "
                  "done to the found record (true pairs):"))
    print(_blocking(results))
    if any(r["engine"] == "spark" for r in results):
        print("\nThe Spark engine beside DuckDB's (kinlink) in the same run:\n")
        print(_agreement(results))
    print("\nShare of true pairs per band of match probability (pairs in the band):\n")
    print(_calibration([r for r in results if "error" not in r] or results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
