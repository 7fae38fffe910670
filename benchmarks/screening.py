"""Recall and precision of screening documents for sought children's names.

Generates documents (``screening_documents.py``: Ukrainian and Russian news, Russian
adoption-site profiles, Ukrainian orders, English news) from given names the engine's
table is made to forget (``KINLINK_NAMES_WITHHOLD``), and screens them three ways in the
same run: the engine with the ``morphology`` extra, the engine with its case-ending rules
only, and a plain exact-string search for "given surname" as the family wrote it.

    PYTHONPATH=src .venv/bin/python benchmarks/screening.py --seed 2

Person level: a (document, person) pair found at least once. Span level: a mention whose
start and end are exactly those of a true mention. Mentions scoring below ``--threshold``
are not counted.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from screening_documents import Document, Person, generate


def _withhold() -> None:
    data = Path(__file__).parent / "screening_data" / "held_out_names.csv"
    with data.open(encoding="utf-8") as handle:
        names = [row["uk"] for row in csv.DictReader(handle)]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False,
                                     encoding="utf-8") as listed:
        listed.write("\n".join(names))
    os.environ["KINLINK_NAMES_WITHHOLD"] = listed.name


Found = set[tuple[int, str, int, int]]


def _baseline(people: list[Person], docs: list[Document]) -> Found:
    found: Found = set()
    for number, doc in enumerate(docs):
        for p in people:
            for match in re.finditer(re.escape(f"{p.given_uk} {p.surname_uk}"), doc.text):
                found.add((number, p.id, match.start(), match.end()))
    return found


def _engine(people: list[Person], docs: list[Document], morphology: bool,
            threshold: float) -> tuple[Found, float]:
    from kinlink.evidence.screening import Screener, SoughtPerson

    sought = [SoughtPerson(p.id, p.given_uk, p.surname_uk, None, p.birth) for p in people]
    screener = Screener(sought, morphology=morphology)
    found: Found = set()
    begun = time.perf_counter()
    for number, doc in enumerate(docs):
        for m in screener.screen(doc.text):
            if m.score >= threshold:
                found.add((number, m.person_id, m.start, m.end))
    return found, time.perf_counter() - begun


def _figures(found: Found, truth: Found) -> tuple[float, float, float, float]:
    def pr(got: set[tuple[object, ...]], want: set[tuple[object, ...]]) -> tuple[float, float]:
        hit = len(got & want)
        return hit / len(want) if want else 1.0, hit / len(got) if got else 1.0
    people_got = {(d, p) for d, p, _s, _e in found}
    people_want = {(d, p) for d, p, _s, _e in truth}
    return (*pr(people_got, people_want), *pr(set(found), set(truth)))  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, action="append", help="repeatable")
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--sought", type=int, default=400)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--keep-names", action="store_true",
                        help="do not withhold the generator's names from the engine's table")
    parser.add_argument("--by-kind", action="store_true", help="recall per document kind")
    args = parser.parse_args()
    if not args.keep_names:
        _withhold()
    from kinlink.evidence.inflection import morphology_available

    for seed in args.seed or [2]:
        people, docs = generate(seed, args.documents, args.sought)
        truth = {(n, p, s, e) for n, d in enumerate(docs) for p, s, e in d.truth}
        print(f"seed {seed}: {len(docs)} documents, {len(people)} sought, "
              f"{len(truth)} true mentions, {sum(len(d.text) for d in docs):,} characters")
        print(f"{'method':<28} {'person R':>8} {'person P':>8} {'span R':>8} {'span P':>8}"
              f" {'seconds':>8}")
        begun = time.perf_counter()
        runs = [("exact string search", _baseline(people, docs), time.perf_counter() - begun)]
        runs.append(("engine, rules only", *_engine(people, docs, False, args.threshold)))
        if morphology_available():
            runs.append(("engine, with morphology", *_engine(people, docs, True,
                                                             args.threshold)))
        for name, found, seconds in runs:
            figures = " ".join(f"{f:8.3f}" for f in _figures(found, truth))
            print(f"{name:<28} {figures} {seconds:8.2f}")
            if args.by_kind:
                for kind in sorted({d.kind for d in docs}):
                    want = {t for t in truth if docs[t[0]].kind == kind}
                    got = {f for f in found if docs[f[0]].kind == kind}
                    print(f"    {kind:<24} span R {_figures(got, want)[2]:.3f} "
                          f"P {_figures(got, want)[3]:.3f}")


if __name__ == "__main__":
    main()
