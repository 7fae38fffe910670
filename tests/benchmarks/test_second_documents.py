"""The second document generator (``benchmarks/second_documents.py``) says the truth, and
its measurement (``benchmarks/second_screening.py``) runs.

A screening figure is only worth something if the ground truth is right: every mention
the generator claims is in the document where it says (in the PDF's extracted text too),
is written with the child's letters, decoys are not sought children, namesakes are born
years apart, and a seed gives the same documents. The measurement goes through the store
(import, upload, screening) at a tiny size. The benchmark scripts are not a package, so
the modules are loaded with their folder on the path.
"""

from __future__ import annotations

import importlib
import io
import re
import sys
from pathlib import Path
from types import ModuleType

import pypdfium2
import pytest
from rich.console import Console

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


docs = _load("second_documents")
names = _load("second_documents_names")
screening = _load("second_screening")


@pytest.fixture(scope="module")
def world() -> object:
    """A world of 120 sought children and 150 documents."""
    return docs.generate(3, 120, 150)


def _pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def _squeezed(text: str) -> str:
    """Whitespace runs as one space, a word broken over two lines joined (PDFium gives a
    line-end hyphen as U+FFFE and joins the lines)."""
    joined = re.sub(r"-\s+", "", text.replace("\ufffe", ""))
    return re.sub(r"\s+", " ", joined).strip()


def test_every_mention_is_where_the_truth_says(world: object) -> None:
    """Each span holds the surface written; text and HTML documents are their text; a
    PDF's extracted text holds every surface (whitespace aside)."""
    counted = 0
    for doc in world.documents:  # type: ignore[attr-defined]
        for mention in doc.mentions:
            assert doc.text[mention.start:mention.end] == mention.surface
            counted += 1
        if doc.filename.endswith(".pdf"):
            extracted = _squeezed(_pdf_text(doc.data))
            for mention in doc.mentions:
                assert _squeezed(mention.surface) in extracted, (doc.doc_id, mention)
        else:
            assert doc.data.decode("utf-8") == doc.text
    assert counted > 150


def test_every_mention_is_written_with_the_childs_letters(world: object) -> None:
    """The surface starts a word with the first letter of the child's surname and of the
    given name in the mention's script (OCR and look-alike noise spare first letters)."""
    children = {c.child_id: c for c in world.children}  # type: ignore[attr-defined]
    for doc in world.documents:  # type: ignore[attr-defined]
        for m in doc.mentions:
            child = children[m.child_id]
            words = [w for w in re.split(r"[\s.,'’]+", m.surface.replace("-\n", "")) if w]
            initials = {w[0].lower() for w in words}
            uk, ru = child.surname.uk(child.sex), child.surname.ru(child.sex)
            first = {"uk": {uk[0]}, "ru": {ru[0]},
                     "latin_uk": {names.latin_uk(uk, habit)[0] for habit in range(9)},
                     "latin_ru": {names.latin_ru(ru, scheme)[0] for scheme in range(7)},
                     }[m.script]
            assert {f.lower() for f in first} & initials, (m, first)
            if m.script in ("uk", "ru"):
                given = child.given.uk if m.script == "uk" else child.given.ru
                assert given[0].lower() in initials, (m, given)


def test_kinds_scripts_cases_and_noise_all_occur(world: object) -> None:
    """The documents cover every kind, script and case, and each kind of noise."""
    mentions = [m for d in world.documents for m in d.mentions]  # type: ignore[attr-defined]
    assert {d.kind for d in world.documents} == set(docs.KINDS)  # type: ignore[attr-defined]
    assert {m.script for m in mentions} == {"uk", "ru", "latin_uk", "latin_ru"}
    assert set(names.CASES) <= {m.case for m in mentions}
    assert {"hyphen", "ocr", "lookalike"} <= {t for m in mentions for t in m.style}


def test_decoys_are_not_sought_children(world: object) -> None:
    """A decoy child never has a sought child's given name and surname together; a
    namesake has them and is born at least four years apart."""
    import random

    cast = docs.Cast(random.Random(5), world.children)  # type: ignore[attr-defined]
    for child in world.children[:40]:  # type: ignore[attr-defined]
        other = cast.unsought(child)
        assert other.surname == child.surname
        assert (other.given.uk, other.surname.uk(other.sex)) not in cast.taken
        twin = cast.namesake(child)
        assert (twin.given, twin.surname) == (child.given, child.surname)
        assert abs(twin.birth.year - child.birth.year) >= 4


def test_a_seed_gives_the_same_documents() -> None:
    """Two runs of one seed write the same bytes; another seed does not."""
    one, two = docs.generate(11, 30, 20), docs.generate(11, 30, 20)
    assert [d.data for d in one.documents] == [d.data for d in two.documents]
    assert docs.list_file(one.children) == docs.list_file(two.children)
    assert [d.text for d in docs.generate(12, 30, 20).documents] != \
        [d.text for d in one.documents]


def test_ukrainian_and_russian_forms() -> None:
    """A few forms checked by hand (the generator's grammar, not kinlink's)."""
    given = {g.uk: g for g in names.givens()}
    assert names.uk_given(given["Олександр"], "gen") == ["Олександра"]
    assert names.uk_given(given["Ольга"], "dat") == ["Ользі"]
    assert names.ru_given(given["Наталія"], "ins") == ["Натальей"]
    assert names.uk_surname("Яворський", names.SKY, "F", "ins") == ["Яворською"]
    assert names.ru_surname("Яворский", names.SKY, "F", "acc") == ["Яворскую"]
    assert names.uk_surname("Прокопенко", names.ENKO, "F", "gen") == ["Прокопенко"]
    assert names.ru_masculine("Вишневський", None) == "Вишневский"


def test_the_measurement_runs_through_the_store(tmp_path: Path) -> None:
    """At a tiny size: the list is imported, every document uploaded and screened, a
    text kept for each, mentions read back, and the report printed."""
    world = docs.generate(2, 15, 8)
    out = io.StringIO()
    console = Console(file=out, width=160)
    found = screening.run_store(world, tmp_path / "store", console)
    assert set(found.texts) == {d.doc_id for d in world.documents}
    assert all(found.texts.values())
    truth = {(d.doc_id, c) for d in world.documents for c in d.children}
    assert truth & set(found.scores), "kinlink found none of the children named"
    screening.report(world, found, console, 1)
    assert "recall by case" in out.getvalue()
