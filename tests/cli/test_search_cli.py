"""``kinlink search``: the search page's answer at the command line — exact hits first then
variants with the kind of difference in words, birth dates in any form and a range, each
hit's child and case, pages with totals — and its refusals, scoped by ``KINLINK_AGENCY``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cliworlds import StartWorld
from kinlink.cli import app
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.storage import open_store
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import open_missing_cases

runner = CliRunner()

FAMILY = ("record_id,прізвище,ім'я,по батькові,дата народження,стать,місце народження\n"
          "F-1,Петренко,Олександр,Іванович,12.03.2014,ч,Маріуполь\n"
          "F-2,Бойко,Ганна,,03.2015,ж,Херсон\n"
          "F-3,Коваленко,Дмитро,Петрович,05.06.2013,ч,Бердянськ\n")
CAMP = ("record_id,surname,given_name,birth_date,sex,birth_place\n"
        "C-1,Сидоренко,Александр,2014-01-02,M,Донецк\n"
        "C-2,Петров,Александр,2013-05-06,M,Луганск\n")
ADOPTION = ("record_id,surname,given_name,birth_date,sex,birth_place\n"
            "A-1,Kovalenko,Dmytro,2013-06-05,M,Berdiansk\n")
"""Against FAMILY, the model links A-1 with F-3 on its own (one child, two records)."""


def _lists(folder: Path) -> None:
    """The three lists imported, linked by the real matcher, the cases of the reported
    children opened (as ``kinlink import`` does)."""
    store = open_store(Settings(data_dir=folder / "data"))
    for name, content, kind in (("family.csv", FAMILY, SourceKind.FAMILY_REPORTS),
                                ("camp.csv", CAMP, SourceKind.CAMP_LIST),
                                ("adoption.csv", ADOPTION, SourceKind.ADOPTION_REGISTRY)):
        path = folder / name
        path.write_text(content, encoding="utf-8")
        import_file(store, ImportRequest(path=path, imported_by="test", kind=kind))
    assert match_store(store, actor="test").matches == 1
    open_missing_cases(store, Actor("test", UserRole.SUPERVISOR))
    store.dispose()


@pytest.fixture
def lists(cli_world: StartWorld, data_dir: Path) -> Path:
    """The commands' data directory, a copy of :func:`_lists`'s store (built once per
    worker)."""
    cli_world(_lists)
    return data_dir


def _rows(output: str) -> list[str]:
    """The table's rows (a hit's first line: the record's id in the first column)."""
    return [line for line in output.splitlines() if re.match(r"│ \d+ ", line)]


def _cell(row: str, column: int) -> str:
    """One cell of a row's first line (0: the record's id, 1: the name as written…)."""
    return row.split("│")[column + 1].strip()


def test_exact_hits_first_then_variants_in_words_with_child_and_case(lists: Path) -> None:
    found = runner.invoke(app, ["search", "Александр"])
    assert found.exit_code == 0, found.output
    assert "1–3 of 3 · exact matches first, then variants · page 1 of 1" in found.stdout
    assert "Read as: Александр\n" in found.stdout  # one reading shown once
    rows = _rows(found.stdout)
    assert [(_cell(r, 1).split()[1], _cell(r, 2)) for r in rows][:2] \
        == [("Александр", "exact"), ("Александр", "exact")]
    ukrainian = rows[2]
    assert _cell(ukrainian, 1) == "Петренко Олександр Іванович"
    assert re.fullmatch(r"9\d% same name", _cell(ukrainian, 2))
    assert "100%" not in found.stdout  # a variant never reads as 100%
    assert "Александр → Олександр: Russian form" in found.stdout
    assert "not linked" in ukrainian
    assert re.search(r"│ \d+: reported", ukrainian)  # the case and its status
    assert "no case" in rows[0]  # a camp record: no case of its own


def test_the_child_linked_and_the_latin_system_named(lists: Path) -> None:
    found = runner.invoke(app, ["search", "Kovalenko Dmytro"])
    rows = _rows(found.stdout)
    assert [(_cell(r, 1), _cell(r, 2) == "exact") for r in rows] \
        == [("Kovalenko Dmytro", True), ("Коваленко Дмитро Петрович", False)]
    assert all("linked (2 records)" in r for r in rows)
    assert "Kovalenko → Коваленко: Latin" in found.stdout


def test_birth_dates_in_any_form_and_a_range(lists: Path) -> None:
    for typed in ("12.03.2014", "2014-03-12"):
        alone = runner.invoke(app, ["search", typed])
        assert "Read as: born 2014-03-12" in alone.stdout
        assert "1–1 of 1 · by birth date" in alone.stdout
        assert [("Петренко" in r, "exact date" in r) for r in _rows(alone.stdout)] \
            == [(True, True)]
    month = runner.invoke(app, ["search", "03.2015"])
    assert [("Бойко" in r) for r in _rows(month.stdout)] == [True]
    named = runner.invoke(app, ["search", "Александр 2013"])
    assert "Read as: Александр · born 2013 ± 1" in named.stdout
    ranged = runner.invoke(app, ["search", "--born-from", "2013-01", "--born-to",
                                 "06.2013"])
    assert "Read as: born 2013-01-01 – 2013-06-30" in ranged.stdout
    rows = _rows(ranged.stdout)
    assert len(rows) == 3
    assert all("born in the range" in r for r in rows)
    assert not any("Петренко" in r or "Сидоренко" in r for r in rows)


def test_refusals_name_where_and_why(lists: Path) -> None:
    impossible = runner.invoke(app, ["search", "Бойко 31.02.2015"])
    assert impossible.exit_code == 2
    assert "the text: the birth date cannot be read: day 31 does not exist in month 2" \
        in impossible.output
    backwards = runner.invoke(app, ["search", "--born-from", "2015", "--born-to", "2013"])
    assert backwards.exit_code == 2
    assert "--born-to: the birth date range ends before it begins" in backwards.output
    unreadable = runner.invoke(app, ["search", "Бойко", "--born-from", "32.01.2015"])
    assert unreadable.exit_code == 2
    assert "--born-from: the birth date cannot be read" in unreadable.output
    nothing = runner.invoke(app, ["search"])
    assert nothing.exit_code == 2
    assert "give a name or a birth date" in nothing.output
    too_many = runner.invoke(app, ["search", "Петренко", "--per-page", "101"])
    assert too_many.exit_code == 2
    missing = runner.invoke(app, ["search", "Шевчишин"])
    assert missing.exit_code == 0
    assert "No record matches" in missing.stdout


def test_pages_with_totals(data_dir: Path, tmp_path: Path) -> None:
    rows = "".join(f"P-{i},Петренко,Олександр,{i % 28 + 1:02d}.01.2010\n" for i in range(45))
    path = tmp_path / "many.csv"
    path.write_text("record_id,прізвище,ім'я,дата народження\n" + rows, encoding="utf-8")
    assert runner.invoke(app, ["import", str(path), "--no-link"]).exit_code == 0
    second = runner.invoke(app, ["search", "Петренко", "--page", "2", "--per-page", "20"])
    assert "21–40 of 45 · exact matches first, then variants · page 2 of 3" in second.stdout
    assert len(_rows(second.stdout)) == 20
    assert "Next page: --page 3" in second.stdout
    last = runner.invoke(app, ["search", "Петренко", "--page", "3", "--per-page", "20"])
    assert "41–45 of 45" in last.stdout
    assert len(_rows(last.stdout)) == 5
    assert "Next page" not in last.stdout
    first_ids = {_cell(r, 0) for r in _rows(runner.invoke(
        app, ["search", "Петренко", "--per-page", "20"]).stdout)}
    assert not first_ids & {_cell(r, 0) for r in _rows(second.stdout)}
    past = runner.invoke(app, ["search", "Петренко", "--page", "4", "--per-page", "20"])
    assert past.exit_code == 2
    assert "page 4 is past the last page (3 of 20 hits)" in past.output


def test_the_agency_scopes_and_the_search_is_audited_without_the_name(
        lists: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_AGENCY", "1")  # the home agency: the lists are its own
    assert len(_rows(runner.invoke(app, ["search", "Александр"]).stdout)) == 3
    monkeypatch.setenv("KINLINK_AGENCY", "2")  # another agency sees none of them
    elsewhere = runner.invoke(app, ["search", "Александр"])
    assert elsewhere.exit_code == 0
    assert "No record matches" in elsewhere.stdout
    store = open_store(Settings(data_dir=lists))
    with store.transaction() as session:
        events = session.execute(select(AuditEventRow.actor, AuditEventRow.details).where(
            AuditEventRow.action == "records.search")).all()
    store.dispose()
    assert [(actor, details["found"]) for actor, details in events] \
        == [("operator", 3), ("operator", 0)]
    assert "Александр" not in str(events)
