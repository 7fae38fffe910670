"""Name-engine accuracy on the golden pairs, against a generic baseline in the same run.

Reads every ``tests/names/golden/*.csv`` (``a,b,expected,layer,note``) and compares each
pair with ``kinlink.names.compare_names``. Prints, per layer (negatives split by kind),
the accuracy of kinlink and of the baselines, a confusion table (expected × got) for
each, and the list of kinlink's misses with the per-part reasons. Run:

    .venv/bin/python benchmarks/names_accuracy.py [--misses N] [--baseline-misses]

Baselines, the generic approach without any Ukrainian/Russian knowledge:

* ``jw-whole``: rigour's ``maybe_ascii`` transliteration (ICU4X CLDR, anyascii-like) of
  both names, case-folded, then Jaro-Winkler ≥ 0.9 on the whole name → ``same``,
  otherwise ``different``;
* ``jw-sorted``: the same with the words sorted first, so that word order is forgiven.

The baselines never say ``unsure``, so their accuracy on ``unsure`` rows is 0.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import JaroWinkler
from rigour.text.translit import maybe_ascii

from kinlink.names import compare_names

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "names" / "golden"
LAYERS = ("transliteration", "language", "morphology", "diminutive", "negative")
NEGATIVE_KINDS = ("brother/sister", "siblings", "namesakes", "near-miss")
VERDICTS = ("same", "unsure", "different")
JW_THRESHOLD = 0.9


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    expected: str
    layer: str
    note: str
    where: str

    @property
    def group(self) -> str:
        if self.layer != "negative":
            return self.layer
        kind = next((k for k in NEGATIVE_KINDS if self.note.startswith(k)), "?")
        return f"negative: {kind}"


def load() -> list[Pair]:
    pairs = []
    for layer in LAYERS:
        path = GOLDEN / f"{layer}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                pairs.append(Pair(row["a"], row["b"], row["expected"], row["layer"],
                                  row["note"], f"{path.name}:{line}"))
    return pairs


def _ascii(text: str) -> str:
    return " ".join(maybe_ascii(text).casefold().split())


def jw_whole(a: str, b: str) -> str:
    similarity = JaroWinkler.similarity(_ascii(a), _ascii(b))
    return "same" if similarity >= JW_THRESHOLD else "different"


def jw_sorted(a: str, b: str) -> str:
    left, right = (" ".join(sorted(_ascii(x).split())) for x in (a, b))
    return "same" if JaroWinkler.similarity(left, right) >= JW_THRESHOLD else "different"


def kinlink_verdict(a: str, b: str) -> str:
    return compare_names(a, b).verdict.value


ENGINES: dict[str, Callable[[str, str], str]] = {
    "kinlink": kinlink_verdict,
    "jw-whole": jw_whole,
    "jw-sorted": jw_sorted,
}


def explain(pair: Pair) -> str:
    got = compare_names(pair.a, pair.b)
    parts = "; ".join(f"{p.part} {p.a!r}~{p.b!r} {p.similarity:.2f} ({p.reason})"
                      for p in got.parts)
    return (f"{pair.where}  {pair.a!r} ~ {pair.b!r}: expected {pair.expected}, got "
            f"{got.verdict.value} ({got.score:.2f})\n      {parts}\n      note: {pair.note}")


def confusion(pairs: list[Pair], got: list[str]) -> str:
    table = Counter(zip((p.expected for p in pairs), got, strict=True))
    corner = "expected / got"
    lines = [f"    {corner:<16}" + "".join(f"{v:>11}" for v in VERDICTS)]
    for expected in VERDICTS:
        cells = "".join(f"{table[(expected, g)]:>11}" for g in VERDICTS)
        lines.append(f"    {expected:<16}{cells}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", type=int, default=1000, help="kinlink misses to list")
    parser.add_argument("--baseline-misses", action="store_true",
                        help="also list the jw-whole baseline's misses")
    args = parser.parse_args()

    pairs = load()
    results = {name: [engine(p.a, p.b) for p in pairs] for name, engine in ENGINES.items()}

    groups: dict[str, list[int]] = defaultdict(list)
    for index, pair in enumerate(pairs):
        groups[pair.group].append(index)
    order = [g for g in (*LAYERS[:-1], *(f"negative: {k}" for k in NEGATIVE_KINDS))
             if g in groups]

    print(f"{len(pairs)} golden pairs from {GOLDEN}")
    header = f"{'layer':<26}{'pairs':>6}" + "".join(f"{n:>12}" for n in ENGINES)
    print("\nAccuracy (verdict == expected)\n" + header)
    for group in [*order, "all"]:
        indices = list(range(len(pairs))) if group == "all" else groups[group]
        cells = ""
        for name in ENGINES:
            hits = sum(results[name][i] == pairs[i].expected for i in indices)
            cells += f"{hits / len(indices):>12.1%}"
        print(f"{group:<26}{len(indices):>6}{cells}")

    for name in ENGINES:
        print(f"\nConfusion, {name} (all layers)")
        print(confusion(pairs, results[name]))
    for group in order:
        indices = groups[group]
        print(f"\nConfusion, kinlink, {group}")
        print(confusion([pairs[i] for i in indices], [results["kinlink"][i] for i in indices]))

    misses = [i for i, p in enumerate(pairs) if results["kinlink"][i] != p.expected]
    print(f"\nkinlink misses: {len(misses)}")
    for index in misses[: args.misses]:
        print("  " + explain(pairs[index]))
    if args.baseline_misses:
        base = [i for i, p in enumerate(pairs) if results["jw-whole"][i] != p.expected]
        print(f"\njw-whole misses: {len(base)}")
        for index in base:
            p = pairs[index]
            print(f"  {p.where}  {p.a!r} ~ {p.b!r}: expected {p.expected}, "
                  f"got {results['jw-whole'][index]}")


if __name__ == "__main__":
    main()
