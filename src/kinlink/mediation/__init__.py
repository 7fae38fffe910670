"""Mediation: channels, the lists of children a liaison officer sends through them, their
encrypted files, and the answers that come back.

The round trip: a supervisor defines a channel and what it may receive
(:mod:`~kinlink.mediation.channels`); a list is built from verified cases
(:mod:`~kinlink.mediation.lists`, :mod:`~kinlink.mediation.contents`), exported encrypted
and sent (:mod:`~kinlink.mediation.sending`; the files are written by
:mod:`~kinlink.mediation.exports` and :mod:`~kinlink.mediation.pdf` and wrapped by
:mod:`~kinlink.encryption`); the other side's answer is read
(:mod:`~kinlink.mediation.answers`), reconciled (:mod:`~kinlink.mediation.reconcile`,
:mod:`~kinlink.mediation.placing`), settled by a person
(:mod:`~kinlink.mediation.answering`) and applied (:mod:`~kinlink.mediation.applying`);
channels are followed in :mod:`~kinlink.mediation.tracking`.

Functions work in the session a use case gives them and audit each change in it. They
check no permission and neither read nor move cases: the use case reads cases through
the case service and hands them over (:mod:`kinlink.domain.mediation_cases`), and makes
the moves a sent list or an answer calls for through the case workflow.
"""

from kinlink.mediation.answering import (
    AnswerSummary,
    AnswerUpload,
    ListAnswers,
    Missing,
    import_answers,
    list_answers,
    read_upload,
    resolve_answer,
)
from kinlink.mediation.applying import (
    AnswerPlan,
    AppliedAnswer,
    plan_answer,
    ready_answers,
    record_applied,
    record_applying,
)
from kinlink.mediation.channels import all_channels, create_channel, get_channel
from kinlink.mediation.contents import Candidate, ListedChild, ListView, candidates, list_view
from kinlink.mediation.lists import (
    Added,
    AttachedPhoto,
    add_children,
    attach_photo,
    new_list,
    remove_child,
)
from kinlink.mediation.sending import ExportResult, SendResult, Stayed, export_list, send_list
from kinlink.mediation.tracking import ChannelSummary, ChannelTrack, ListTrack, Waiting, track

__all__ = [
    "Added",
    "AnswerPlan",
    "AnswerSummary",
    "AnswerUpload",
    "AppliedAnswer",
    "AttachedPhoto",
    "Candidate",
    "ChannelSummary",
    "ChannelTrack",
    "ExportResult",
    "ListAnswers",
    "ListTrack",
    "ListView",
    "ListedChild",
    "Missing",
    "SendResult",
    "Stayed",
    "Waiting",
    "add_children",
    "all_channels",
    "attach_photo",
    "candidates",
    "create_channel",
    "export_list",
    "get_channel",
    "import_answers",
    "list_answers",
    "list_view",
    "new_list",
    "plan_answer",
    "read_upload",
    "ready_answers",
    "record_applied",
    "record_applying",
    "remove_child",
    "resolve_answer",
    "send_list",
    "track",
]
