"""Birth dates typed into search: any accepted form, a range, impossible ones refused."""

from __future__ import annotations

import datetime as dt

import pytest

from kinlink.domain.dates import PartialDate
from kinlink.errors import InputRefusedError
from kinlink.search.query import birth_in, birth_window, readings
from kinlink.storage.search_keys import BirthWindow

TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize(("text", "born"), [
    ("12.03.2014", PartialDate(2014, 3, 12)),
    ("Петренко 2014-03-12", PartialDate(2014, 3, 12)),
    ("03.2014 Олександр", PartialDate(2014, 3)),
    ("2014-03", PartialDate(2014, 3)),
    ("Бойко 2015", PartialDate(2015)),
    ("Петренко", None),
])
def test_a_date_typed_in_the_name_box_is_read_as_a_birth_date(
        text: str, born: PartialDate | None) -> None:
    assert birth_in(text, today=TODAY) == born


def test_a_date_alone_has_no_name_to_look_up() -> None:
    assert readings("12.03.2014") == []
    assert [r.parts.given or r.parts.surname for r in readings("Петренко 12.03.2014")] \
        == ["Петренко", "Петренко"]


def test_the_window_keeps_a_date_at_its_precision_and_a_year_within_one() -> None:
    day = dt.date(2014, 3, 12)
    assert birth_window(PartialDate(2014, 3, 12)) == BirthWindow(day, day)
    assert birth_window(PartialDate(2014, 3)) == BirthWindow(dt.date(2014, 3, 1),
                                                             dt.date(2014, 3, 31))
    assert birth_window(PartialDate(2014)) == BirthWindow(dt.date(2013, 1, 1),
                                                          dt.date(2015, 12, 31))
    assert birth_window(None, "03.2014", "2015", today=TODAY) == BirthWindow(
        dt.date(2014, 3, 1), dt.date(2015, 12, 31))
    assert birth_window(None, None, "2014-02", today=TODAY) == BirthWindow(
        dt.date(1900, 1, 1), dt.date(2014, 2, 28))
    assert birth_window() is None


@pytest.mark.parametrize(("call", "field", "code"), [
    (lambda: birth_in("Петренко 31.02.2014", today=TODAY), "q", "invalid_date"),
    (lambda: birth_in("30.13.2014", today=TODAY), "q", "invalid_date"),
    (lambda: birth_window(None, "2015", "2014", today=TODAY), "born_to", "invalid_date_range"),
    (lambda: birth_window(None, "2030", None, today=TODAY), "born_from", "invalid_date"),
])
def test_an_impossible_date_is_refused_naming_the_field(call: object, field: str,
                                                        code: str) -> None:
    with pytest.raises(InputRefusedError) as refused:
        call()  # type: ignore[operator]
    assert (refused.value.field, refused.value.code) == (field, code)
