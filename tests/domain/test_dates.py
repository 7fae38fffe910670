"""Partial dates keep their precision; impossible or unknown forms are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from kinlink.domain.dates import DateError, PartialDate, Precision, parse_partial_date

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2014-03-12", PartialDate(2014, 3, 12), Precision.DAY),
        ("12.03.2014", PartialDate(2014, 3, 12), Precision.DAY),
        ("12/03/2014", PartialDate(2014, 3, 12), Precision.DAY),
        ("5.3.2014", PartialDate(2014, 3, 5), Precision.DAY),
        ("2014-03", PartialDate(2014, 3), Precision.MONTH),
        ("03.2014", PartialDate(2014, 3), Precision.MONTH),
        ("2014", PartialDate(2014), Precision.YEAR),
        ("  2014 ", PartialDate(2014), Precision.YEAR),
        ("29.02.2016", PartialDate(2016, 2, 29), Precision.DAY),
    ],
)
def test_accepted_forms_keep_their_precision(
    text: str, expected: PartialDate, precision: Precision
) -> None:
    parsed = parse_partial_date(text, today=TODAY)
    assert parsed == expected
    assert parsed.precision is precision


def test_partial_dates_are_never_padded() -> None:
    assert parse_partial_date("2014", today=TODAY).isoformat() == "2014"
    assert parse_partial_date("03.2014", today=TODAY).isoformat() == "2014-03"
    assert PartialDate.from_iso("2014-03") == PartialDate(2014, 3)


@pytest.mark.parametrize(
    "text",
    ["31.02.2015", "2015-13-40", "29.02.2015", "00.01.2015", "12.03.14", "14",
     "2014/03/12", "March 2014", "12-03-2014", "1899", "01.01.2027", "", "2014-3-1x"],
)
def test_impossible_or_unknown_forms_are_refused(text: str) -> None:
    with pytest.raises(DateError):
        parse_partial_date(text, today=TODAY)


def test_future_date_message_is_plain() -> None:
    with pytest.raises(DateError, match="in the future"):
        parse_partial_date("2027", today=TODAY)


def test_the_last_day_a_partial_date_can_mean() -> None:
    assert PartialDate(2014, 3, 12).latest() == dt.date(2014, 3, 12)
    assert PartialDate(2016, 2).latest() == dt.date(2016, 2, 29)
    assert PartialDate(2014, 12).latest() == dt.date(2014, 12, 31)
    assert PartialDate(2014).latest() == dt.date(2014, 12, 31)
    assert PartialDate(2014).earliest() == dt.date(2014, 1, 1)


def test_day_and_month_swapped_when_that_is_another_date() -> None:
    assert PartialDate(2014, 3, 12).swapped() == PartialDate(2014, 12, 3)
    assert PartialDate(2014, 3, 13).swapped() is None  # no 13th month
    assert PartialDate(2014, 5, 5).swapped() is None  # the same date
    assert PartialDate(2014, 3).swapped() is None
