"""Compare two names part by part, and say why, in words a case worker understands.

Each part (given name, surname, patronymic) gets a similarity between 0 and 1 and a
reason ("same name, Russian form", "diminutive of Олександр", "different names"). The
overall verdict is ``same`` only when given name and surname both agree, ``different``
when either clearly disagrees (brother and sister, two siblings, two children with one
given name and different surnames), and ``unsure`` in between. Names alone never prove
identity: linkage weighs this verdict with dates, places and sex.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import JaroWinkler

from kinlink.names.equivalence import Match, Relation, given_name, lookup_given, wikidata_groups
from kinlink.names.keys import latin_skeleton, loose_key, loosen, surname_key
from kinlink.names.normalise import fold, normalise
from kinlink.names.parse import NameParts, parse_full_name
from kinlink.names.patronymic import patronymic_key
from kinlink.names.scripts import Script, detect
from kinlink.names.typos import is_one_slip

__all__ = ["NameComparison", "PartComparison", "Verdict", "compare_names"]

_WEIGHTS = {"given name": 0.4, "surname": 0.45, "patronymic": 0.15}


class Verdict(StrEnum):
    """Whether two names are the same person's, by the names alone."""

    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


@dataclass(frozen=True)
class PartComparison:
    """One part compared: the two forms, a similarity in [0, 1] and the reason."""

    part: str
    a: str
    b: str
    similarity: float
    reason: str


@dataclass(frozen=True)
class NameComparison:
    """All parts compared, the verdict and an overall score in [0, 1]."""

    parts: tuple[PartComparison, ...]
    verdict: Verdict
    score: float

    def part(self, name: str) -> PartComparison | None:
        """The comparison of one part (``given name``, ``surname``, ``patronymic``)."""
        return next((p for p in self.parts if p.part == name), None)


def _jaro_winkler(a: str, b: str) -> float:
    return float(JaroWinkler.similarity(a, b))


def _gendered_pair(a: str, b: str) -> bool:
    """Олександр / Олександра, Віталій / Віталія: one name, male and female form."""
    short, long_ = sorted((latin_skeleton(a), latin_skeleton(b)), key=len)
    return bool(short) and long_ in (short + "a", short + "ia", short[:-1] + "ia")


def _script_words(a: str, b: str) -> str:
    scripts = {detect(a).script, detect(b).script}
    if Script.LATIN in scripts and len(scripts) > 1:
        return "same spelling, once in Latin letters"
    if Script.LATIN in scripts:
        return "same spelling, another transliteration"
    if fold(a) != fold(b):
        return "same spelling, Ukrainian and Russian letters"
    return "same spelling"


def _diminutive_reason(a: str, b: str, ids_a: dict[str, Relation], ids_b: dict[str, Relation],
                       name_id: str) -> tuple[float, str]:
    """Scores for pairs where at least one side is a diminutive."""
    ambiguous = len(ids_a) > 1 or len(ids_b) > 1
    both = ids_a[name_id] is Relation.DIMINUTIVE and ids_b[name_id] is Relation.DIMINUTIVE
    if both:
        if ambiguous:
            return 0.75, f"{a} and {b} are both diminutives that can stand for several names"
        return 0.85, f"{a} and {b} are both diminutives of {name_id}"
    short, names = (a, ids_a) if ids_a[name_id] is Relation.DIMINUTIVE else (b, ids_b)
    if len(names) > 1:
        return 0.75, f"{short} is a diminutive of {' or '.join(sorted(names))}"
    return 0.85, f"{short} is a diminutive of {name_id}"


def _known_given(a: str, b: str, ma: tuple[Match, ...], mb: tuple[Match, ...]) -> tuple[float, str]:
    ids_a = {m.name_id: m.relation for m in ma}
    ids_b = {m.name_id: m.relation for m in mb}
    if _gendered_pair(a, b):
        return 0.05, "different names (for a boy and for a girl)"
    common = sorted(ids_a.keys() & ids_b.keys())
    if not common:
        if {given_name(i).sex for i in ids_a} != {given_name(i).sex for i in ids_b}:
            return 0.05, "different names (for a boy and for a girl)"
        return 0.0, "different names"
    name_id = common[0]
    relations = {ids_a[name_id], ids_b[name_id]}
    if Relation.DIMINUTIVE in relations:
        return _diminutive_reason(a, b, ids_a, ids_b, name_id)
    if latin_skeleton(a) == latin_skeleton(b):
        return 1.0, _script_words(a, b)
    if relations == {Relation.UKRAINIAN, Relation.RUSSIAN}:
        russian = a if ids_a[name_id] is Relation.RUSSIAN else b
        if detect(russian).script is Script.UKRAINIAN:
            return 0.75, (f"{russian} is the Russian form of {name_id}, but written in "
                          f"Ukrainian it is also a name of its own")
        return 0.95, f"same name, Ukrainian and Russian forms of {name_id}"
    return 0.95, f"same name ({name_id}), another spelling"


def _compare_given(a: str, b: str) -> tuple[float, str]:
    if fold(a) == fold(b):
        return 1.0, "same name"
    ma, mb = lookup_given(a), lookup_given(b)
    if ma and mb:
        return _known_given(a, b, ma, mb)
    if latin_skeleton(a) == latin_skeleton(b):
        return 1.0, _script_words(a, b)
    if _gendered_pair(a, b):
        return 0.05, "different names (for a boy and for a girl)"
    if loose_key(a) == loose_key(b):
        return 0.85, "same name, Ukrainian and Russian letter correspondence (і/и/е)"
    groups_a, groups_b = wikidata_groups(a), wikidata_groups(b)
    if groups_a & groups_b:
        return 0.85, "same name according to Wikidata's name groups"
    if _slip(a, b):
        return 0.7, "similar spelling (possibly a typo)"
    return 0.1, "different names"


def _slip(a: str, b: str) -> bool:
    """One typing or reading slip apart, in the same script (or on the skeletons)."""
    same_script = (detect(a).script is Script.LATIN) == (detect(b).script is Script.LATIN)
    if same_script:
        return is_one_slip(normalise(a), normalise(b))
    return is_one_slip(latin_skeleton(a), latin_skeleton(b))


def _compare_surname(a: str, b: str) -> tuple[float, str]:
    if fold(a) == fold(b):
        return 1.0, "same surname"
    if latin_skeleton(a) == latin_skeleton(b):
        return 1.0, _script_words(a, b).replace("spelling", "surname")
    key_a, key_b = surname_key(a), surname_key(b)
    if key_a == key_b:
        return 0.95, "same surname, male and female forms"
    if loosen(key_a) == loosen(key_b):
        return 0.9, "same surname, Ukrainian and Russian letter shift (і/и/е)"
    if _slip(a, b):
        return 0.8, "similar surname (possibly a typo)"
    return round(0.4 * _jaro_winkler(key_a, key_b), 3), "different surnames"


def _compare_patronymic(a: str, b: str) -> tuple[float, str]:
    key_a, key_b = patronymic_key(a), patronymic_key(b)
    if key_a is not None and key_a == key_b:
        if fold(a) == fold(b):
            return 1.0, "same patronymic"
        return 1.0, f"same father's name ({key_a}), another form"
    similarity = _jaro_winkler(latin_skeleton(a), latin_skeleton(b))
    return round(0.3 * similarity, 3), "different father's names"


_COMPARERS = (
    ("given name", "given", _compare_given),
    ("surname", "surname", _compare_surname),
    ("patronymic", "patronymic", _compare_patronymic),
)


def _verdict(parts: dict[str, PartComparison]) -> Verdict:
    given, surname = parts.get("given name"), parts.get("surname")
    patronymic = parts.get("patronymic")
    if (given and given.similarity <= 0.3) or (surname and surname.similarity < 0.6):
        return Verdict.DIFFERENT
    if (given and surname and given.similarity >= 0.85 and surname.similarity >= 0.9
            and (patronymic is None or patronymic.similarity >= 0.8)):
        return Verdict.SAME
    return Verdict.UNSURE


def _as_parts(name: str | NameParts) -> NameParts:
    return parse_full_name(name) if isinstance(name, str) else name


def compare_names(a: str | NameParts, b: str | NameParts) -> NameComparison:
    """Compare two names (full-name strings are parsed first), part by part."""
    left, right = _as_parts(a), _as_parts(b)
    parts: dict[str, PartComparison] = {}
    for label, attribute, compare in _COMPARERS:
        value_a, value_b = getattr(left, attribute), getattr(right, attribute)
        if value_a and value_b:
            similarity, reason = compare(value_a, value_b)
            parts[label] = PartComparison(label, value_a, value_b, similarity, reason)
    verdict = _verdict(parts)
    total = sum(_WEIGHTS[p] for p in parts)
    score = sum(_WEIGHTS[p] * c.similarity for p, c in parts.items()) / total if total else 0.0
    if verdict is Verdict.DIFFERENT:
        score *= 0.5
    return NameComparison(tuple(parts.values()), verdict, round(score, 3))
