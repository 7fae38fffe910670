"""The way forward a case takes to a status, read from the workflow's table alone."""

from __future__ import annotations

import itertools

import pytest

from kinlink.domain.cases import CLOSING, TRANSITIONS, CaseStatus, forward_path, transition

S = CaseStatus
FORWARD = (S.REPORTED, S.LOCATED, S.IDENTITY_VERIFIED, S.RETURN_REQUESTED, S.IN_RETURN,
           S.RETURNED, S.REUNITED)
"""The open statuses in the order the table's forward steps take a case through them."""
PAIRS = list(itertools.product(S, S))


def test_the_whole_way_from_the_report_to_reunification() -> None:
    assert forward_path(S.REPORTED, S.REUNITED) == FORWARD[1:]
    assert forward_path(S.IDENTITY_VERIFIED, S.IN_RETURN) == (S.RETURN_REQUESTED,
                                                              S.IN_RETURN)
    assert forward_path(S.RETURN_REQUESTED, S.IN_RETURN) == (S.IN_RETURN,)


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_every_path_is_made_of_forward_steps_of_the_table(current: CaseStatus,
                                                          target: CaseStatus) -> None:
    path = forward_path(current, target)
    if not path:
        return
    assert path[-1] is target
    for source, step in itertools.pairwise((current, *path)):
        rule = transition(source, step)
        assert rule is not None, (source, step)
        assert rule in TRANSITIONS
        assert step not in CLOSING
        assert FORWARD.index(step) == FORWARD.index(source) + 1  # never back, never a jump


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_a_path_exists_exactly_when_the_target_lies_ahead(current: CaseStatus,
                                                          target: CaseStatus) -> None:
    ahead = (current in FORWARD and target in FORWARD
             and FORWARD.index(target) > FORWARD.index(current))
    assert bool(forward_path(current, target)) is ahead


def test_no_way_back_to_a_closing_or_out_of_a_closed_case() -> None:
    assert forward_path(S.IDENTITY_VERIFIED, S.LOCATED) == ()  # a supervisor's step back
    assert forward_path(S.LOCATED, S.LOCATED) == ()
    for closing in CLOSING:
        assert forward_path(S.REPORTED, closing) == ()
        assert forward_path(closing, S.REUNITED) == ()
    assert forward_path(S.REUNITED, S.RETURNED) == ()
