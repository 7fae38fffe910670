"""Case facts for public statistics: milestones from a case's history, age bands."""

from __future__ import annotations

import datetime as dt

from kinlink.domain.dates import PartialDate
from kinlink.usecases.statistics import age_band, milestones_of

DAY = dt.date(2026, 6, 1)


def _at(day: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, 12, tzinfo=dt.UTC)


def test_a_reunited_case_reached_every_earlier_milestone_on_its_history_days() -> None:
    history = (("reported", _at(1)), ("located", _at(5)), ("identity_verified", _at(9)),
               ("return_requested", _at(10)), ("in_return", _at(11)), ("returned", _at(12)),
               ("reunited", _at(20)))
    got = milestones_of(history, DAY)
    assert got == {"reported": dt.date(2026, 3, 1), "located": dt.date(2026, 3, 5),
                   "identity_verified": dt.date(2026, 3, 9),
                   "return_requested": dt.date(2026, 3, 10),
                   "returned": dt.date(2026, 3, 12), "reunited": dt.date(2026, 3, 20)}


def test_a_step_back_loses_the_milestone_and_the_as_of_day_cuts_the_history() -> None:
    history = (("reported", _at(1)), ("located", _at(5)), ("reported", _at(6)))
    assert milestones_of(history, DAY) == {"reported": dt.date(2026, 3, 1)}
    opened_located = (("located", _at(2)),)
    assert milestones_of(opened_located, DAY) == {"reported": dt.date(2026, 3, 2),
                                                  "located": dt.date(2026, 3, 2)}
    assert milestones_of((("reported", _at(1, month=7)),), DAY) == {}


def test_age_bands_at_removal_and_adults_now() -> None:
    taken = dt.date(2022, 4, 1)
    assert age_band(PartialDate(2019, 3, 1), taken, DAY) == "0-4"
    assert age_band(PartialDate(2012, 1, 1), taken, DAY) == "10-13"
    assert age_band(PartialDate(2005, 1, 1), taken, DAY) == "adult_now"
    assert age_band(None, taken, DAY) == "unknown"
    assert age_band(PartialDate(2015, None, None), None, DAY) == "unknown"
