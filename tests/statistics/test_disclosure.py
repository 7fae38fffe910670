"""Disclosure control holds against the attacker: on generated, deliberately skewed facts
of several sizes, no suppressed cell of a release (nor of the release before it, given
both) can be narrowed below the rule of docs/statistics.md; and the attacker does break
tables that are not protected."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kinlink.statistics.attack import PROTECTION_WIDTH, attack, too_narrow
from kinlink.statistics.facts import CaseFact
from kinlink.statistics.protect import attacker_system
from kinlink.statistics.release import (
    THRESHOLD,
    CellStatus,
    PublishedCell,
    Release,
    prepare_release,
    published_layer,
)
from statfacts import AS_OF, PREVIOUS_AS_OF, facts


def _published_values(release: Release) -> list[int]:
    return [c.value for t in release.tables for c in t.cells.values() if c.value is not None]


@pytest.mark.parametrize("size", [300, 3000, 20000])
def test_no_suppressed_cell_is_narrowed_below_the_rule_in_one_release(size: int) -> None:
    preview = prepare_release(facts(size, seed=size), AS_OF)
    intervals = attack(preview.release)
    assert intervals, "small cells exist at every size, so something must be suppressed"
    assert too_narrow(intervals) == []
    assert all(v >= THRESHOLD and v % 5 == 0 for v in _published_values(preview.release))


@pytest.mark.parametrize("size", [400, 4000])
def test_two_consecutive_releases_cannot_be_differenced(size: int) -> None:
    data = facts(size, seed=size + 1)
    before = prepare_release(data, PREVIOUS_AS_OF).release
    after = prepare_release(data, AS_OF, before).release
    assert after.previous_as_of == PREVIOUS_AS_OF
    intervals = attack(after, before)
    assert {i.release for i in intervals} == {AS_OF.isoformat(), PREVIOUS_AS_OF.isoformat()}
    assert too_narrow(intervals) == []


def test_the_attacker_breaks_a_table_protected_by_primary_suppression_only() -> None:
    """Oblast rows with a single small count and every other figure published: the
    column total gives the small cell away to the attacker."""
    preview = prepare_release(facts(2000, seed=7), AS_OF)
    release = preview.release
    naive = []
    for table in release.tables:
        raw = preview.raw[table.code]
        cells = {k: PublishedCell(None, CellStatus.SUPPRESSED) if n < THRESHOLD
                 else PublishedCell(5 * ((n + 2) // 5), CellStatus.ROUNDED)
                 for k, n in raw.items()}
        naive.append(dataclasses.replace(table, cells=cells))
    broken = too_narrow(attack(dataclasses.replace(release, tables=tuple(naive))))
    assert broken, "primary suppression alone must leave some cell recoverable"
    assert min(i.width for i in broken) < PROTECTION_WIDTH


def test_a_single_child_in_an_oblast_is_not_published_nor_recoverable() -> None:
    data = facts(1000, seed=3)
    lone = CaseFact(milestones={"reported": dt.date(2024, 5, 2),
                                "returned": dt.date(2025, 1, 9)},
                    oblast="Волинська", age_band="0-4", sex="female",
                    return_channel="envoy")
    preview = prepare_release([*data, lone], AS_OF)
    by_oblast = preview.release.table("by_oblast")
    assert by_oblast.cell("UA-07", "returned").value is None
    assert preview.raw["by_oblast"][("UA-07", "returned")] >= 1
    found = [i for i in attack(preview.release)
             if (i.table, i.row, i.column) == ("by_oblast", "UA-07", "returned")]
    assert found
    assert found[0].width >= PROTECTION_WIDTH


def test_zero_is_suppressed_too_and_suppression_never_says_why() -> None:
    preview = prepare_release(facts(500, seed=5), AS_OF)
    statuses = {c.status for t in preview.release.tables for c in t.cells.values()}
    assert statuses <= {CellStatus.ROUNDED, CellStatus.SUPPRESSED}
    zeros = [(t.code, k) for t in preview.release.tables for k, n in preview.raw[t.code].items()
             if n == 0]
    assert zeros
    assert all(preview.release.table(code).cells[k].value is None for code, k in zeros)
    assert "primary" not in str(preview.release.to_json())


def _went_down(data: list[CaseFact]) -> list[CaseFact]:
    """``data`` after erasures (every fourth case gone) and corrections (every seventh
    case stepped back to reported): many figures are smaller than before."""
    out = []
    for i, fact in enumerate(data):
        if i % 4 == 0:
            continue
        if i % 7 == 0:
            fact = dataclasses.replace(
                fact, milestones={"reported": fact.milestones["reported"]},
                return_channel=None)
        out.append(fact)
    return out


def test_a_release_after_counts_went_down_is_prepared_and_still_protected() -> None:
    data = facts(1500, seed=19)
    before = prepare_release(data, PREVIOUS_AS_OF).release
    after = prepare_release(_went_down(data), AS_OF, before).release
    smaller = [(t.code, k) for t in after.tables for k, c in t.cells.items()
               if c.value is not None
               and (old := before.table(t.code).cells.get(k)) is not None
               and old.value is not None and c.value < old.value]
    assert smaller, "the test must hold published figures that went down"
    intervals = attack(after, before)
    assert {i.release for i in intervals} == {AS_OF.isoformat(), PREVIOUS_AS_OF.isoformat()}
    assert too_narrow(intervals) == []


def test_the_attacker_assumes_growth_unless_the_figures_prove_a_decrease() -> None:
    data = facts(800, seed=23)
    before = prepare_release(data, PREVIOUS_AS_OF).release
    grown = prepare_release(data, AS_OF, before).release
    shrunk = prepare_release(_went_down(data), AS_OF, before).release
    old = published_layer(before, "previous")
    _, _, none = attacker_system([old, published_layer(grown, "current")])
    _, _, some = attacker_system([old, published_layer(shrunk, "current")])
    assert none == pytest.approx(0.0, abs=1e-6)
    assert some > 0
