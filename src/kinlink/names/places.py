"""One key per place, whatever language, script or era named it.

A family writes ``м. Бахмут, Донецька обл.``, a Russian registry ``г. Артёмовск`` (the
Soviet name Russian paperwork still uses), a camp list ``Bakhmut``: :func:`place_key`
gives all three the same key. Known settlements come from ``data/places.csv``
(Ukrainian, Russian, Latin and old names); the key of a known settlement is the
:func:`~kinlink.names.keys.latin_skeleton` of its Latin name, so an unknown spelling
that happens to reduce to the same skeleton lands on the same key.

Around the name, lists add settlement prefixes (``г.``, ``м.``, ``с.``, ``смт``,
``пгт``), the oblast or region (``, Херсонська обл.``), the country (``РФ``,
``Russia``) and sometimes an institution (``Детский дом № 5, г. Москва``). These are
stripped. A place that is not in the table falls back to the loose key of its
settlement part (the skeleton with the vowels Ukrainian and Russian spell differently
merged, :func:`~kinlink.names.keys.loosen`, and о with them: Ukrainian writes і where
Russian keeps о, Музиківка ~ Музыковка) without its final vowels, where the two
languages' adjective endings differ (Сніжне ~ Снежное, Кремінна ~ Кременная), so the
Ukrainian and Russian spellings of an unknown town still usually meet.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache, lru_cache
from importlib import resources

from kinlink.names.keys import latin_skeleton, loosen
from kinlink.names.normalise import fold

__all__ = ["known_place", "place_key", "place_name"]

_PREFIX = re.compile(
    r"^(?:г|м|с|смт|пгт|с-ще|сел|село|місто|город|пос|посёлок|селище|village|city"
    r"|town|city of)\.?\s+"
)
# Segments naming a region, a country or a district rather than a settlement.
_REGION = re.compile(
    r"(?:обл\b|область|oblast|region|район|р-н|raion|district|\bкрай\b|республик|республік"
    r"|^(?:рф|россия|росія|russia|russian federation|україна|украина|ukraine|крим|крым"
    r"|crimea|ар крим|ар крым)$)"
)
# Segments naming an institution: a number sign or digits, or words for homes and schools.
_INSTITUTION = re.compile(r"[№#\d]|дом|будинок|інтернат|интернат|школа|центр|срцн|camp|лагер")
_SEPARATORS = re.compile(r"[,;()]+")


@cache
def _table() -> dict[str, str]:
    """Skeletons of every known name of every known place → the place's key."""
    text = resources.files("kinlink.names").joinpath("data", "places.csv").read_text(
        encoding="utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = latin_skeleton(row["latin"])
        for column in ("uk", "ru", "latin", "ru_old"):
            if row[column]:
                table.setdefault(latin_skeleton(row[column]), key)
    return table


@cache
def _names() -> dict[str, str]:
    """Key → the place's Ukrainian name, for explanations."""
    text = resources.files("kinlink.names").joinpath("data", "places.csv").read_text(
        encoding="utf-8")
    return {latin_skeleton(row["latin"]): row["uk"] for row in csv.DictReader(io.StringIO(text))}


def _segments(text: str) -> list[str]:
    """Comma-separated parts, folded, without settlement prefixes, regions or countries."""
    parts = []
    for raw in _SEPARATORS.split(fold(text)):
        part = _PREFIX.sub("", raw.strip().replace("’", "'")).strip(" .")
        if part and not _REGION.search(part):
            parts.append(part)
    return parts


@lru_cache(maxsize=100_000)
def place_key(text: str | None) -> str | None:
    """The key of the settlement ``text`` names, or ``None`` when it names none.

    Known places (in any of their names) get their table key; otherwise the loose key
    of the first part that is not an institution, or of the first part at all.
    """
    if not text:
        return None
    segments = _segments(text)
    table = _table()
    for segment in segments:
        key = table.get(latin_skeleton(segment))
        if key is not None:
            return key
    settlements = [s for s in segments if not _INSTITUTION.search(s)]
    for segment in settlements or segments:
        skeleton = latin_skeleton(segment)
        if skeleton:
            return loosen(skeleton).replace("o", "i").rstrip("aeiu") or skeleton
    return None


def known_place(skeleton: str) -> str | None:
    """The key of the known settlement one of whose names has this
    :func:`~kinlink.names.keys.latin_skeleton`, or ``None``."""
    return _table().get(skeleton)


def place_name(key: str) -> str | None:
    """The Ukrainian name of a known place's key (``None`` for an unknown place)."""
    return _names().get(key)
