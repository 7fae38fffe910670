"""The audit actions are a closed, documented set."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import func, select

from kinlink.audit import MEANINGS, AuditAction, AuditEvent, append_event
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow

DOC = Path(__file__).parents[2] / "docs" / "audit.md"


def test_every_action_has_a_meaning_of_one_line() -> None:
    assert set(MEANINGS) == set(AuditAction)
    for action, meaning in MEANINGS.items():
        assert meaning.strip(), action
        assert "\n" not in meaning, action


def test_docs_list_every_action_with_its_meaning_and_no_other() -> None:
    rows = re.findall(r"^\| `([a-z_.]+)` \| (.+) \|$", DOC.read_text(encoding="utf-8"), re.M)
    assert dict(rows) == {action.value: meaning for action, meaning in MEANINGS.items()}


def test_an_undeclared_action_is_refused_and_nothing_is_written(store: Store) -> None:
    undeclared = cast(Any, "record.peeked")
    with pytest.raises(TypeError, match="not declared"), store.transaction() as session:
        append_event(session, AuditEvent("tester", undeclared, "record", "1"))
    with store.transaction() as session:
        count = select(func.count()).select_from(AuditEventRow)
        assert session.execute(count).scalar_one() == 0
