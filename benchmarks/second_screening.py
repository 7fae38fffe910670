"""Screening measured on the second, independent documents (issue 17), on the store.

The real path, not the engine alone: a SQLite store is created, the sought children of
``second_documents.generate`` are written as a list file in kinlink's format and imported
through the import use case (:func:`kinlink.usecases.importing.import_list`), every
document is uploaded through :func:`kinlink.usecases.documents.upload_document` (which
extracts its text and screens it, as after any upload), and the mentions are read back
from the store. Counted per document × sought child (a pair is found when the store holds
at least one mention of that child's record in that document):

* recall and precision of every mention kept (the review queue shows every waiting
  mention, most likely first, with no floor) and of those scoring 0.5 or more;
* by document kind, and recall by the script, grammatical case and style of the name;
* two baselines on the same extracted texts (the text kinlink kept for each document):
  **exact**: the reported "given surname" (or "surname given") found as written;
  **stem**: the first five letters of the reported surname, case-insensitive, same script;
* every miss by cause (the style and noise of the name), with examples, and every false
  pair by what in the document explains it (a namesake with another birth year, a
  sibling or another child with the surname, or nothing known).

    PYTHONPATH=src .venv/bin/python benchmarks/second_screening.py --seed 7
    PYTHONPATH=src .venv/bin/python benchmarks/second_screening.py --seed 7 --no-morphology
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
if "--no-morphology" in sys.argv:  # before kinlink is imported: the extra looks absent
    sys.modules["pymorphy3"] = None  # type: ignore[assignment]

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.documents import Attachment, AttachmentKind, DerivedKind
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest
from kinlink.storage import open_store
from kinlink.storage.documents import DocumentRepository
from kinlink.storage.mentions import MentionRow
from kinlink.storage.tables import RecordRow
from kinlink.usecases.documents import Evidence, upload_document
from kinlink.usecases.importing import import_list
from second_documents import Child, Document, Mention, World, generate, list_file

ACTOR = Actor("second-screening", UserRole.SUPERVISOR, 1)
SHOWN = 0.5
"""The second precision's floor (the review queue itself has none)."""
Pair = tuple[str, str]


@dataclass
class Found:
    """What the store (and the baselines) say each document mentions."""

    scores: dict[Pair, float]
    texts: dict[str, str]
    seconds: float


def collection() -> dict[str, object]:
    """A collection record: downloaded by the benchmark from a web address."""
    return {"collected_at": dt.datetime.now(dt.UTC).isoformat(), "collected_by": "benchmark",
            "method": "download", "source_url": "https://example.org/second-documents"}


def run_store(world: World, folder: Path, console: Console) -> Found:
    """Import the sought list, upload every document, read the mentions and texts."""
    settings = Settings(data_dir=folder)
    store = open_store(settings)
    evidence = Evidence.of(settings, store)
    listed = folder / "sought.csv"
    listed.write_text(list_file(world.children), encoding="utf-8")
    started = time.perf_counter()
    outcome = import_list(store, ACTOR, ImportRequest(
        path=listed, imported_by=ACTOR.name, kind=SourceKind.FAMILY_REPORTS), link=False)
    console.print(f"imported {outcome.imported.counts.imported} sought children "
                  f"({time.perf_counter() - started:.1f} s)")
    ids: dict[int, str] = {}
    started = time.perf_counter()
    with Progress(console=console) as progress:
        task = progress.add_task("upload and screen", total=len(world.documents))
        for doc in world.documents:
            made = upload_document(evidence, ACTOR, doc.data, doc.filename,
                                   Attachment(AttachmentKind.INBOX), collection())
            ids[made.id] = doc.doc_id
            progress.advance(task)
    seconds = time.perf_counter() - started
    scores: dict[Pair, float] = {}
    texts: dict[str, str] = {}
    with store.transaction() as session:
        rows = session.execute(select(MentionRow.document_id, RecordRow.record_id,
                                      MentionRow.score)
                               .join(RecordRow, RecordRow.id == MentionRow.record_pk)).all()
        for document_id, record_id, score in rows:
            pair = (ids[document_id], str(record_id))
            scores[pair] = max(score, scores.get(pair, 0.0))
        repo = DocumentRepository(session)
        for document_id, doc_id in ids.items():
            text = next((d for d in reversed(repo.derived(document_id))
                         if d.kind is DerivedKind.TEXT), None)
            texts[doc_id] = (evidence.content.get(text.sha256).decode("utf-8")
                             if text is not None else "")
    store.dispose()
    return Found(scores, texts, seconds)


def exact_baseline(children: list[Child], texts: dict[str, str]) -> set[Pair]:
    """Pairs where the reported name appears as written (either order)."""
    found = set()
    for child in children:
        given, surname = child.given.uk, child.surname.uk(child.sex)
        for doc_id, text in texts.items():
            if f"{given} {surname}" in text or f"{surname} {given}" in text:
                found.add((doc_id, child.child_id))
    return found


def stem_baseline(children: list[Child], texts: dict[str, str]) -> set[Pair]:
    """Pairs where the first five letters of the reported surname appear, any case."""
    lowered = {d: t.lower() for d, t in texts.items()}
    found = set()
    for child in children:
        stem = child.surname.uk(child.sex)[:5].lower()
        for doc_id, text in lowered.items():
            if stem in text:
                found.add((doc_id, child.child_id))
    return found


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def measure(truth: set[Pair], found: set[Pair], within: Iterable[Pair] | None = None,
            docs: set[str] | None = None) -> tuple[str, str, int]:
    """Recall over ``within`` (default: all truth), precision over the documents ``docs``
    (default: all); and the number of true pairs counted."""
    wanted = set(within) if within is not None else truth
    claimed = {p for p in found if docs is None or p[0] in docs}
    return (_ratio(len(wanted & found), len(wanted)),
            _ratio(len(claimed & truth), len(claimed)) if within is None or docs else "",
            len(wanted))


def report(world: World, found: Found, console: Console, examples: int) -> None:
    """Print every table of the module's docstring."""
    docs = {d.doc_id: d for d in world.documents}
    truth = {(d.doc_id, c) for d in world.documents for c in d.children}
    methods = {
        "exact (baseline)": exact_baseline(world.children, found.texts),
        "stem (baseline)": stem_baseline(world.children, found.texts),
        "kinlink, all kept": set(found.scores),
        f"kinlink ≥ {SHOWN}": {p for p, s in found.scores.items() if s >= SHOWN},
    }
    chars = sum(len(t) for t in found.texts.values())
    console.print(f"{len(world.children)} sought, {len(world.documents)} documents, "
                  f"{len(truth)} true document × child pairs, {chars:,} characters of "
                  f"extracted text; upload and screening {found.seconds:.1f} s")
    table = Table("method", "recall", "precision", "pairs claimed")
    for name, claimed in methods.items():
        recall, precision, _ = measure(truth, claimed)
        table.add_row(name, recall, precision, str(len(claimed)))
    console.print(table)
    mention_of = {(d.doc_id, m.child_id): m for d in world.documents for m in d.mentions}
    _breakdown(console, "by document kind", truth, methods, lambda p: docs[p[0]].kind,
               {k: {d for d, doc in docs.items() if doc.kind == k}
                for k in sorted({d.kind for d in world.documents})})
    for title, key in (("recall by script", lambda p: mention_of[p].script),
                       ("recall by case", lambda p: mention_of[p].case),
                       ("recall by style", lambda p: mention_of[p].style[0]),
                       ("recall by noise", lambda p: mention_of[p].style[1]
                        if len(mention_of[p].style) > 1 else "none")):
        _breakdown(console, title, truth, methods, key, None)
    _misses(console, world, truth, set(found.scores), mention_of, examples)
    _false(console, world, truth, found.scores)


def _breakdown(console: Console, title: str, truth: set[Pair],
               methods: dict[str, set[Pair]], key: Callable[[Pair], str],
               docs_of: dict[str, set[str]] | None) -> None:
    groups: dict[str, set[Pair]] = defaultdict(set)
    for pair in truth:
        groups[key(pair)].add(pair)
    table = Table(title, "true pairs", *methods, title=title)
    for group in sorted(set(groups) | set(docs_of or {})):
        cells = []
        for claimed in methods.values():
            recall, precision, _ = measure(truth, claimed, groups[group],
                                           docs_of[group] if docs_of else None)
            cells.append(f"{recall} / {precision}" if docs_of else recall)
        table.add_row(group, str(len(groups[group])), *cells)
    console.print(table)
    if docs_of:
        console.print("(recall / precision)")


def _misses(console: Console, world: World, truth: set[Pair], claimed: set[Pair],
            mention_of: dict[Pair, Mention], examples: int) -> None:
    children = {c.child_id: c for c in world.children}
    missed = sorted(truth - claimed)
    causes: Counter[str] = Counter()
    shown: dict[str, list[str]] = defaultdict(list)
    for pair in missed:
        mention = mention_of[pair]
        cause = f"{mention.script} {mention.case} {' '.join(mention.style)}"
        causes[cause] += 1
        child = children[pair[1]]
        if len(shown[cause]) < examples:
            shown[cause].append(f"{mention.surface!r} for "
                                f"{child.given.uk} {child.surname.uk(child.sex)}")
    table = Table("script case style", "missed", "examples", title="misses of every mention")
    for cause, count in causes.most_common():
        table.add_row(cause, str(count), "; ".join(shown[cause]))
    console.print(table)


def _false(console: Console, world: World, truth: set[Pair],
           scores: dict[Pair, float]) -> None:
    children = {c.child_id: c for c in world.children}
    docs = {d.doc_id: d for d in world.documents}
    why: Counter[str] = Counter()
    low: Counter[str] = Counter()
    for pair in sorted(set(scores) - truth):
        doc, child = docs[pair[0]], children[pair[1]]
        cause = _explain(doc, child, children)
        why[cause] += 1
        low[cause] += scores[pair] < SHOWN
    table = Table("false pair explained by", "pairs", f"of them scoring < {SHOWN}",
                  title="false document × child pairs")
    for cause, count in why.most_common():
        table.add_row(cause, str(count), str(low[cause]))
    console.print(table)
    claimed = len(scores) - why["a namesake born years apart"]
    console.print("precision leaving out the namesakes' pairs: "
                  f"{_ratio(len(set(scores) & truth), claimed)}")


def _explain(doc: Document, child: Child, children: dict[str, Child]) -> str:
    for role, of in ((r, o) for r, _, o in doc.decoys):
        if role == "namesake" and of == child.child_id:
            return "a namesake born years apart"
    if any(children[m.child_id].surname == child.surname for m in doc.mentions):
        return "a sibling (same surname) is mentioned"
    if any(role == "other_given" and of and children[of].surname == child.surname
           for role, _, of in doc.decoys):
        return "another child with the surname"
    if any(role == "namesake" and of and children[of].given == child.given
           for role, _, of in doc.decoys):
        return "a namesake of another child (same given name)"
    return "another name in the document"


def main() -> None:
    """Generate, run on the store, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--examples", type=int, default=2, help="examples per miss cause")
    parser.add_argument("--no-morphology", action="store_true",
                        help="run as if the morphology extra (pymorphy3) were not installed")
    args = parser.parse_args()
    console = Console(width=160)
    world = generate(args.seed, args.children, args.documents)
    with tempfile.TemporaryDirectory(prefix="kinlink-second-screening-") as tmp:
        found = run_store(world, Path(tmp), console)
    report(world, found, console, args.examples)


if __name__ == "__main__":
    main()
