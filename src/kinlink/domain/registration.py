"""Registering a report or a found child by hand: the intake, the reporter's consent, and
the versions a correction leaves behind. Plain types; the rules live in
:mod:`kinlink.usecases.registration`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from kinlink.domain.records import Role

__all__ = ["LANGUAGES", "ConsentInput", "ConsentView", "DecisionOnVersion", "Intake",
           "IntakeChannel",
           "IntakeView", "RecordVersion", "Registered", "Registration", "VersionSummary",
           "form_title"]

LANGUAGES: tuple[str, ...] = ("uk", "ru", "en", "crh", "other")
"""Languages a reporter may speak with the case worker (codes kept with the reporter)."""


class IntakeChannel(StrEnum):
    """How a report came in."""

    HOTLINE = "hotline"
    VISIT = "visit"
    ONLINE = "online"
    OTHER = "other"


_FORM_WHAT = {Role.SOUGHT: "Report", Role.FOUND: "Found child"}


def form_title(role: Role, channel: IntakeChannel) -> str:
    """The title a registered form's list is kept under, e.g. ``Report (hotline)``.

    An internal label, the same whoever typed the form in and in whatever language (the
    command line and the JSON API show it as it is); the pages show it in the reader's
    language through ``kinlink.web.labels.FORM_TITLES``, keyed by this very string."""
    return f"{_FORM_WHAT[role]} ({channel.value})"


@dataclass(frozen=True)
class Intake:
    """Who took a form, when and by which channel (the signed-in person, now)."""

    channel: IntakeChannel
    taken_by: str
    taken_at: dt.datetime


@dataclass(frozen=True)
class ConsentInput:
    """What the person reporting agreed to: tracing (matching), sharing with the named
    mediation channels (their ids; none: no sharing), being contacted."""

    tracing: bool = True
    channels: tuple[int, ...] = ()
    contact: bool = True


@dataclass(frozen=True)
class Registration:
    """A form as typed: the role (sought: a report; found: a child seen or listed), the
    child's fields and the reporter's (as text, by the form's field names), how it came
    in, the reporter's language and consent (reports only)."""

    role: Role
    fields: dict[str, str]
    channel: IntakeChannel = IntakeChannel.HOTLINE
    language: str | None = None
    consent: ConsentInput = field(default_factory=ConsentInput)


@dataclass(frozen=True)
class Registered:
    """What registering did: the new source and record, the pairs linking found, and
    the case opened (for a report, when one was)."""

    source_id: int
    record_pk: int
    pairs: int
    cases_opened: int
    matched: bool

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (ids and counts only)."""
        return {"source_id": self.source_id, "record_pk": self.record_pk,
                "pairs": self.pairs, "cases_opened": self.cases_opened,
                "matched": self.matched}


@dataclass(frozen=True)
class ConsentView:
    """The consent kept with a report, and its withdrawal if it was withdrawn."""

    tracing: bool
    sharing: bool
    channels: tuple[int, ...]
    contact: bool
    recorded_by: str
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None = None
    withdrawn_by: str | None = None
    withdrawn_reason: str | None = None

    @property
    def withdrawn(self) -> bool:
        """Whether the consent was withdrawn."""
        return self.withdrawn_at is not None

    @property
    def may_match(self) -> bool:
        """Whether the report may be matched (consent to tracing, not withdrawn)."""
        return self.tracing and not self.withdrawn


@dataclass(frozen=True)
class IntakeView:
    """How a form came in, as stored."""

    channel: str
    taken_by: str
    taken_at: dt.datetime
    language: str | None


@dataclass(frozen=True)
class VersionSummary:
    """An earlier version of a record: its number and the correction that replaced it."""

    version: int
    changed_by: str
    changed_at: dt.datetime
    reason: str


@dataclass(frozen=True)
class RecordVersion:
    """One version of a record's fields (as the form shows them)."""

    version: int
    fields: dict[str, str]
    replaced: VersionSummary | None = None
    """The correction that replaced it (``None``: the current version)."""


@dataclass(frozen=True)
class DecisionOnVersion:
    """A person's decision about a pair the record is in, and the versions of the two
    records it was made on (``None``: decided before records had versions)."""

    other_pk: int
    verdict: str
    actor: str
    decided_at: dt.datetime
    version: int | None
    other_version: int | None
