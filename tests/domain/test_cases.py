"""The case workflow: every transition, and every refusal with its reason."""

from __future__ import annotations

import pytest

from kinlink.domain.cases import (
    CLOSING,
    TRANSITIONS,
    CaseStatus,
    EvidenceKind,
    check_transition,
)
from kinlink.domain.users import UserRole
from kinlink.errors import TransitionRefusedError

S, E, R = CaseStatus, EvidenceKind, UserRole

FORWARD = [
    (S.REPORTED, S.LOCATED, R.CASE_WORKER, None),
    (S.LOCATED, S.IDENTITY_VERIFIED, R.CASE_WORKER, E.DNA),
    (S.IDENTITY_VERIFIED, S.RETURN_REQUESTED, R.MEDIATOR_LIAISON, E.CHANNEL_LIST),
    (S.RETURN_REQUESTED, S.IN_RETURN, R.MEDIATOR_LIAISON, E.OFFICIAL_RECORD),
    (S.IN_RETURN, S.RETURNED, R.CASE_WORKER, E.RETURN_RECORD),
    (S.RETURNED, S.REUNITED, R.CASE_WORKER, E.FAMILY_CONFIRMATION),
]


@pytest.mark.parametrize(("source", "target", "role", "evidence"), FORWARD)
def test_each_forward_step_with_its_role_and_evidence(
    source: CaseStatus, target: CaseStatus, role: UserRole, evidence: EvidenceKind | None
) -> None:
    rule = check_transition(source, target, role, evidence, "seen on the list",
                            found_record_linked=True)
    assert (rule.source, rule.target) == (source, target)


@pytest.mark.parametrize(("source", "target", "role", "evidence"), FORWARD)
def test_each_step_refuses_a_viewer_and_a_missing_reason(
    source: CaseStatus, target: CaseStatus, role: UserRole, evidence: EvidenceKind | None
) -> None:
    with pytest.raises(TransitionRefusedError, match="viewer may not move"):
        check_transition(source, target, R.VIEWER, evidence, "x", found_record_linked=True)
    with pytest.raises(TransitionRefusedError, match="needs a reason"):
        check_transition(source, target, role, evidence, "  ", found_record_linked=True)


@pytest.mark.parametrize(("source", "target", "role", "evidence"),
                         [f for f in FORWARD if f[3] is not None])
def test_steps_that_need_evidence_refuse_without_it(
    source: CaseStatus, target: CaseStatus, role: UserRole, evidence: EvidenceKind
) -> None:
    with pytest.raises(TransitionRefusedError, match="needs evidence"):
        check_transition(source, target, role, None, "why", found_record_linked=True)


def test_located_needs_a_linked_found_record() -> None:
    with pytest.raises(TransitionRefusedError, match="no found record linked"):
        check_transition(S.REPORTED, S.LOCATED, R.CASE_WORKER, None, "why",
                         found_record_linked=False)


def test_steps_cannot_be_skipped_and_final_states_stay_final() -> None:
    with pytest.raises(TransitionRefusedError, match="cannot go from reported to returned"):
        check_transition(S.REPORTED, S.RETURNED, R.SUPERVISOR, E.RETURN_RECORD, "why",
                         found_record_linked=True)
    with pytest.raises(TransitionRefusedError, match="from reunited: none"):
        check_transition(S.REUNITED, S.REPORTED, R.SUPERVISOR, None, "why",
                         found_record_linked=True)


@pytest.mark.parametrize("target", CLOSING)
@pytest.mark.parametrize("source", [s for s in CaseStatus if s.is_open])
def test_every_open_case_can_be_closed_by_a_supervisor_with_evidence(
    source: CaseStatus, target: CaseStatus
) -> None:
    check_transition(source, target, R.SUPERVISOR, E.OFFICIAL_RECORD, "turned 18",
                     found_record_linked=False)
    with pytest.raises(TransitionRefusedError):
        check_transition(source, target, R.CASE_WORKER, E.OFFICIAL_RECORD, "turned 18",
                         found_record_linked=False)


def test_only_a_supervisor_steps_back() -> None:
    check_transition(S.LOCATED, S.REPORTED, R.SUPERVISOR, None, "link reversed",
                     found_record_linked=False)
    with pytest.raises(TransitionRefusedError, match="case_worker may not"):
        check_transition(S.LOCATED, S.REPORTED, R.CASE_WORKER, None, "link reversed",
                         found_record_linked=False)


def test_the_table_has_one_rule_per_step() -> None:
    steps = [(t.source, t.target) for t in TRANSITIONS]
    assert len(steps) == len(set(steps))
