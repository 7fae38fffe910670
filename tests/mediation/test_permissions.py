"""Who may take each mediation action is the matrix's word alone: every mediation use case
refuses exactly the roles :func:`~kinlink.domain.permissions.roles_for` leaves out of its
action, and lets every other role past (to whatever the store then says)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.mediation import AnswerAction, ChannelKind, ExportFormat, ListField
from kinlink.domain.permissions import Action, roles_for
from kinlink.domain.users import UserRole
from kinlink.errors import AccessDeniedError, KinlinkError
from kinlink.storage import Store
from kinlink.usecases import answers, channels, lists

NOWHERE = 999_999
"""An id nothing has: an allowed role gets past the check and is told it is not there."""

CALLS: dict[Callable[..., Any], tuple[Action, tuple[Any, ...]]] = {
    channels.create_channel: (Action.MEDIATION_CHANNELS,
                              ("Channel {role}", ChannelKind.NGO, [ListField.NAME_UK])),
    channels.track_channels: (Action.MEDIATION_VIEW, ()),
    channels.track_channel: (Action.MEDIATION_VIEW, (NOWHERE,)),
    lists.list_candidates: (Action.MEDIATION_LISTS, ((CaseStatus.IDENTITY_VERIFIED,),)),
    lists.new_list: (Action.MEDIATION_LISTS, (NOWHERE,)),
    lists.add_to_list: (Action.MEDIATION_LISTS, (NOWHERE, [NOWHERE])),
    lists.remove_from_list: (Action.MEDIATION_LISTS, (NOWHERE, NOWHERE)),
    lists.attach_photo: (Action.MEDIATION_PHOTOS, (NOWHERE, b"\x89PNG\r\n\x1a\n")),
    lists.read_list: (Action.MEDIATION_VIEW, (NOWHERE,)),
    lists.export_list: (Action.MEDIATION_LISTS, (NOWHERE, [ExportFormat.CSV])),
    lists.send_list: (Action.MEDIATION_LISTS, (NOWHERE, 1)),
    lists.hand_over_export: (Action.MEDIATION_LISTS, (NOWHERE, lambda _session: None)),
    answers.import_answers: (Action.MEDIATION_ANSWERS,
                             (NOWHERE, "answer.csv", b"reference,status\nKL-0,found\n")),
    answers.read_reconciliation: (Action.MEDIATION_VIEW, (NOWHERE,)),
    answers.resolve_answer: (Action.MEDIATION_ANSWERS, (NOWHERE, AnswerAction.DISMISS, None,
                                                        "not ours")),
    answers.apply_answers: (Action.MEDIATION_ANSWERS, (NOWHERE,)),
}


def _public(module: ModuleType) -> set[Callable[..., Any]]:
    return {getattr(module, name) for name in module.__all__}


def test_every_mediation_use_case_is_checked() -> None:
    assert _public(channels) | _public(lists) | _public(answers) == set(CALLS)


def _refused(store: Store, use_case: Callable[..., Any], role: UserRole,
             args: tuple[Any, ...]) -> bool:
    actor = Actor(f"someone-{role}", role)
    filled = tuple(a.format(role=role) if isinstance(a, str) else a for a in args)
    try:
        use_case(store, actor, *filled)
    except AccessDeniedError:
        return True
    except KinlinkError:
        return False  # past the check: the list, case or file is not there
    return False


@pytest.mark.parametrize("use_case", list(CALLS), ids=lambda f: f.__name__)
def test_the_roles_allowed_are_the_matrix_roles(store: Store,
                                                use_case: Callable[..., Any]) -> None:
    action, args = CALLS[use_case]
    allowed = {role for role in UserRole if not _refused(store, use_case, role, args)}
    assert allowed == roles_for(action), use_case.__name__
