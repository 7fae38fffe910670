"""What a list says of each child: every field it may carry, cut down to the channel's,
the list as its channel receives it, and the cases a list may be built from.

What was sent stays what was sent: once a list is sent its children's values are read
from the record kept then, never again from the cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kinlink.domain.cases import CaseStatus
from kinlink.domain.mediation import Channel, ListChild, ListField, MediationList, list_number
from kinlink.domain.mediation_cases import CaseChild, CaseReader
from kinlink.mediation.channels import get_channel
from kinlink.mediation.lists import get_list
from kinlink.names.forms import name_forms
from kinlink.storage import Session
from kinlink.storage.mediation import MediationRepository

__all__ = ["Candidate", "ListView", "ListedChild", "candidates", "child_values",
           "list_view", "listed_children", "listed_values"]


def child_values(case: CaseChild) -> dict[ListField, str]:
    """Every field a list can carry, for one case (the channel's cut comes later)."""
    sought = case.sought
    forms = name_forms(sought.given_name, sought.surname, sought.patronymic,
                       sought.full_name, sought.sex)
    found = case.found
    latest = found[-1] if found else None
    values: dict[ListField, str | None] = {
        ListField.NAME_UK: forms.uk,
        ListField.NAME_RU: forms.ru,
        ListField.NAME_LATIN: forms.latin,
        ListField.NAME_LATIN_RU: forms.latin_ru,
        ListField.SEX: sought.sex,  # M or F, as the importer keeps it
        ListField.BIRTH_DATE: sought.birth.isoformat() if sought.birth else None,
        ListField.BIRTH_PLACE: sought.birth_place,
        ListField.LAST_KNOWN_PLACE: (latest.last_known_place if latest and
                                     latest.last_known_place else sought.last_known_place),
        ListField.REMOVAL_DATE: sought.event.isoformat() if sought.event else None,
        ListField.FOUND_AS: "; ".join(dict.fromkeys(r.display_name for r in found)) or None,
        ListField.REMOTE_MATCH: "; ".join(case.remote) or None,
        ListField.FAMILY_REQUEST: sought.notes,
    }
    return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class ListedChild:
    """A child on a list as the channel receives it: the reference and the channel's
    fields only (``case_id`` and ``id``, the entry's, stay in kinlink)."""

    id: int
    reference: str
    case_id: int
    values: dict[ListField, str]


def listed_values(listed: MediationList, case: CaseChild) -> dict[ListField, str]:
    """What ``listed`` says of ``case`` now: its values cut down to the list's fields."""
    return {k: v for k, v in child_values(case).items() if k in listed.fields}


def listed_children(session: Session, listed: MediationList,
                    read_case: CaseReader) -> list[ListedChild]:
    """The children of a list with what the list says of each: as it was sent, or, on a
    draft, as their cases say now, cut down to the list's fields."""
    return [ListedChild(child.id, child.reference, child.case_id,
                        _values(listed, child, read_case))
            for child in MediationRepository(session).children(listed.id)]


def _values(listed: MediationList, child: ListChild,
            read_case: CaseReader) -> dict[ListField, str]:
    if child.sent_values is not None:
        return dict(child.sent_values)
    return listed_values(listed, read_case(child.case_id))


@dataclass(frozen=True)
class ListView:
    """A list with its children as the channel would receive them."""

    list: MediationList
    channel: Channel
    children: tuple[ListedChild, ...]
    exports: int

    @property
    def number(self) -> str:
        """The list's number."""
        return self.list.number

    @property
    def columns(self) -> tuple[ListField, ...]:
        """The table columns this list carries."""
        return self.list.columns


def list_view(session: Session, list_id: int, read_case: CaseReader) -> ListView:
    """A list and its children, minimised to the channel's fields (not audited: the
    caller audits the read)."""
    listed = get_list(session, list_id)
    return ListView(listed, get_channel(session, listed.channel_id),
                    tuple(listed_children(session, listed, read_case)),
                    MediationRepository(session).count_exports(listed.id))


@dataclass(frozen=True)
class Candidate:
    """A case that may go on a list, with what an officer needs to choose it: the
    child's name, birth date and place, and the lists it is already on."""

    case_id: int
    status: CaseStatus
    name: str
    birth_date: str | None
    birth_place: str | None
    on_lists: tuple[str, ...]


def _wanted(case: CaseChild, born_from: int | None, born_to: int | None,
            place: str | None) -> bool:
    year = case.sought.birth.year if case.sought.birth else None
    if born_from is not None and (year is None or year < born_from):
        return False
    if born_to is not None and (year is None or year > born_to):
        return False
    if not place:
        return True
    places = " ".join(p for r in case.records for p in (r.birth_place, r.last_known_place)
                      if p)
    return place.casefold().strip() in places.casefold()


def candidates(session: Session, read_case: CaseReader, statuses: Sequence[CaseStatus],
               *, born_from: int | None = None, born_to: int | None = None,
               place: str | None = None, limit: int = 1000,
               agency_id: int | None = None) -> list[Candidate]:
    """Cases in ``statuses`` that ``agency_id`` sees (every one for ``None``), oldest
    first, born from/to those years and with a place (of birth, or last known, on any of
    the child's records) containing ``place``; each with the agency's lists it is on
    already (not audited: the caller audits the read)."""
    repo = MediationRepository(session)
    ids = sorted({c for status in statuses
                  for c in repo.case_ids(status, limit, agency_id=agency_id)})
    on_lists = repo.lists_of_cases(ids, agency_id=agency_id)
    found: list[Candidate] = []
    for case_id in ids:
        case = read_case(case_id)
        if not _wanted(case, born_from, born_to, place):
            continue
        birth = case.sought.birth
        found.append(Candidate(case_id, case.status, case.sought.display_name,
                               birth.isoformat() if birth else None, case.sought.birth_place,
                               tuple(list_number(n) for n in on_lists.get(case_id, ()))))
        if len(found) >= limit:
            break
    return found
