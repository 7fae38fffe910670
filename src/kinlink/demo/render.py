"""How each kind of list writes a child: one function per list kind.

Every renderer takes a :class:`~kinlink.demo.people.Child` and the shared random
generator and returns one row as a dict of list-format columns (``record_id`` is
added by the caller). The habits modelled are those of names.md §7: Ukrainian
families write Ukrainian forms, Russian registries Russify names and may replace them,
camp rosters use Russian passport transliterations, institutions type Russian
Cyrillic with look-alike Latin letters and typos. Children moved in a group
(:class:`~kinlink.demo.people.Move`) are reported with the institution they left and the
day; arrival lists and registry profiles give the institution in Russia, the day of
arrival and the group's number there (adding no draw from the shared generator, so the
rest of every row is as before).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cache
from typing import Literal

from kinlink.demo import corruptions as bad
from kinlink.demo.morph import patronymic_ru, patronymic_uk
from kinlink.demo.people import Child, Family, Reporter
from kinlink.demo.resources import Place, Sex
from kinlink.names.translit import System, transliterate

MOVE_COLUMNS = ("institution", "moved_on", "group", "siblings_count")
LIST_COLUMNS = ("record_id", "given_name", "surname", "patronymic", "full_name", "sex",
                "birth_date", "birth_place", "last_known_place", "event_date", "source",
                "notes", *MOVE_COLUMNS)  # fmt: skip
REPORTER_COLUMNS = ("reporter_name", "reporter_relationship", "reporter_contact")

FAMILY_COLUMNS = ("record_id", "surname", "given_name", "patronymic", "sex", "birth_date",
                  "birth_place", "last_known_place", "event_date", "source", "notes",
                  "institution", "moved_on", *REPORTER_COLUMNS)  # fmt: skip
ADOPTION_COLUMNS = ("record_id", "full_name", "sex", "birth_date", "birth_place",
                    "last_known_place", "event_date", "source", "notes",
                    *MOVE_COLUMNS)  # fmt: skip
CAMP_COLUMNS = ("record_id", "full_name", "sex", "birth_date", "last_known_place",
                "event_date", "source", "notes")  # fmt: skip
INSTITUTION_COLUMNS = ("record_id", "surname", "given_name", "patronymic", "sex",
                       "birth_date", "birth_place", "last_known_place", "event_date",
                       "source", "notes", "institution", "moved_on", "group")  # fmt: skip

LATEST_EVENT = date(2025, 12, 31)

Row = dict[str, str]

_CAMP_SYSTEMS = (System.RU_ICAO_9303, System.RU_MVD_310, System.RU_GOST_52535,
                 System.RU_WIKIPEDIA, System.RU_BGN_PCGN, System.RU_MVD_310_FR)  # fmt: skip
_CAMP_SYSTEM_WEIGHTS = (55, 15, 10, 10, 5, 5)
_UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐʼ'’")


@cache
def latin(text: str, system: System) -> str:
    """Transliterate with a cache: the same few thousand names recur across rows."""
    return transliterate(text, system)


# -- small formatting helpers --------------------------------------------------------


def dmy(day: date, sep: str = ".") -> str:
    """``DD.MM.YYYY`` (or with another separator)."""
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"


def month_year(day: date) -> str:
    """``MM.YYYY``: the month is known, the day is not."""
    return f"{day.month:02d}.{day.year}"


def _later(day: date, rng: random.Random, low: int, high: int) -> date:
    """A date ``low`` to ``high`` days after ``day``, never after :data:`LATEST_EVENT`.

    The window is cut at :data:`LATEST_EVENT` before drawing, so late removals do not
    pile up on that one date.
    """
    first = min(day + timedelta(days=low), LATEST_EVENT)
    last = min(day + timedelta(days=high), LATEST_EVENT)
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _oblast_short(oblast: str) -> str:
    """``Херсонська область`` → ``Херсонська обл.``; Crimea → ``АР Крим``/``АР Крым``."""
    if oblast.startswith("Автономн"):
        return "АР Крим" if oblast.endswith("Крим") else "АР Крым"
    return oblast.replace(" область", " обл.")


def place_uk(place: Place, rng: random.Random) -> str:
    """A Ukrainian place as a Ukrainian writes it, sometimes with the oblast."""
    roll = rng.random()
    if roll < 0.5:
        return f"{place.uk}, {_oblast_short(place.oblast_uk)}"
    if roll < 0.7:
        return f"м. {place.uk}"
    return place.uk


def place_ru(place: Place, rng: random.Random, old_name_share: float = 0.6) -> str:
    """A Ukrainian place as Russian paperwork writes it, often under its Soviet name."""
    name = place.ru_old if place.ru_old and rng.random() < old_name_share else place.ru
    if rng.random() < 0.3:
        name = bad.drop_yo(name)
    roll = rng.random()
    if roll < 0.5:
        return f"{name}, {_oblast_short(place.oblast_ru)}"
    if roll < 0.7:
        return f"г. {name}"
    return name


# -- family reports ------------------------------------------------------------------

_NOTES_UK: tuple[tuple[str, str], ...] = (
    ("вивезений до РФ", "вивезена до РФ"),
    ("поїхав до табору «на оздоровлення», не повернувся",
     "поїхала до табору «на оздоровлення», не повернулася"),
    ("зв'язок втрачено", "зв'язок втрачено"),
    ("є фото та свідоцтво про народження", "є фото та свідоцтво про народження"),
    ("бачили у списках у соцмережах", "бачили у списках у соцмережах"),
)  # fmt: skip


_SOURCES_UK = ("гаряча лінія (демо)", "онлайн-форма (демо)", "заява до поліції (демо)",
               "служба у справах дітей (демо)")  # fmt: skip

# Destinations in occupied Crimea: Ukrainians do not write "Russia" after them.
_CRIMEA = frozenset(("Евпатория", "Ялта", "Алушта"))

_INSTITUTION_NOTE = ("був в інтернаті, вивезений під час окупації",
                     "була в інтернаті, вивезена під час окупації")  # fmt: skip


def _sex_uk(sex: Sex, rng: random.Random, latin_row: bool) -> str:
    """Sex as a Ukrainian form writes it: ``ч``/``ж``, or ``M``/``F``, or blank."""
    roll = rng.random()
    if roll < 0.1:
        return ""
    if latin_row or roll < 0.25:
        return "M" if sex == "m" else "F"
    return "ч" if sex == "m" else "ж"


def _reported_birth(child: Child, rng: random.Random, unsure: bool) -> str:
    """The birth date as a relative remembers it: usually exact, sometimes partial."""
    roll = rng.random()
    partial = 0.25 if unsure else 0.1
    if roll < partial / 2:
        return str(child.birth_date.year)
    if roll < partial:
        return month_year(child.birth_date)
    return dmy(child.birth_date)


def _family_note(child: Child, family: Family, rng: random.Random) -> str:
    """A short note in Ukrainian; siblings and twins are mentioned as such."""
    if family.shape == "twins" and rng.random() < 0.6:
        return "близнюки, вивезені разом"
    if len(family.children) > 1 and rng.random() < 0.5:
        others = [c for c in family.children if c.child_id != child.child_id]
        brother = any(c.sex == "m" for c in others)
        return "разом з братом" if brother else "разом із сестрою"
    if rng.random() < 0.35:
        return ""
    if child.from_institution and rng.random() < 0.5:
        masculine, feminine = _INSTITUTION_NOTE
    else:
        masculine, feminine = rng.choice(_NOTES_UK)
    return masculine if child.sex == "m" else feminine


def _last_known_uk(child: Child, rng: random.Random, system: System | None) -> str:
    """Where the family last knew the child to be; in Latin when ``system`` is given."""
    roll = rng.random()
    if not child.from_institution and 0.55 <= roll < 0.8:
        there = child.destination
        crimea = there.ru in _CRIMEA
        if system:
            return f"{there.latin}, {'Crimea' if crimea else 'Russia'}"
        return f"{there.ru}, {'Крим' if crimea else 'РФ'}"
    if child.from_institution:
        kind = rng.choice(("дитячий будинок", "школа-інтернат", "будинок дитини"))
        text = f"{kind} № {child.institution_no}, м. {child.removal_place.uk}"
    elif roll < 0.55:
        text = place_uk(child.removal_place, rng)
    else:
        return ""
    return latin(text, system) if system else text


def family_report(child: Child, family: Family, reporter: Reporter, rng: random.Random) -> Row:
    """A report by a relative or institution in Ukraine: Ukrainian forms, ~10% Latin."""
    sex = child.sex
    given = child.given.uk
    surname = child.surname.uk(sex)
    patronymic = patronymic_uk(child.father.uk, sex) if rng.random() < 0.55 else ""
    if rng.random() < 0.1:
        surname = surname.upper()
    latin_row = rng.random() < 0.1
    system = None
    reporter_name = reporter.name
    if latin_row:
        system = System.KMU_2010 if rng.random() < 0.7 else System.UA_PASSPORT_2007
        given, surname, patronymic, reporter_name = (
            latin(part, system) for part in (given, surname, patronymic, reporter_name)
        )
    else:
        surname = bad.vary_apostrophe(surname, rng)
    unsure = child.from_institution or reporter.relationship not in ("мати", "батько")
    event = child.removal_date
    move = child.move if child.move is not None and child.move.on_report else None
    origin = move.origin if move is not None else ""
    return {
        "surname": surname,
        "given_name": given,
        "patronymic": patronymic,
        "sex": _sex_uk(sex, rng, latin_row),
        "birth_date": _reported_birth(child, rng, unsure),
        "birth_place": child.birth_place.latin if latin_row else place_uk(child.birth_place, rng),
        "last_known_place": _last_known_uk(child, rng, system),
        "event_date": dmy(event) if rng.random() < 0.85 else month_year(event),
        "source": rng.choice(_SOURCES_UK),
        "notes": _family_note(child, family, rng),
        "reporter_name": reporter_name,
        "reporter_relationship": reporter.relationship,
        "reporter_contact": reporter.contact,
        "institution": latin(origin, system) if system and origin else origin,
        "moved_on": dmy(move.departure) if move is not None else "",
    }


# -- arrivals in Russia --------------------------------------------------------------


def _arrival(child: Child, list_kind: Literal["arrival", "registry"]) -> Row:
    """Where a child moved in a group arrived, when, and the list's number for the group
    (an arrival list's and a registry's differ); an arrival list that names where the
    group came from gives that institution, and perhaps the day it left. Nothing for a
    child moved alone."""
    move = child.move
    if move is None:
        return {}
    if list_kind == "arrival" and move.names_origin:
        left_on = dmy(move.departure) if move.origin_dated else ""
        return {"institution": move.origin_ru, "moved_on": left_on,
                "group": move.arrival_group}
    group = move.arrival_group if list_kind == "arrival" else move.registry_group
    return {"institution": move.destination, "moved_on": dmy(move.arrival), "group": group}


# -- adoption registry ------------------------------------------------------------------


def _registry_name(child: Child, rng: random.Random) -> str:
    """``ФАМИЛИЯ Имя Отчество`` in Russian forms, or the adoptive identity."""
    sex = child.sex
    adoption = child.adoption
    if adoption is not None:
        surname = adoption.surname.ru(sex)
        given = adoption.given_ru or child.given.ru
        patronymic = patronymic_ru(adoption.father_ru, sex)
    else:
        surname = child.surname.ru(sex) if rng.random() < 0.8 else child.surname.uk(sex)
        given = child.given.ru if rng.random() < 0.9 else child.given.uk
        patronymic = patronymic_ru(child.father.ru, sex) if rng.random() < 0.9 else ""
    if rng.random() < 0.4:
        given, patronymic = bad.drop_yo(given), bad.drop_yo(patronymic)
    return " ".join(part for part in (surname.upper(), given, patronymic) if part)


def _registry_birth(child: Child, rng: random.Random) -> date:
    """Birth date as registered: shifted on adoption, and now and then day/month swapped."""
    born = child.birth_date
    if child.adoption is not None and child.adoption.shift_days:
        born += timedelta(days=child.adoption.shift_days)
    if rng.random() < 0.05:
        born = bad.swap_day_month(born) or born
    return born


def adoption_entry(child: Child, rng: random.Random) -> Row:
    """An entry of a Russian adoption/guardianship databank."""
    adoption = child.adoption
    if adoption is not None and adoption.birth_place_ru:
        birth_place = f"г. {adoption.birth_place_ru}"
    else:
        birth_place = place_ru(child.birth_place, rng)
    if adoption is not None:
        note = "усыновление"
    else:
        note = rng.choice(("опека", "предварительная опека", "приёмная семья"))
    return {
        "full_name": _registry_name(child, rng),
        "sex": ("м" if child.sex == "m" else "ж") if rng.random() < 0.9 else "",
        "birth_date": _registry_birth(child, rng).isoformat(),
        "birth_place": birth_place,
        "last_known_place": f"г. {child.destination.ru}",
        "event_date": _later(child.removal_date, rng, 60, 700).isoformat(),
        "source": "региональный банк данных о детях (демо)",
        "notes": note,
        "siblings_count": str(child.siblings),
        **_arrival(child, "registry"),
    }


# -- camp rosters ------------------------------------------------------------------------


def _camp_given(child: Child, system: System, rng: random.Random) -> str:
    """The given name on a camp roster: a passport transliteration, a habit, a diminutive."""
    roll = rng.random()
    if roll < 0.12:
        russian_looking = [d for d in child.given.diminutives if not set(d) & _UKRAINIAN_ONLY]
        if russian_looking:
            return latin(rng.choice(russian_looking), system)
    if roll < 0.27:
        # Any known Latin spelling (Alexander, Olexandr, Julia) except German ones.
        spellings = [v for v in child.given.latin if "w" not in v.lower()]
        return rng.choice(spellings or child.given.latin)
    return latin(child.given.ru, system)


def camp_entry(child: Child, rng: random.Random) -> Row:
    """A line of a camp roster in Latin letters."""
    system = rng.choices(_CAMP_SYSTEMS, _CAMP_SYSTEM_WEIGHTS)[0]
    given = _camp_given(child, system, rng)
    if rng.random() < 0.88:
        surname = latin(child.surname.ru(child.sex), system)
    else:
        surname = latin(child.surname.uk(child.sex), System.KMU_2010)
    full_name = f"{given} {surname}" if rng.random() < 0.6 else f"{surname.upper()} {given}"
    born = child.birth_date
    arrival = _later(child.removal_date, rng, 0, 60)
    return {
        "full_name": full_name,
        "sex": ("male" if child.sex == "m" else "female") if rng.random() < 0.8 else "",
        "birth_date": dmy(born, "/") if rng.random() < 0.8 else str(born.year),
        "last_known_place": child.destination.latin,
        "event_date": dmy(arrival, "/") if rng.random() < 0.7 else "",
        "source": "camp roster (demo)",
        "notes": f"group from {child.removal_place.latin}" if rng.random() < 0.2 else "",
    }


# -- institution lists -----------------------------------------------------------------


def _damage(word: str, rng: random.Random, lookalike: bool, typo: bool) -> str:
    """Apply the chosen institution-list corruptions to one word."""
    if typo:
        word = bad.typo(word, rng)
    if lookalike:
        word = bad.add_lookalike(word, rng)
    return word


def institution_entry(child: Child, rng: random.Random) -> Row:
    """A line of a Russian children's institution list, typed by hand."""
    sex = child.sex
    given = child.given.ru if rng.random() < 0.75 else child.given.uk
    surname = child.surname.ru(sex) if rng.random() < 0.7 else child.surname.uk(sex)
    roll = rng.random()
    if roll < 0.7:
        patronymic = patronymic_ru(child.father.ru, sex)
    elif roll < 0.8:
        patronymic = patronymic_uk(child.father.uk, sex)
    else:
        patronymic = ""
    if rng.random() < 0.5:
        given, surname, patronymic = (bad.drop_yo(w) for w in (given, surname, patronymic))
    in_surname = rng.random() < 0.6
    lookalike, typo = rng.random() < 0.1, rng.random() < 0.08
    surname = _damage(surname, rng, lookalike and in_surname, typo and in_surname)
    given = _damage(given, rng, lookalike and not in_surname, typo and not in_surname)
    born = child.birth_date
    if rng.random() < 0.03:
        born = bad.swap_day_month(born) or born
    home = rng.choice(("Детский дом № {n}", "СРЦН № {n}", "Центр содействия семейному "
                       "воспитанию № {n}")).format(n=child.institution_no)  # fmt: skip
    return {
        "surname": surname,
        "given_name": given,
        "patronymic": patronymic,
        "sex": "м" if sex == "m" else "ж",
        "birth_date": dmy(born),
        "birth_place": place_ru(child.birth_place, rng) if rng.random() < 0.7 else "",
        "last_known_place": f"{home}, г. {child.destination.ru}",
        "event_date": dmy(_later(child.removal_date, rng, 0, 200)),
        "source": "список учреждения (демо)",
        "notes": f"прибыл{'' if sex == 'm' else 'а'} с группой детей" if rng.random() < 0.2 else "",
        **_arrival(child, "arrival"),
    }
