"""Importing lists into a real store (SQLite file and PostgreSQL): nothing is lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kinlink.domain.imports import ImportStatus, Severity
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import DuplicateFileError, FileRefusedError
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import Store
from kinlink.storage.tables import (
    AuditEventRow,
    ImportIssueRow,
    ImportRunRow,
    RecordRow,
    ReporterRow,
    SourceRow,
)

TODAY = dt.date(2026, 11, 26)

BROKEN = (
    "record_id,surname,given_name,birth_date,sex,notes,reporter_name,reporter_contact,школа\n"
    "A1,Петренко,Олександр,12.03.2014,ч,=HYPERLINK(\"http://x\"),Петренко Ірина,+380501112233,"
    "№5\n"
    "A2,Іваненко,Ганна,31.02.2015,ж,+380 is a phone,,,\n"
    "\n"
    "A3,,,2014,м,no name here,,,\n"
    "A4,Коваль,Марія,2015-13-40,F,-minus,,,\n"
    ",Бойко,Ярослав,2013,M,no id,,,\n"
    "A1,Дубль,Олег,2012,M,repeated id,,,\n"
    "   ,  ,  ,  ,  ,  ,,,\n"
    "A5,Шевченко,Дмитро,03.2016,X,@mention,,,\n"
    "A6,Лисенко,Софія,2016,ж,\"multi\nline note\",,,\n"
)


def _import(store: Store, path: Path, **options: object) -> object:
    request = ImportRequest(path=path, imported_by="tester", **options)  # type: ignore[arg-type]
    return import_file(store, request, today=TODAY)


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_broken_file_gives_the_right_counts_and_errors(store: Store, tmp_path: Path) -> None:
    result = import_file(store, ImportRequest(path=_write(tmp_path, "broken.csv", BROKEN),
                                              imported_by="tester"), today=TODAY)
    counts = result.counts
    assert (counts.rows, counts.imported, counts.rejected) == (8, 5, 3)
    assert counts.blank_lines == 2
    assert counts.field_errors == 3
    found = {(i.line, i.column, i.severity, i.code) for i in result.issues}
    assert found == {
        (3, "birth_date", Severity.FIELD, "bad_date"),
        (5, None, Severity.REJECTED, "no_name"),
        (6, "birth_date", Severity.FIELD, "bad_date"),
        (7, "record_id", Severity.REJECTED, "missing_record_id"),
        (8, "record_id", Severity.REJECTED, "duplicate_record_id"),
        (10, "sex", Severity.FIELD, "bad_sex"),
    }
    duplicate = next(i for i in result.issues if i.code == "duplicate_record_id")
    assert "line 2" in duplicate.message
    with store.transaction() as session:
        records = {r.record_id: r for r in session.execute(select(RecordRow)).scalars()}
        stored_issues = session.execute(select(func.count()).select_from(ImportIssueRow)).scalar()
    assert sorted(records) == ["A1", "A2", "A4", "A5", "A6"]
    assert stored_issues == 6
    assert records["A2"].birth_year is None
    assert records["A2"].raw[3] == "31.02.2015"
    assert records["A6"].notes == "multi\nline note"
    assert records["A6"].line == 11


def test_formula_like_cells_are_stored_verbatim(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path, "broken.csv", BROKEN))
    with store.transaction() as session:
        notes = {r.record_id: r.notes for r in session.execute(select(RecordRow)).scalars()}
    assert notes["A1"] == '=HYPERLINK("http://x")'
    assert notes["A2"] == "+380 is a phone"
    assert notes["A4"] == "-minus"
    assert notes["A5"] == "@mention"


def test_parsed_fields_raw_row_and_extra_columns(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path, "broken.csv", BROKEN), kind=SourceKind.FAMILY_REPORTS)
    with store.transaction() as session:
        record = session.execute(select(RecordRow).where(RecordRow.record_id == "A1")).scalar_one()
        source = session.get(SourceRow, record.source_id)
        month = session.execute(select(RecordRow).where(RecordRow.record_id == "A5")).scalar_one()
    assert source is not None
    assert (record.surname, record.given_name, record.sex) == ("Петренко", "Олександр", "M")
    assert (record.birth_year, record.birth_month, record.birth_day) == (2014, 3, 12)
    assert (month.birth_year, month.birth_month, month.birth_day) == (2016, 3, None)
    assert record.role == Role.SOUGHT
    assert record.extra == {"школа": "№5"}
    assert dict(zip(source.header, record.raw, strict=True))["reporter_contact"] == "+380501112233"
    assert source.column_map["surname"] == "surname"


def test_reporter_is_kept_apart_from_the_record(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path, "broken.csv", BROKEN))
    with store.transaction() as session:
        reporters = session.execute(select(ReporterRow)).scalars().all()
        record = session.get(RecordRow, reporters[0].record_pk)
    assert len(reporters) == 1
    assert (reporters[0].name, reporters[0].contact) == ("Петренко Ірина", "+380501112233")
    assert record is not None
    assert record.record_id == "A1"
    assert "reporter_contact" not in record.extra


def test_same_file_again_is_refused_unless_forced(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "list.csv", "record_id,surname\n1,Петренко\n")
    first = import_file(store, ImportRequest(path=path, imported_by="tester"), today=TODAY)
    renamed = _write(tmp_path, "copy.csv", "record_id,surname\n1,Петренко\n")
    with pytest.raises(DuplicateFileError, match="already imported") as refused:
        import_file(store, ImportRequest(path=renamed, imported_by="tester"), today=TODAY)
    assert refused.value.source_id == first.source_id
    again = import_file(store, ImportRequest(path=renamed, imported_by="tester", force=True),
                        today=TODAY)
    assert again.source_id != first.source_id
    with store.transaction() as session:
        assert session.execute(select(func.count()).select_from(RecordRow)).scalar() == 2


def test_windows_1251_file_imports_with_correct_names(store: Store, tmp_path: Path) -> None:
    text = "Номер;Фамилия;Имя;Дата рождения\n1;Лысенко;Алёна;01.02.2015\n2;Олійник;Їжак;2014\n"
    result = _import(store, _write(tmp_path, "cp1251.csv", text, "cp1251"))
    assert result.encoding == "windows-1251"  # type: ignore[attr-defined]
    with store.transaction() as session:
        names = session.execute(select(RecordRow.surname).order_by(RecordRow.id)).scalars().all()
    assert names == ["Лысенко", "Олійник"]


def test_binary_file_renamed_csv_is_refused_and_the_run_says_why(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(FileRefusedError, match="binary"):
        _import(store, path)
    with store.transaction() as session:
        run = session.execute(select(ImportRunRow)).scalar_one()
        assert session.execute(select(func.count()).select_from(SourceRow)).scalar() == 0
    assert run.status == ImportStatus.REFUSED
    assert run.message is not None
    assert "binary" in run.message


def test_file_without_record_id_column_is_refused_or_numbered(
    store: Store, tmp_path: Path
) -> None:
    path = _write(tmp_path, "noid.csv", "прізвище,ім'я\nПетренко,Олександр\nБойко,Ганна\n")
    with pytest.raises(FileRefusedError, match="--line-ids"):
        _import(store, path)
    result = _import(store, path, line_ids=True)
    assert result.counts.imported == 2  # type: ignore[attr-defined]
    with store.transaction() as session:
        ids = session.execute(select(RecordRow.record_id).order_by(RecordRow.id)).scalars().all()
    assert ids == ["line-2", "line-3"]


def test_xlsx_with_date_cells_formulas_and_gaps(store: Store, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["record_id", "full_name", "birth_date", "sex"])
    sheet.append(["X1", "ПЕТРЕНКО Александр Сергеевич", dt.datetime(2014, 3, 12), "м"])
    sheet.append([None, None, None, None])
    sheet.append([2, "=CONCAT(\"a\",\"b\")", 2015, "ж"])
    sheet.append(["X3", None, "2016", None])
    path = tmp_path / "registry.xlsx"
    workbook.save(path)
    result = _import(store, path)
    assert result.file_format == "xlsx"  # type: ignore[attr-defined]
    assert result.counts.imported == 2  # type: ignore[attr-defined]
    assert [(i.line, i.code) for i in result.issues] == [(5, "no_name")]  # type: ignore[attr-defined]
    with store.transaction() as session:
        rows = {r.record_id: r for r in session.execute(select(RecordRow)).scalars()}
    assert (rows["X1"].birth_year, rows["X1"].birth_month, rows["X1"].birth_day) == (2014, 3, 12)
    assert rows["2"].full_name == '=CONCAT("a","b")'
    assert (rows["2"].birth_year, rows["2"].birth_month) == (2015, None)


def test_successful_import_writes_an_audit_event_without_personal_data(
    store: Store, tmp_path: Path
) -> None:
    result = _import(store, _write(tmp_path, "broken.csv", BROKEN))
    with store.transaction() as session:
        events = session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars().all()
    assert [e.action for e in events] == ["import.completed"]
    event = events[-1]
    assert event.entity_id == str(result.source_id)  # type: ignore[attr-defined]
    assert event.details["imported"] == 5
    assert "Петренко" not in repr(event.details)


def test_interrupted_run_is_marked_when_the_file_comes_again(
    store: Store, tmp_path: Path
) -> None:
    path = _write(tmp_path, "list.csv", "record_id,surname\n1,Петренко\n")
    with store.transaction() as session:
        session.add(ImportRunRow(original_filename="list.csv", started_by="tester",
                                 sha256=__import__("hashlib").sha256(path.read_bytes())
                                 .hexdigest(), status=ImportStatus.RUNNING))
    _import(store, path)
    with store.transaction() as session:
        statuses = session.execute(select(ImportRunRow.status).order_by(ImportRunRow.id)
                                   ).scalars().all()
    assert statuses == [ImportStatus.INTERRUPTED, ImportStatus.COMPLETED]


def test_interrupted_run_is_marked_even_when_the_file_is_refused_as_a_duplicate(
    store: Store, tmp_path: Path
) -> None:
    path = _write(tmp_path, "list.csv", "record_id,surname\n1,Петренко\n")
    _import(store, path)
    with store.transaction() as session:
        session.add(ImportRunRow(original_filename="list.csv", started_by="tester",
                                 sha256=__import__("hashlib").sha256(path.read_bytes())
                                 .hexdigest(), status=ImportStatus.RUNNING))
    with pytest.raises(DuplicateFileError):
        _import(store, path)
    with store.transaction() as session:
        statuses = session.execute(select(ImportRunRow.status).order_by(ImportRunRow.id)
                                   ).scalars().all()
    assert statuses == [ImportStatus.COMPLETED, ImportStatus.INTERRUPTED]
