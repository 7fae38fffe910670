"""Privacy-preserving linkage (``kinlink pprl``): quality beside plain kinlink, speed,
and what an attacker holding an encoded file learns.

For each generator (``demo``: ``kinlink.demo``; ``second``: the independent
``second_generator.py``) and size N, in the same run:

- ``kinlink``: plain ``kinlink link`` on the lists in the clear (via ``linkage.py``);
- ``pprl``: ``kinlink pprl encode`` of both lists under one key and ``pprl link``,
  with the default (hardened) parameters: per-field segments, XOR-folded, 2 % random
  bit flips, names salted with birth-year windows and with each other, compound keyed
  blocking keys;
- ``pprl_year`` and the variants after it in :data:`VARIANTS`: the first release's
  single filter; ``pprl_plain``: no hardening at all (no folding, no flips, and
  single-field blocking keys besides the compound ones) — what the hardening costs in
  recall and what it protects.

Accuracy is ``linkage.accuracy`` against the truth (same thresholds: match ≥ 0.999,
review ≥ 0.2). Times are wall seconds of encoding (both lists) and linking; the 1M × 1M
figure is extrapolated from the candidate pairs per record and the comparison rate
measured at the largest N.

The attack runs on the encoded LEFT list (family reports) of each variant: frequency
alignment on the keyed blocking keys and pattern mining on the filters
(:mod:`kinlink.pprl.attack`), each with two name rankings: ``public`` — the second
generator's name lists (most frequent first), a source the demo generator never read
(shown for demo lists only: for second-generator lists it is the generator's own); and
``oracle`` — the true ranking of the attacked list's own names (the worst case: an
attacker who knows the population exactly). The figure is the share of records whose
given name or surname the attacker claims correctly. Run:

    PYTHONPATH=src .venv/bin/python benchmarks/pprl.py --sizes 10000 --seed 201
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from kinlink.listfiles import read_list
from kinlink.names import name_features, surname_key
from kinlink.names.equivalence import lookup_given
from kinlink.names.keys import loosen
from kinlink.pprl import Parameters, read_encoded
from kinlink.pprl.attack import frequency_attack, pattern_attack, reidentified
from kinlink.pprl.params import BLOCKING_RULES, PLAIN_BLOCKING
from kinlink.usecases.pprl import encode_list, link_lists, make_key
from linkage import _data, _one, accuracy

VARIANTS: dict[str, Parameters] = {
    "pprl": Parameters(),
    "pprl_fields": Parameters.fields2(),
    "pprl_fields_unsalted": Parameters.fields2(salt="none"),
    "pprl_year": Parameters.record(),
    "pprl_unsalted": Parameters.record(salt="none"),
    "pprl_names": Parameters.record(salt="names"),
    "pprl_names_year": Parameters.record(salt="names+year"),
    "pprl_unhardened": Parameters.record(fold=False, flip=0.0, salt="none"),
    "pprl_plain": Parameters.record(fold=False, flip=0.0, salt="none",
                                    blocking=PLAIN_BLOCKING + BLOCKING_RULES),
}
"""``pprl``/``pprl_fields``: the default (per-field segments, version 2); ``pprl_year``
and the others below it: the first release's single filter (``Parameters.record``)."""
ATTACK_ONLY = {"pprl_plain"}
"""Encoded and attacked, not linked: its single-field keys block millions of pairs."""

Ranking = dict[str, list[str]]
"""Most frequent first: ``given`` ids, ``given_block`` keys, ``surname`` keys,
``surname_loose`` keys."""
Facts = tuple[list[list[str]], list[list[str]]]
"""Every record's given-name ids and blocking key, and surname key and loose key."""
DATA = Path(__file__).parent / "second_generator_data"


def _ids(name: str) -> list[str]:
    return sorted({m.name_id for m in lookup_given(name)}) or [name]


def _keyed(ranking: list[str], key: Any) -> list[str]:
    out: list[str] = []
    for name in ranking:
        value = key(name)
        if value and value not in out:
            out.append(value)
    return out


def public_ranking() -> Ranking:
    """The rankings from the second generator's lists (male and female given names
    interleaved rank by rank), in each key space through kinlink's engine."""
    def names(file: str) -> list[str]:
        lines = (DATA / file).read_text(encoding="utf-8").splitlines()
        return [line.split("|")[0].strip() for line in lines
                if line.strip() and not line.startswith("#")]

    written = [name for pair in zip(names("given_male.txt"), names("given_female.txt"),
                                    strict=False) for name in pair]
    given: list[str] = []
    for name in written:
        given += [i for i in _ids(name) if i not in given]
    surnames = names("surnames_uk.txt")
    return {"given": given,
            "given_block": _keyed(written, lambda n: name_features(n, None, None, None)
                                  .given_block),
            "surname": _keyed(surnames, surname_key),
            "surname_loose": _keyed(surnames, lambda n: loosen(surname_key(n) or "") or None)}


def truth(path: Path) -> tuple[Facts, Ranking]:
    """Every record's name keys (file order), and the list's own ranking of them (the
    oracle: an attacker who knows the population exactly)."""
    given: list[list[str]] = []
    surnames: list[list[str]] = []
    counts: dict[str, Counter[str]] = {k: Counter() for k in (
        "given", "given_block", "surname", "surname_loose")}
    for record in read_list(path).records():
        names = name_features(record.given_name, record.surname, record.patronymic,
                              record.full_name)
        loose = loosen(names.surname_key) if names.surname_key else None
        given.append([*names.given_ids, *([names.given_block] if names.given_block else [])])
        surnames.append([k for k in (names.surname_key, loose) if k])
        counts["given"].update(names.given_ids)
        counts["given_block"].update([names.given_block] if names.given_block else [])
        counts["surname"].update([names.surname_key] if names.surname_key else [])
        counts["surname_loose"].update([loose] if loose else [])
    return (given, surnames), {k: [n for n, _c in c.most_common()] for k, c in counts.items()}


def run_variant(name: str, params: Parameters, folder: Path, work: Path,
                rankings: dict[str, Ranking], facts: Facts) -> dict[str, Any]:
    key = work / "pprl.key"
    if not key.exists():
        make_key(key)
    start = time.perf_counter()
    for side in ("left", "right"):
        encode_list(folder / f"{side}.csv", key, work / f"{folder.name}-{name}-{side}.clk",
                    params=params)
    encoded = time.perf_counter()
    left = read_encoded(work / f"{folder.name}-{name}-left.clk")
    attacks: dict[str, float] = {}
    for label, ranks in rankings.items():
        attacks[f"frequency_{label}"] = reidentified(
            frequency_attack(left, ranks["given_block"], ranks["surname_loose"]), *facts)
        attacks[f"pattern_{label}"] = reidentified(
            pattern_attack(left, ranks["given"], ranks["surname"]), *facts)
        attacks[f"pattern07_{label}"] = reidentified(
            pattern_attack(left, ranks["given"], ranks["surname"], tie=0.7), *facts)
    found: dict[str, Any] = {"engine": name, "encode_s": round(encoded - start, 1),
                             "attacks": attacks}
    if name in ATTACK_ONLY:
        return found
    pairs = work / f"pairs-{folder.name}-{name}.csv"
    began = time.perf_counter()
    result = link_lists(work / f"{folder.name}-{name}-left.clk",
                        work / f"{folder.name}-{name}-right.clk", pairs)
    return found | {"link_s": round(time.perf_counter() - began, 1),
                    "candidates": result.candidates} | accuracy(folder, pairs)


def _table(results: list[dict[str, Any]]) -> str:
    lines = ["| lists | engine | encode s | link s | candidates | auto precision (false) "
             "| auto recall | match+review recall | own / adoptive |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "recall_by_identity" not in r:
            continue
        by = r["recall_by_identity"]
        lines.append(
            f"| {r['lists']} | {r['engine']} | {r.get('encode_s', '–')} | "
            f"{r.get('link_s', r.get('wall_s', '–'))} | {r.get('candidates', '–')} | "
            f"{r['auto_precision']:.4f} ({r['auto_false']}) | {r['auto_recall']:.4f} | "
            f"{r['review_recall']:.4f} | {by.get('own', 0):.4f} / {by.get('adoptive', 0):.3f} |")
    return "\n".join(lines)


def _attacks(results: list[dict[str, Any]]) -> str:
    heads = sorted({k for r in results for k in r.get("attacks", {})})
    lines = ["| lists | engine | " + " | ".join(heads) + " |", "|---|---|" + "---|" * len(heads)]
    for r in results:
        if "attacks" in r:
            lines.append(f"| {r['lists']} | {r['engine']} | " + " | ".join(
                f"{r['attacks'][h]:.2%}" if h in r["attacks"] else "–" for h in heads) + " |")
    return "\n".join(lines)


def _million(results: list[dict[str, Any]]) -> str:
    """1M × 1M extrapolated from the largest run of the hardened encoding: encoding
    linear in records; candidates per record grow with N (blocks fill up), taken as
    growing linearly in N from the measured ratio — a pessimistic bound."""
    runs = [r for r in results if r["engine"] == "pprl" and "link_s" in r]
    if not runs:
        return ""
    r = max(runs, key=lambda x: x["size"])
    n = r["size"]
    scale = 1_000_000 / n
    encode = r["encode_s"] * scale
    link = r["link_s"] * scale * scale
    return (f"\n1M × 1M extrapolated from {r['lists']}: encode {encode / 60:.1f} min (both "
            f"lists, one core each could halve it), link ≤ {link / 60:.1f} min if candidate "
            f"pairs grew with N² (measured {r['candidates']:,} at {n:,}), "
            f"{r['link_s'] * scale / 60:.1f} min if linearly.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--seed", type=int, default=201)
    parser.add_argument("--generators", nargs="+", default=["demo", "second"])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--no-kinlink", action="store_true", help="skip plain kinlink")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kinlink-pprl-bench"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    public = public_ranking()
    results: list[dict[str, Any]] = []
    for generator in args.generators:
        for size in args.sizes:
            folder = _data(args.work, size, args.seed, generator)
            lists = f"{generator} {size:,}"
            if not args.no_kinlink:
                plain = _one("kinlink", folder, args.work, size, None)
                results.append(plain | {"lists": lists})
                print(json.dumps({k: v for k, v in results[-1].items()
                                  if k != "calibration"}), file=sys.stderr)
            facts, own = truth(folder / "left.csv")
            rankings = {"oracle": own}
            if generator != "second":
                rankings["public"] = public
            for name in args.variants:
                out = run_variant(name, VARIANTS[name], folder, args.work, rankings, facts)
                results.append(out | {"lists": lists, "size": size})
                print(json.dumps({k: v for k, v in results[-1].items()
                                  if k != "calibration"}), file=sys.stderr)
    print(_table(results))
    print("\nShare of LEFT records whose given name or surname an attacker claims "
          "correctly:\n")
    print(_attacks(results))
    print(_million(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
