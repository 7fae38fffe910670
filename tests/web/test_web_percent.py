"""A probability shown with the digits that place it against the thresholds (16.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinlink.web.i18n import percent, placed

MARKS = (0.999, 0.2)


@pytest.mark.parametrize(("probability", "shown"), [
    (0.9989, "99.89"),     # under the automatic link: never 99.9
    (0.999, "99.9"),       # at it
    (0.99899999, "99.8999"),
    (0.99999, "99.999"),   # never 100 unless certain
    (1.0, "100.0"),
    (0.5, "50.0"),
    (0.19999, "19.999"),   # under the review threshold: never 20.0
    (0.0001, "0.01"),      # never 0 unless nothing
    (0.0, "0.0"),
])
def test_a_probability_keeps_its_side_of_every_threshold(probability: float,
                                                         shown: str) -> None:
    assert placed(probability, MARKS) == Decimal(shown)


def test_past_the_most_decimals_it_is_cut_towards_its_side() -> None:
    """A hair under a threshold reads under it however many digits it would need."""
    assert placed(0.998999999999, MARKS) == Decimal("99.8999")
    assert placed(0.999999999999, MARKS) == Decimal("99.9999")
    assert placed(0.000000000001, MARKS) == Decimal("0.0001")


def test_written_in_the_readers_convention() -> None:
    assert percent(0.9989, MARKS, "uk") == "99,89%"
    assert percent(0.9989, MARKS, "en") == "99.89%"
    assert percent(0.2, (), "uk", least=0) == "20%"
    assert percent(0.999, (), "en", least=0) == "99.9%"


def test_the_command_line_writes_the_same_placing() -> None:
    from kinlink.i18n import placed_text
    assert placed_text(0.9989, MARKS) == "99.89%"
    assert placed_text(0.0001, MARKS) == "0.01%"
    assert placed_text(0.2, (), least=0) == "20%"
