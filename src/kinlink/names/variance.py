"""How one written form of a name part differs from another, as a short kind with a code.

Search shows, beside each record found, how its name differs from the one typed:
"Russian form", "Latin, passport 2007", "one letter differs", "diminutive". The
similarity and its sentence come from :func:`kinlink.names.compare_names` (what the
linkage model and ``kinlink names explain`` show); this module names the *kind* of the
difference with a stable code (:class:`Kind`), which a page translates, from the same
name tables: given-name equivalence (:func:`~kinlink.names.lookup_given`), the
transliteration systems of documents (:class:`~kinlink.names.System`), the keys of
surnames (:func:`~kinlink.names.surname_key`).

A form differs from another by one or more kinds at once: ``Aleksandr`` against the
typed ``Олександр`` is the Russian form, in Latin letters under the Russian passport
table of 1997 (:class:`Variance` ``(RUSSIAN_FORM, LATIN)`` with that system).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from kinlink.names.equivalence import Relation, given_name, lookup_given
from kinlink.names.keys import latin_skeleton, loosen, surname_key
from kinlink.names.normalise import normalise
from kinlink.names.scripts import Script, detect
from kinlink.names.translit import System, transliterate

__all__ = ["Kind", "Variance", "part_variance", "same_spelling"]


class Kind(StrEnum):
    """One kind of difference between two written forms of a name part."""

    SAME = "same"
    """The same spelling (case and apostrophes aside)."""
    LETTERS = "letters"
    """The same name in Ukrainian and in Russian letters (і/и, є/е)."""
    LATIN = "latin"
    """Written in Latin letters (the system, when one gives it, in ``system``)."""
    RUSSIAN_FORM = "russian_form"
    """One is the Russian form of the other's Ukrainian name (Александр and Олександр,
    whichever was typed)."""
    DIMINUTIVE = "diminutive"
    """A diminutive of the typed name, or the full name of a typed diminutive."""
    GENDER_FORM = "gender_form"
    """The male or female form of the same surname (Петренко/Петренка aside: -ий/-а)."""
    LETTER_SHIFT = "letter_shift"
    """A vowel written otherwise between Ukrainian and Russian (і/и/е)."""
    ONE_LETTER = "one_letter"
    """One letter differs, is missing or is added."""
    SPELLING = "spelling"
    """Another spelling the model still counts as similar."""
    DIFFERENT = "different"
    """Another name."""


@dataclass(frozen=True)
class Variance:
    """The kinds of difference of one part (given name, surname, patronymic) as found
    against the form typed, and the transliteration system of a Latin form when one
    system writes it exactly so."""

    part: str
    typed: str
    found: str
    kinds: tuple[Kind, ...]
    system: System | None = None

    @property
    def exact(self) -> bool:
        """Whether the part is written as typed."""
        return self.kinds == (Kind.SAME,)


def same_spelling(a: str, b: str) -> bool:
    """Whether two forms are written alike, case and apostrophes aside."""
    return normalise(a).casefold() == normalise(b).casefold()


def _latin(text: str) -> bool:
    return detect(text).script is Script.LATIN


@lru_cache(maxsize=20_000)
def _system_of(cyrillic: str, latin: str, language: str | None = None) -> System | None:
    """The first system (in the order documents use them) of ``language`` (any when
    ``None``) that writes ``cyrillic`` as ``latin``."""
    wanted = normalise(latin).casefold()
    for system in System:
        if language not in (None, system.language):
            continue
        if normalise(transliterate(cyrillic, system)).casefold() == wanted:
            return system
    return None


def _given_forms(text: str) -> dict[str, Relation]:
    return {m.name_id: m.relation for m in lookup_given(text)}


def _given_kinds(typed: str, found: str) -> tuple[Kind, ...]:
    """Kinds of a given name found against the typed one, from the name table."""
    ours, theirs = _given_forms(typed), _given_forms(found)
    common = sorted(ours.keys() & theirs.keys())
    if not common:
        return ()
    name_id = common[0]
    relations = {ours[name_id], theirs[name_id]}
    if Relation.DIMINUTIVE in relations and ours[name_id] != theirs[name_id]:
        return (Kind.DIMINUTIVE,)
    if latin_skeleton(typed) == latin_skeleton(found):
        return ()
    if relations == {Relation.UKRAINIAN, Relation.RUSSIAN}:
        return (Kind.RUSSIAN_FORM,)
    if _latin(found) and not _latin(typed):
        typed_russian = ours[name_id] is Relation.RUSSIAN
        other = name_id if typed_russian else given_name(name_id).russian
        system = _system_of(other, found)
        if system is not None and system.language == ("uk" if typed_russian else "ru"):
            return (Kind.RUSSIAN_FORM,)
    return ()


def _spelling_kinds(typed: str, found: str, part: str) -> tuple[Kind, ...]:
    """Kinds read off the letters alone, when the name table says nothing."""
    a, b = latin_skeleton(typed), latin_skeleton(found)
    if a == b:
        return ()
    if part == "surname" and surname_key(typed) == surname_key(found):
        return (Kind.GENDER_FORM,)
    if loosen(a) == loosen(b):
        return (Kind.LETTER_SHIFT,)
    same_script = _latin(typed) == _latin(found)
    left, right = ((normalise(typed).casefold(), normalise(found).casefold())
                   if same_script else (a, b))
    if Levenshtein.distance(left, right) == 1:
        return (Kind.ONE_LETTER,)
    return (Kind.SPELLING,)


def _script_kind(typed: str, found: str) -> tuple[tuple[Kind, ...], System | None]:
    """Whether the found form is in Latin letters against a Cyrillic typed one (with the
    system), or in the other Cyrillic alphabet's letters."""
    if _latin(found) and not _latin(typed):
        forms: list[tuple[str, str | None]] = [(typed, None)]
        for match in lookup_given(typed):
            forms += [(match.name_id, "uk"), (given_name(match.name_id).russian, "ru")]
        if len(forms) > 1:
            forms = forms[1:]
        system = next((s for s in (_system_of(f, found, language) for f, language in forms)
                       if s is not None), None)
        return (Kind.LATIN,), system
    if _latin(typed) and not _latin(found):
        return (Kind.LATIN,), None
    if latin_skeleton(typed) == latin_skeleton(found) and not same_spelling(typed, found):
        return (Kind.LETTERS,), None
    return (), None


def part_variance(part: str, typed: str, found: str, similar: bool = True) -> Variance:
    """How ``found`` (a record's given name, surname or patronymic — ``part``) differs
    from ``typed``. ``similar``: whether the model counts the two as the same or a
    similar name (else a difference the letters cannot explain is
    :attr:`Kind.DIFFERENT`, not :attr:`Kind.SPELLING`)."""
    if same_spelling(typed, found):
        return Variance(part, typed, found, (Kind.SAME,))
    kinds = _given_kinds(typed, found) if part == "given name" else ()
    script, system = _script_kind(typed, found)
    if not kinds and not (script and latin_skeleton(typed) == latin_skeleton(found)):
        kinds = _spelling_kinds(typed, found, part)
        if kinds == (Kind.SPELLING,) and not similar:
            kinds = (Kind.DIFFERENT,)
    return Variance(part, typed, found, tuple(dict.fromkeys((*kinds, *script))), system)
