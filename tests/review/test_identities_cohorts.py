"""A reported child's possible identities in the store, where the children moved with it
were found and linked: the record of their intake ranks above a stranger of the same
window, and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohortworld import INTAKE, import_and_link
from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.storage import Store
from kinlink.usecases.children import possible_identities

WORKER = Actor("olena", UserRole.CASE_WORKER)
pytestmark = pytest.mark.slow


@pytest.fixture
def moved(store: Store, tmp_path: Path) -> dict[str, int]:
    """The reported child, its renamed registry entry and a stranger, by name: the
    stranger, born the same day in the same town and moved the same day (alone, to
    another home), is read first and weighs as much on its own."""
    return import_and_link(store, tmp_path)


def test_the_intake_of_the_childs_linked_mates_ranks_first_and_says_why(
        store: Store, moved: dict[str, int]) -> None:
    found = possible_identities(store, WORKER, moved["child"])
    order = [c.record.id for c in found.candidates]
    assert order[:2] == [moved["renamed"], moved["stranger"]]
    renamed, stranger = found.candidates[:2]
    assert [r.code for r in renamed.listed_for][-1] == "moved_with"
    assert "moved_with" not in [r.code for r in stranger.listed_for]
    line = next(f for f in renamed.explanation.fields if f.field == "moved together")
    assert line.weight > 0
    assert INTAKE in line.words
    assert line.words.startswith("5 other children from the same institution")
