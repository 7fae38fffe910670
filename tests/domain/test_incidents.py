"""An unexpected failure is told by type, step and reference: its text, arguments, notes,
chain and the frames' variables — where the rows are — never reach the message or the
detail file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from faults import GIVEN, PATRONYMIC, PLACE, SURNAME, leaks
from kinlink import incidents


def _write_row(surname: str) -> None:
    row = {"surname": surname, "given_name": GIVEN}  # a local variable holding the row
    driver = ValueError(f"DETAIL: Key (surname)=({row['surname']}) exists")
    raise IntegrityError("INSERT INTO records (surname, given_name) VALUES (?, ?)",
                         row, driver) from driver  # as SQLAlchemy raises it


def _import() -> None:
    try:
        try:
            _write_row(SURNAME)
        except IntegrityError as exc:
            exc.add_note(f"while writing {PATRONYMIC} of {PLACE}")
            raise RuntimeError(f"chunk failed at {GIVEN}") from exc
    except RuntimeError:
        raise KeyError(SURNAME)  # noqa: B904 -- the implicit __context__ is the point


def _failure() -> BaseException:
    with pytest.raises(KeyError) as caught:
        _import()
    return caught.value


def test_the_failure_itself_carries_the_row_so_the_test_can_fail() -> None:
    import traceback

    text = "".join(traceback.format_exception(_failure()))
    assert set(leaks(text)) >= {SURNAME, GIVEN, PATRONYMIC, PLACE}


def test_message_and_detail_file_name_types_step_and_frames_never_values(
        tmp_path: Path) -> None:
    incidents.set_step("kinlink import, reading the list", "Run it again")
    incident = incidents.record(_failure(), tmp_path / "errors")
    assert incident.kinds == ("KeyError", "RuntimeError", "sqlalchemy.exc.IntegrityError",
                              "ValueError")
    assert incident.summary() == "KeyError ← RuntimeError ← IntegrityError ← ValueError"
    message = incident.message()
    assert leaks(message) == []
    assert message.startswith("kinlink stopped unexpectedly during kinlink import, reading "
                              "the list (KeyError ← RuntimeError")
    assert "Run it again." in message
    assert f"Reference {incident.reference}" in message
    assert incident.detail == tmp_path / "errors" / f"{incident.reference}.txt"
    assert str(incident.detail) in message
    assert str(incident.detail) not in incident.message(detail=False)
    assert stat.S_IMODE(incident.detail.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "errors").stat().st_mode) == 0o700
    text = incident.detail.read_text(encoding="utf-8")
    assert leaks(text) == []
    for expected in ("step: kinlink import, reading the list", "in _write_row",
                     "raise IntegrityError(", "sqlalchemy.exc.IntegrityError", "which led to:"):
        assert expected in text
    # innermost first, as Python prints a chain
    assert text.index("\nValueError") < text.index("\nsqlalchemy.exc.IntegrityError") \
        < text.index("\nKeyError")


def test_a_suppressed_context_is_left_out_and_an_unwritable_folder_is_no_error(
        tmp_path: Path) -> None:
    try:
        try:
            raise ValueError(SURNAME)
        except ValueError:
            raise OSError("disk") from None
    except OSError as exc:
        failure = exc
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    incident = incidents.record(failure, blocked / "errors", "kinlink db upgrade")
    assert incident.kinds == ("OSError",)
    assert incident.detail is None
    assert "The details" not in incident.message()
    assert incident.reference in incident.message()


def test_two_failures_get_two_references(tmp_path: Path) -> None:
    first = incidents.record(ValueError(), tmp_path, "a")
    second = incidents.record(ValueError(), tmp_path, "a")
    assert first.reference != second.reference
    assert len(list(tmp_path.iterdir())) == 2
