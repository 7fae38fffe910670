"""Every CSV or XLSX file kinlink writes keeps formula-like cells as text.

The same hostile cells (``=``, ``+``, ``-``, ``@``, tab and CR first;
``=HYPERLINK("http://x")``, ``@SUM(1)``, ``+cmd|' /C calc'!A0``) go through every
writer: the import error report and rejected rows (on disk and from the store), ``kinlink
link`` (pairs, explanations), ``kinlink dedupe`` (clusters, pairs for review), ``kinlink
names compare``, the mediation lists (CSV and XLSX) and the demo lists. No cell of any
output may start with a formula trigger. The rejected rows, corrected and imported
again, give back the values they had: the neutralising is undone by the reader.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.demo import DemoConfig, generate
from kinlink.domain.cells import FORMULA_START, neutralise_formula, restore_formula
from kinlink.domain.mediation import ListField
from kinlink.ingest import ImportRequest, import_file
from kinlink.ingest.runs import errors_csv, rejected_csv
from kinlink.listfiles import read_list, write_error_report
from kinlink.listfiles.readers import open_table
from kinlink.mediation.exports import ListRow, ListTable, list_csv, list_xlsx
from kinlink.storage import Store
from kinlink.storage.import_views import ImportViews

HOSTILE = ['=HYPERLINK("http://x")', "@SUM(1)", "+cmd|' /C calc'!A0", "-1", "=1+1",
           "\t=tab", "\r=cr", "'=quoted"]
"""Cells a spreadsheet would run (the last one starts with an apostrophe already)."""
NAMES = [("Петренко", "Олександр"), ("Бойко", "Ганна"), ("Коваленко", "Дмитро"),
         ("Шевченко", "Тарас"), ("Мельник", "Ірина"), ("Ткаченко", "Марія"),
         ("Кравченко", "Андрій"), ("Олійник", "Софія")]
HEADER = ["record_id", "surname", "given_name", "birth_date", "sex", "birth_place", "notes",
          "=cmd"]
runner = CliRunner()


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _hostile_list(path: Path, suffix: str = "") -> Path:
    """Children whose ids, places, notes and extra cells are hostile; two rows rejected
    (no name) and one birth date not understood, each carrying hostile cells too."""
    rows = [[h + suffix, surname, given, f"{1 + i:02d}.03.2014", "ч", h, h, h]
            for i, (h, (surname, given)) in enumerate(zip(HOSTILE, NAMES, strict=True))]
    rows.append(["+rejected", "", "", "=1+1", "ч", "@SUM(1)", "-x", "=x"])
    rows.append(['=HYPERLINK("http://y")', "", "", "", "", "", "\t=y", "'=z"])
    rows.append(["ok-1" + suffix, "Гончаренко", "Олег", "=1+1", "ч", "-", "", ""])
    return _csv(path, rows)


def _cells_of_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _assert_safe(name: str, rows: list[list[str]]) -> None:
    assert rows, f"{name} is empty"
    bad = [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]
    assert bad == [], f"{name} has formula-like cells: {bad}"


def test_every_file_writer_keeps_hostile_cells_as_text(tmp_path: Path) -> None:
    left = _hostile_list(tmp_path / "left.csv")
    right = _hostile_list(tmp_path / "right.csv", suffix="R")
    written: dict[str, list[list[str]]] = {}

    # the import's error report and rejected rows, as `kinlink import` writes them
    opened = read_list(left)
    assert len(list(opened.records())) == len(HOSTILE) + 1
    report = write_error_report(tmp_path / "reports", "import-1", left.name, opened.header,
                                opened.issues)
    assert report is not None
    assert report.rejected is not None
    written["errors.csv"] = _cells_of_csv(report.errors.read_bytes())
    written["rejected.csv"] = _cells_of_csv(report.rejected.read_bytes())
    assert len(written["rejected.csv"]) == 3

    # kinlink link and dedupe, with their explanations and review pairs
    pairs, why = tmp_path / "pairs.csv", tmp_path / "why.csv"
    done = runner.invoke(app, ["link", str(left), str(right), "-o", str(pairs),
                               "--explain", str(why)])
    assert done.exit_code == 0, done.output
    clusters, review = tmp_path / "clusters.csv", tmp_path / "review.csv"
    both = _csv(tmp_path / "both.csv", [r for path in (left, right)
                                        for r in _cells_of_csv(path.read_bytes())[1:]])
    done = runner.invoke(app, ["dedupe", str(both), "-o", str(clusters), "--review",
                               str(review)])
    assert done.exit_code == 0, done.output
    for path in (pairs, why, clusters, review):
        written[path.name] = _cells_of_csv(path.read_bytes())
    assert len(written["pairs.csv"]) > 3, "the lists should link"
    assert any(r[0] == "'" + HOSTILE[0] for r in written["pairs.csv"])
    # the link's own error reports, beside its output
    for path in tmp_path.glob("pairs-*.csv"):
        written[path.name] = _cells_of_csv(path.read_bytes())
    assert any(name.endswith("-rejected.csv") for name in written if name.startswith("pairs-"))

    # kinlink names compare
    compare_in = _csv(tmp_path / "names.csv", [[h, h] for h in HOSTILE], ["a", "b"])
    compared = tmp_path / "compared.csv"
    done = runner.invoke(app, ["names", "compare", str(compare_in), "-o", str(compared)])
    assert done.exit_code == 0, done.output
    written["compared.csv"] = _cells_of_csv(compared.read_bytes())

    # a mediation list, CSV and XLSX
    columns = (ListField.NAME_UK, ListField.BIRTH_PLACE)
    table = ListTable(title=HOSTILE[0], list_number="-L-1", channel="@channel",
                      created_at=datetime(2026, 1, 1, tzinfo=UTC), created_by="+officer",
                      columns=columns,
                      rows=tuple(ListRow(f"KL-{i}", {ListField.NAME_UK: h,
                                                     ListField.BIRTH_PLACE: h})
                                 for i, h in enumerate(HOSTILE)))
    written["list.csv"] = _cells_of_csv(list_csv(table))
    book = load_workbook(io.BytesIO(list_xlsx(table)))
    for sheet in book.worksheets:
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
        written[f"list.xlsx:{sheet.title}"] = [
            [str(c.value) for c in row if c.value is not None] for row in sheet.iter_rows()]

    # the demo lists (their reporters' phone numbers start with "+")
    for demo in generate(tmp_path / "demo", DemoConfig(children=30)):
        written[demo.path.name] = _cells_of_csv(demo.path.read_bytes())
    assert any(cell.startswith("'+380") for name, rows in written.items()
               if name == "family_reports.csv" for row in rows for cell in row)

    for name, rows in written.items():
        _assert_safe(name, rows)
    assert {"errors.csv", "rejected.csv", "pairs.csv", "why.csv", "clusters.csv",
            "review.csv", "compared.csv", "list.csv", "list.xlsx:List"} <= set(written)


def test_rejected_rows_from_the_store_are_safe_and_import_again_as_they_were(
        store: Store, tmp_path: Path) -> None:
    path = _hostile_list(tmp_path / "list.csv")
    original = _cells_of_csv(path.read_bytes())
    result = import_file(store, ImportRequest(path=path, imported_by="test"))
    assert result.counts.rejected == 2
    with store.transaction() as session:
        views = ImportViews(session)
        run = views.run(None, result.run_id)
        assert run is not None
        errors = _cells_of_csv(errors_csv(views, run))
        rejected_bytes = rejected_csv(views, run)
    _assert_safe("errors.csv from the store", errors)
    rejected = _cells_of_csv(rejected_bytes)
    _assert_safe("rejected.csv from the store", rejected)
    assert rejected[1][0] == "'+rejected"
    # read back as the importer reads it: the values the first import read (where a cell
    # was written '=z, that is =z: the apostrophe is the spreadsheets' mark for text)
    table = open_table(rejected_bytes)
    first = [[restore_formula(c) for c in row] for row in original]
    assert first[-2][-1] == "=z"
    assert table.header == first[0]
    assert [row.cells for row in table.rows] == [first[-3], first[-2]]


@given(st.text(max_size=12))
def test_neutralising_is_undone_exactly_and_never_leaves_a_formula(value: str) -> None:
    safe = neutralise_formula(value)
    assert not safe.startswith(FORMULA_START)
    assert restore_formula(safe) == value


@pytest.mark.parametrize("value", ["'Ярина", "О'Коннор", "'", "''", "plain", ""])
def test_an_apostrophe_before_plain_text_is_kept(value: str) -> None:
    assert neutralise_formula(value) == value
    assert restore_formula(value) == value
