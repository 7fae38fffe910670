"""Records, sources and the people who report children: plain types and enums.

A *record* is one row about one child as one source saw it. Its raw row is kept
verbatim beside the fields parsed from it. The person who reported a child
(:class:`Reporter`) is kept apart from the child's record so that access to their
contact details can be restricted separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kinlink.domain.dates import PartialDate
from kinlink.i18n import N_, Wording

__all__ = ["ParsedRecord", "RecordView", "Reporter", "Role", "Sex", "SourceKind", "parse_sex"]


class Role(StrEnum):
    """Why a record exists: a child someone is looking for, or a child seen somewhere."""

    SOUGHT = "sought"
    FOUND = "found"


class Sex(StrEnum):
    """Sex as a list states it; unknown is ``None`` on the record, not a member."""

    MALE = "M"
    FEMALE = "F"


class SourceKind(StrEnum):
    """What kind of list or form a source is. The kind suggests the default role."""

    LIST = "list"
    FAMILY_REPORTS = "family_reports"
    FORM = "form"
    ADOPTION_REGISTRY = "adoption_registry"
    CAMP_LIST = "camp_list"
    INSTITUTION_LIST = "institution_list"
    MEDIATOR_LIST = "mediator_list"
    MEDIA = "media"

    @property
    def default_role(self) -> Role:
        """Family reports and forms describe sought children; every other list found ones."""
        if self in (SourceKind.FAMILY_REPORTS, SourceKind.FORM):
            return Role.SOUGHT
        return Role.FOUND


_MALE_WORDS = ("m", "male", "boy", "ч", "чол", "чоловіча", "чоловічий", "хлопчик", "м", "муж",
               "мужской", "мальчик")
_FEMALE_WORDS = ("f", "female", "girl", "ж", "жін", "жіноча", "жіночий", "дівчинка", "жен",
                 "женский", "девочка")
_SEX_WORDS: dict[str, Sex] = dict.fromkeys(_MALE_WORDS, Sex.MALE) | dict.fromkeys(
    _FEMALE_WORDS, Sex.FEMALE)


NOT_A_SEX = Wording("sex.unreadable", N_("not a sex value (use M/F, male/female, ч/ж or м/ж)"))


def parse_sex(text: str) -> Sex | None:
    """Read a sex value in English, Ukrainian or Russian; blank means unknown.

    Raises :class:`ValueError` for a value that names neither.
    """
    value = text.strip().casefold().rstrip(".")
    if not value:
        return None
    try:
        return _SEX_WORDS[value]
    except KeyError:
        raise ValueError(NOT_A_SEX()) from None


@dataclass(frozen=True)
class Reporter:
    """The person who reported a child: name, relationship to the child, contact."""

    name: str | None = None
    relationship: str | None = None
    contact: str | None = None

    def is_empty(self) -> bool:
        """True when the row named no reporter at all."""
        return not (self.name or self.relationship or self.contact)


@dataclass(frozen=True)
class ParsedRecord:
    """The fields kinlink understood in one row. Unparseable fields are ``None``."""

    record_id: str
    given_name: str | None = None
    surname: str | None = None
    patronymic: str | None = None
    full_name: str | None = None
    sex: Sex | None = None
    birth_date: PartialDate | None = None
    birth_place: str | None = None
    last_known_place: str | None = None
    event_date: PartialDate | None = None
    source_text: str | None = None
    notes: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    reporter: Reporter = field(default_factory=Reporter)
    institution: str | None = None
    """The institution the child was in (a report: taken from; a found list: is in or
    came from), as written."""
    moved_on: PartialDate | None = None
    """When the child was moved from, or arrived at, that institution or place."""
    group: str | None = None
    """The source's identifier of children moved or listed together (a transport, an
    intake, a family); meaningful only within that source."""
    siblings_count: int | None = None
    """How many brothers and sisters the source says the child has."""

    def has_name(self) -> bool:
        """A record needs a given name, a surname or a full name."""
        return bool(self.given_name or self.surname or self.full_name)


@dataclass(frozen=True)
class RecordView:
    """A stored record's parsed fields, as review, children, cases and linkage read them
    (the raw row, its reporter and its issues are the record page's: see
    :class:`kinlink.search.records.RecordDetail`). Dates are kept as their three parts,
    the way they are stored; :attr:`birth` and :attr:`event` give them with their
    precision."""

    id: int
    source_id: int
    record_id: str
    line: int
    role: Role
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: Sex | None
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    birth_place: str | None
    last_known_place: str | None
    event_year: int | None
    event_month: int | None
    event_day: int | None
    notes: str | None
    institution: str | None = None
    moved_year: int | None = None
    moved_month: int | None = None
    moved_day: int | None = None
    group: str | None = None
    siblings_count: int | None = None

    @property
    def birth(self) -> PartialDate | None:
        """The birth date with its precision, or ``None``."""
        return PartialDate.from_parts(self.birth_year, self.birth_month, self.birth_day)

    @property
    def event(self) -> PartialDate | None:
        """The event date (when the child was seen or taken) with its precision."""
        return PartialDate.from_parts(self.event_year, self.event_month, self.event_day)

    @property
    def moved(self) -> PartialDate | None:
        """When the child was moved from or arrived at :attr:`institution`, or ``None``."""
        return PartialDate.from_parts(self.moved_year, self.moved_month, self.moved_day)

    @property
    def display_name(self) -> str:
        """Surname, given name, patronymic as written, or the full name."""
        parts = (self.surname, self.given_name, self.patronymic)
        return " ".join(p for p in parts if p) or self.full_name or ""
