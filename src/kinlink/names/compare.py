"""Compare two names part by part, and say why, in words a case worker understands.

Each part (given name, surname, patronymic) gets a similarity between 0 and 1 and a
reason ("same name, Russian form", "diminutive of Олександр", DIFFERENT_NAMES()). The
overall verdict is ``same`` only when given name and surname both agree, ``different``
when either clearly disagrees (brother and sister, two siblings, two children with one
given name and different surnames), and ``unsure`` in between. Names alone never prove
identity: linkage weighs this verdict with dates, places and sex.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import JaroWinkler

from kinlink.i18n import N_, Wording
from kinlink.names.equivalence import Match, Relation, given_name, lookup_given, wikidata_groups
from kinlink.names.keys import latin_skeleton, loose_key, loosen, surname_key
from kinlink.names.normalise import fold, normalise
from kinlink.names.parse import NameParts, parse_full_name
from kinlink.names.patronymic import patronymic_key
from kinlink.names.scripts import Script, detect
from kinlink.names.typos import is_one_slip

__all__ = ["PARTS", "NameComparison", "PartComparison", "Verdict", "compare_names"]

NAME_SPELLINGS = (
    Wording("name.latin", N_("same spelling, once in Latin letters")),
    Wording("name.transliteration", N_("same spelling, another transliteration")),
    Wording("name.letters", N_("same spelling, Ukrainian and Russian letters")),
    Wording("name.spelling", N_("same spelling")),
)
SURNAME_SPELLINGS = (
    Wording("surname.latin", N_("same surname, once in Latin letters")),
    Wording("surname.transliteration", N_("same surname, another transliteration")),
    Wording("surname.letters", N_("same surname, Ukrainian and Russian letters")),
    Wording("surname.spelling", N_("same surname")),
)
"""How two spellings of one name (or surname) differ: other script, other
transliteration, Ukrainian and Russian letters, or not at all."""
BOTH_DIMINUTIVES_OF_SEVERAL = Wording("name.diminutives_of_several", N_(
    "{a} and {b} are both diminutives that can stand for several names"))
BOTH_DIMINUTIVES = Wording("name.diminutives", N_("{a} and {b} are both diminutives of {name}"))
DIMINUTIVE_OF_SEVERAL = Wording("name.diminutive_of_several",
                                N_("{short} is a diminutive of one of {names}"))
DIMINUTIVE = Wording("name.diminutive", N_("{short} is a diminutive of {name}"))
BOY_AND_GIRL = Wording("name.boy_and_girl", N_("different names (for a boy and for a girl)"))
RUSSIAN_FORM_OR_OWN = Wording("name.russian_or_own", N_(
    "{russian} is the Russian form of {name}, but written in Ukrainian it is also a name "
    "of its own"))
UKRAINIAN_AND_RUSSIAN = Wording("name.ukrainian_and_russian",
                                N_("same name, Ukrainian and Russian forms of {name}"))
ANOTHER_SPELLING = Wording("name.another_spelling", N_("same name ({name}), another spelling"))
DIFFERENT_NAMES = Wording("name.different", N_("different names"))
SAME_NAME = Wording("name.same", N_("same name"))
LETTER_CORRESPONDENCE = Wording("name.letter_correspondence", N_(
    "same name, Ukrainian and Russian letter correspondence (і/и/е)"))
WIKIDATA_GROUP = Wording("name.wikidata", N_("same name according to Wikidata's name groups"))
SIMILAR_NAME = Wording("name.similar", N_("similar spelling (possibly a typo)"))
SAME_SURNAME = SURNAME_SPELLINGS[3]
SURNAME_GENDERED = Wording("surname.gendered", N_("same surname, male and female forms"))
SURNAME_LETTER_SHIFT = Wording("surname.letter_shift", N_(
    "same surname, Ukrainian and Russian letter shift (і/и/е)"))
SIMILAR_SURNAME = Wording("surname.similar", N_("similar surname (possibly a typo)"))
DIFFERENT_SURNAMES = Wording("surname.different", N_("different surnames"))
SAME_PATRONYMIC = Wording("patronymic.same", N_("same patronymic"))
FATHERS_NAME_OTHER_FORM = Wording("patronymic.other_form",
                                  N_("same father's name ({name}), another form"))
DIFFERENT_PATRONYMICS = Wording("patronymic.different", N_("different father's names"))

_WEIGHTS = {N_("given name"): 0.4, N_("surname"): 0.45, N_("patronymic"): 0.15}
PARTS = tuple(_WEIGHTS)
"""The parts of a name compared, by the names :attr:`PartComparison.part` gives them."""


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
    """Why, in words (a :class:`~kinlink.i18n.Message`: English, said in the reader's
    language on a page)."""


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


def _script_words(a: str, b: str,
                  words: tuple[Wording, ...] | None = None) -> str:
    words = words or NAME_SPELLINGS
    scripts = {detect(a).script, detect(b).script}
    if Script.LATIN in scripts and len(scripts) > 1:
        return words[0]()
    if Script.LATIN in scripts:
        return words[1]()
    if fold(a) != fold(b):
        return words[2]()
    return words[3]()


def _diminutive_reason(a: str, b: str, ids_a: dict[str, Relation], ids_b: dict[str, Relation],
                       name_id: str) -> tuple[float, str]:
    """Scores for pairs where at least one side is a diminutive."""
    ambiguous = len(ids_a) > 1 or len(ids_b) > 1
    both = ids_a[name_id] is Relation.DIMINUTIVE and ids_b[name_id] is Relation.DIMINUTIVE
    if both:
        if ambiguous:
            return 0.75, BOTH_DIMINUTIVES_OF_SEVERAL(a=a, b=b)
        return 0.85, BOTH_DIMINUTIVES(a=a, b=b, name=name_id)
    short, names = (a, ids_a) if ids_a[name_id] is Relation.DIMINUTIVE else (b, ids_b)
    if len(names) > 1:
        return 0.75, DIMINUTIVE_OF_SEVERAL(short=short, names=tuple(sorted(names)))
    return 0.85, DIMINUTIVE(short=short, name=name_id)


def _known_given(a: str, b: str, ma: tuple[Match, ...], mb: tuple[Match, ...]) -> tuple[float, str]:
    ids_a = {m.name_id: m.relation for m in ma}
    ids_b = {m.name_id: m.relation for m in mb}
    if _gendered_pair(a, b):
        return 0.05, BOY_AND_GIRL()
    common = sorted(ids_a.keys() & ids_b.keys())
    if not common:
        if {given_name(i).sex for i in ids_a} != {given_name(i).sex for i in ids_b}:
            return 0.05, BOY_AND_GIRL()
        return 0.0, DIFFERENT_NAMES()
    name_id = common[0]
    relations = {ids_a[name_id], ids_b[name_id]}
    if Relation.DIMINUTIVE in relations:
        return _diminutive_reason(a, b, ids_a, ids_b, name_id)
    if latin_skeleton(a) == latin_skeleton(b):
        return 1.0, _script_words(a, b)
    if relations == {Relation.UKRAINIAN, Relation.RUSSIAN}:
        russian = a if ids_a[name_id] is Relation.RUSSIAN else b
        if detect(russian).script is Script.UKRAINIAN:
            return 0.75, RUSSIAN_FORM_OR_OWN(russian=russian, name=name_id)
        return 0.95, UKRAINIAN_AND_RUSSIAN(name=name_id)
    return 0.95, ANOTHER_SPELLING(name=name_id)


def _compare_given(a: str, b: str) -> tuple[float, str]:
    if fold(a) == fold(b):
        return 1.0, SAME_NAME()
    ma, mb = lookup_given(a), lookup_given(b)
    if ma and mb:
        return _known_given(a, b, ma, mb)
    if latin_skeleton(a) == latin_skeleton(b):
        return 1.0, _script_words(a, b)
    if _gendered_pair(a, b):
        return 0.05, BOY_AND_GIRL()
    if loose_key(a) == loose_key(b):
        return 0.85, LETTER_CORRESPONDENCE()
    groups_a, groups_b = wikidata_groups(a), wikidata_groups(b)
    if groups_a & groups_b:
        return 0.85, WIKIDATA_GROUP()
    if _slip(a, b):
        return 0.7, SIMILAR_NAME()
    return 0.1, DIFFERENT_NAMES()


def _slip(a: str, b: str) -> bool:
    """One typing or reading slip apart, in the same script (or on the skeletons)."""
    same_script = (detect(a).script is Script.LATIN) == (detect(b).script is Script.LATIN)
    if same_script:
        return is_one_slip(normalise(a), normalise(b))
    return is_one_slip(latin_skeleton(a), latin_skeleton(b))


def _compare_surname(a: str, b: str) -> tuple[float, str]:
    if fold(a) == fold(b):
        return 1.0, SAME_SURNAME()
    if latin_skeleton(a) == latin_skeleton(b):
        return 1.0, _script_words(a, b, SURNAME_SPELLINGS)
    key_a, key_b = surname_key(a), surname_key(b)
    if key_a == key_b:
        return 0.95, SURNAME_GENDERED()
    if loosen(key_a) == loosen(key_b):
        return 0.9, SURNAME_LETTER_SHIFT()
    if _slip(a, b):
        return 0.8, SIMILAR_SURNAME()
    return round(0.4 * _jaro_winkler(key_a, key_b), 3), DIFFERENT_SURNAMES()


def _compare_patronymic(a: str, b: str) -> tuple[float, str]:
    key_a, key_b = patronymic_key(a), patronymic_key(b)
    if key_a is not None and key_a == key_b:
        if fold(a) == fold(b):
            return 1.0, SAME_PATRONYMIC()
        return 1.0, FATHERS_NAME_OTHER_FORM(name=key_a)
    similarity = _jaro_winkler(latin_skeleton(a), latin_skeleton(b))
    return round(0.3 * similarity, 3), DIFFERENT_PATRONYMICS()


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
