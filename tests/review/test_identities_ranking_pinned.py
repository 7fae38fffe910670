"""The possible identities of reported children on a fixed store, pinned (SQLite and
PostgreSQL): making the identities page fast (issue 15) must not change what it lists.

The store is the demo world of 500 children (seed 7: families' reports, the adoption
registry, a camp list and an institution list) with every seventh birth date blanked
(lists from the field lack them), imported and linked by the real matcher. For every
sixth reported child — with a birth date or without one — the
candidates (by list and ``record_id``, so the ids a backend gives do not matter), their
order, their weights (to six places), the reasons each is listed, how many records were
compared and how many listed are what the code gave before the page was made faster
(``data/identities_pinned.json``; rewrite it only for a change of the ranking itself,
with ``KINLINK_PIN_IDENTITIES=1``, and say why in the commit)."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kinlink.demo.generator import DemoConfig, generate
from kinlink.domain.access import Actor
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.storage import Store
from kinlink.storage.tables import RecordRow, SourceRow
from kinlink.usecases.children import possible_identities

PINNED = Path(__file__).parent / "data" / "identities_pinned.json"
SUPERVISOR = Actor("pin", UserRole.SUPERVISOR)
EVERY = 6
"""Every sixth reported child is ranked (about 60, some without a birth date)."""
BLANKED = 7
"""Every seventh row of each list loses its birth date."""

pytestmark = pytest.mark.slow


def _blank_dates(path: Path) -> None:
    """Every :data:`BLANKED`-th row of the list at ``path`` without its birth date."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("birth_date")
    for index, row in enumerate(rows[1:]):
        if index % BLANKED == 3:
            row[column] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _rankings(store: Store, folder: Path) -> dict[str, Any]:
    """The demo world imported and linked into ``store``; each chosen reported child's
    ranked candidates, keyed by its list and ``record_id``."""
    for item in generate(folder, DemoConfig(children=500, seed=7)):
        _blank_dates(item.path)
        import_file(store, ImportRequest(path=item.path, imported_by="tester",
                                         kind=SourceKind(item.kind), role=Role(item.role)))
    match_store(store, actor="tester")
    with store.transaction() as session:
        rows = session.execute(select(RecordRow.id, RecordRow.record_id, RecordRow.role,
                                      SourceRow.original_filename)
                               .join(SourceRow, SourceRow.id == RecordRow.source_id)
                               .order_by(RecordRow.id)).all()
    name = {pk: f"{filename}:{record_id}" for pk, record_id, _role, filename in rows}
    reported = [pk for pk, _record_id, role, _filename in rows if role == "sought"]
    found: dict[str, Any] = {}
    for pk in reported[::EVERY]:
        ranked = possible_identities(store, SUPERVISOR, pk)
        found[name[pk]] = {
            "considered": ranked.considered, "listed": ranked.listed,
            "candidates": [[name[c.record.id], round(c.weight, 6),
                            [r.code for r in c.listed_for]] for c in ranked.candidates]}
    return found


def test_the_ranking_of_possible_identities_is_unchanged(store: Store,
                                                          tmp_path: Path) -> None:
    found = _rankings(store, tmp_path / "demo")
    if os.environ.get("KINLINK_PIN_IDENTITIES") == "1":
        PINNED.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert found.keys() == pinned.keys()
    for child, expected in pinned.items():
        assert found[child] == expected, child
    listed = [c for v in pinned.values() for c in v["candidates"]]
    assert len(listed) > 500
    assert {"born_near", "no_date", "no_child_date"} <= {c[2][0] for c in listed}
    assert any("sibling_gap" in c[2] for c in listed)
