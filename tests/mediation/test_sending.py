"""Sending a list moves its verified cases through the workflow in the same transaction:
the list is sent with its cases, or, if one case cannot move, not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import kinlink.cases
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.mediation import ChannelKind, ExportFormat, ListField, ListStatus
from kinlink.domain.users import UserRole
from kinlink.errors import ConflictError
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import advance_case, list_cases, read_case
from kinlink.usecases.channels import create_channel
from kinlink.usecases.lists import add_to_list, export_list, new_list, read_list, send_list
from mediationcases import verified_cases

SUPERVISOR = Actor("maria", UserRole.SUPERVISOR)
LIAISON = Actor("taras", UserRole.MEDIATOR_LIAISON)


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> tuple[int, dict[str, int]]:
    """An exported draft list of six verified cases, one of them (R6) stepped back to
    ``located`` by a supervisor: the list's id, and record id → case id."""
    verified = verified_cases(store, tmp_path)
    advance_case(store, SUPERVISOR, verified["R6"], 3, CaseStatus.LOCATED, "certificate doubted")
    channel = create_channel(store, SUPERVISOR, "Qatar mediation", ChannelKind.STATE_MEDIATOR,
                             [ListField.NAME_UK, ListField.BIRTH_DATE])
    listed = new_list(store, LIAISON, channel.id).list
    add_to_list(store, LIAISON, listed.id, verified.values())
    export_list(store, LIAISON, listed.id, [ExportFormat.CSV])
    return listed.id, verified


def _statuses(store: Store) -> dict[int, CaseStatus]:
    return {c.id: CaseStatus(c.status) for c in list_cases(store, SUPERVISOR)}


def _actions(store: Store) -> list[str]:
    """The changes audited so far (reads left out)."""
    with store.transaction() as session:
        return [a for a in session.execute(select(AuditEventRow.action)).scalars()
                if a in ("case.advanced", "list.sent")]


def test_sending_moves_the_verified_cases_with_the_list_as_evidence(
        store: Store, exported: tuple[int, dict[str, int]]) -> None:
    list_id, verified = exported
    version = read_list(store, LIAISON, list_id).list.version
    sent = send_list(store, LIAISON, list_id, version)
    assert sorted(sent.moved) == sorted(c for r, c in verified.items() if r != "R6")
    assert [(s.case_id, s.reason) for s in sent.stayed] == [(verified["R6"],
                                                             "the case is located")]
    statuses = _statuses(store)
    assert {statuses[c] for r, c in verified.items() if r != "R6"} == {
        CaseStatus.RETURN_REQUESTED}
    assert statuses[verified["R6"]] is CaseStatus.LOCATED
    step = read_case(store, SUPERVISOR, verified["R1"]).history[-1]
    assert (step.to_status, step.evidence_kind) == (CaseStatus.RETURN_REQUESTED,
                                                    EvidenceKind.CHANNEL_LIST)
    assert step.evidence_ref is not None
    assert step.evidence_ref.startswith(sent.list_number)
    assert read_list(store, LIAISON, list_id).list.status is ListStatus.SENT
    assert _actions(store).count("case.advanced") == 2 * 6 + 1 + 5  # verified, R6 back, sent


def test_a_case_that_cannot_move_leaves_the_list_unsent_and_no_case_moved(
        store: Store, exported: tuple[int, dict[str, int]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    list_id, _ = exported
    before = read_list(store, LIAISON, list_id)
    statuses, actions = _statuses(store), _actions(store)
    real = kinlink.cases.advance
    calls: list[int] = []

    def second_refused(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[2])
        if len(calls) == 2:
            raise ConflictError(f"case {args[2]} was changed by someone else; reload it")
        return real(*args, **kwargs)

    advance: Callable[..., Any] = second_refused
    monkeypatch.setattr(kinlink.cases, "advance", advance)
    with pytest.raises(ConflictError, match="changed by someone else"):
        send_list(store, LIAISON, list_id, before.list.version)
    assert len(calls) == 2  # the first case was moved, in the transaction rolled back
    assert _statuses(store) == statuses
    assert _actions(store) == actions  # neither list.sent nor case.advanced
    after = read_list(store, LIAISON, list_id)
    assert (after.list.status, after.list.version) == (ListStatus.DRAFT, before.list.version)

    monkeypatch.setattr(kinlink.cases, "advance", real)
    sent = send_list(store, LIAISON, list_id, before.list.version)
    assert len(sent.moved) == 5
