"""What public statistics are counted from: one fact per case, with nothing that names it.

A :class:`CaseFact` is all the statistics ever see of a case: the dates it first reached
each milestone, the oblast the child was taken from, an age band at removal, sex and how
the child came back. No name, no id, no exact date of birth: the use case that builds the
facts from the store drops everything else before this package sees it, so nothing here
can leak what it never had.

The categories are fixed lists, not whatever the data holds: a row that appears only when
a child exists ("Oleshky: fewer than 10") would itself say that there is at least one
child from there. Every release has every oblast, age band, sex, channel and month row,
whatever the counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from kinlink.i18n import N_

__all__ = [
    "AGE_BANDS", "MILESTONES", "MILESTONE_LABELS", "OBLASTS", "RETURN_CHANNELS", "SEXES",
    "UNKNOWN", "CaseFact", "oblast_code",
]

UNKNOWN = "unknown"
"""The row for a fact whose category is not known."""

MILESTONES: tuple[str, ...] = (
    "reported", "located", "identity_verified", "return_requested", "returned", "reunited",
)
"""The milestones a case can reach, in the order a case usually reaches them."""

MILESTONE_LABELS: Mapping[str, str] = {
    "reported": N_("reported"),
    "located": N_("located"),
    "identity_verified": N_("identity verified"),
    "return_requested": N_("return requested"),
    "returned": N_("returned"),
    "reunited": N_("reunited with family"),
}

AGE_BANDS: tuple[str, ...] = ("0-4", "5-9", "10-13", "14-17", "adult_now", UNKNOWN)
"""Age at removal; ``adult_now``: a child then, 18 or older by the release's date."""

SEXES: tuple[str, ...] = ("female", "male", UNKNOWN)

RETURN_CHANNELS: tuple[str, ...] = (
    "state_mediator", "international_organisation", "envoy", "ngo", "family", "other",
    UNKNOWN,
)
"""How a child came back: through a mediation channel of one of the kinds of
:class:`kinlink.domain.mediation.ChannelKind`, brought back by the family itself, some
other way, or not known. A code outside this list is counted as ``other``."""

OBLASTS: Mapping[str, tuple[str, str]] = {
    # ISO 3166-2:UA code -> (Ukrainian name, English name)
    "UA-05": ("Вінницька", N_("Vinnytsia oblast")),
    "UA-07": ("Волинська", N_("Volyn oblast")),
    "UA-09": ("Луганська", N_("Luhansk oblast")),
    "UA-12": ("Дніпропетровська", N_("Dnipropetrovsk oblast")),
    "UA-14": ("Донецька", N_("Donetsk oblast")),
    "UA-18": ("Житомирська", N_("Zhytomyr oblast")),
    "UA-21": ("Закарпатська", N_("Zakarpattia oblast")),
    "UA-23": ("Запорізька", N_("Zaporizhzhia oblast")),
    "UA-26": ("Івано-Франківська", N_("Ivano-Frankivsk oblast")),
    "UA-30": ("Київ", N_("Kyiv city")),
    "UA-32": ("Київська", N_("Kyiv oblast")),
    "UA-35": ("Кіровоградська", N_("Kirovohrad oblast")),
    "UA-40": ("Севастополь", N_("Sevastopol city")),
    "UA-43": ("Автономна Республіка Крим", N_("Autonomous Republic of Crimea")),
    "UA-46": ("Львівська", N_("Lviv oblast")),
    "UA-48": ("Миколаївська", N_("Mykolaiv oblast")),
    "UA-51": ("Одеська", N_("Odesa oblast")),
    "UA-53": ("Полтавська", N_("Poltava oblast")),
    "UA-56": ("Рівненська", N_("Rivne oblast")),
    "UA-59": ("Сумська", N_("Sumy oblast")),
    "UA-61": ("Тернопільська", N_("Ternopil oblast")),
    "UA-63": ("Харківська", N_("Kharkiv oblast")),
    "UA-65": ("Херсонська", N_("Kherson oblast")),
    "UA-68": ("Хмельницька", N_("Khmelnytskyi oblast")),
    "UA-71": ("Черкаська", N_("Cherkasy oblast")),
    "UA-74": ("Чернігівська", N_("Chernihiv oblast")),
    "UA-77": ("Чернівецька", N_("Chernivtsi oblast")),
}
"""Ukraine's regions (24 oblasts, Crimea, Kyiv and Sevastopol) by ISO 3166-2:UA code."""


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("’", "'").replace("область", "").split())


_BY_NAME = {_key(uk): code for code, (uk, _) in OBLASTS.items()}
_BY_NAME.update({_key(code): code for code in OBLASTS})
_BY_NAME.update({"крим": "UA-43", "ар крим": "UA-43", "м. київ": "UA-30",
                 "м. севастополь": "UA-40", "місто київ": "UA-30"})


def oblast_code(value: str | None) -> str:
    """The ISO code of an oblast given as a code or a Ukrainian name ("Херсонська",
    "Херсонська область", "UA-65"); :data:`UNKNOWN` for ``None`` or a name not in
    :data:`OBLASTS` (never a new row: see the module's docstring)."""
    if value is None:
        return UNKNOWN
    return _BY_NAME.get(_key(value), UNKNOWN)


@dataclass(frozen=True)
class CaseFact:
    """One case, as statistics see it (cases, never records; no names, no ids).

    ``milestones``: milestone code (:data:`MILESTONES`) -> the date the case first reached
    it; a milestone not reached is absent. ``oblast``: the oblast of origin, an ISO code
    or Ukrainian name (:func:`oblast_code`), ``None`` when unknown. ``age_band``: one of
    :data:`AGE_BANDS` (age at removal). ``sex``: ``"female"``, ``"male"`` or ``None``.
    ``return_channel``: one of :data:`RETURN_CHANNELS`, ``None`` if not returned or not
    known.
    """

    milestones: Mapping[str, dt.date] = field(default_factory=dict)
    oblast: str | None = None
    age_band: str = UNKNOWN
    sex: str | None = None
    return_channel: str | None = None

    def reached(self, milestone: str, as_of: dt.date) -> dt.date | None:
        """The date the case reached ``milestone`` if it did by ``as_of``, else ``None``."""
        when = self.milestones.get(milestone)
        return when if when is not None and when <= as_of else None
