"""The evidence of a mention, in words a case worker reads (coded, translated on pages)."""

from __future__ import annotations

from kinlink.evidence.inflection import Case
from kinlink.i18n import N_, Wording

__all__ = [
    "AS_SOUGHT",
    "BIRTH_DATE",
    "BIRTH_DATE_CLOSE",
    "BIRTH_YEAR",
    "BY_DICTIONARY",
    "DIMINUTIVE",
    "GIVEN_CASE",
    "INITIALS_BOTH",
    "INITIAL_GIVEN",
    "LATIN",
    "MISREAD",
    "OTHER_BIRTH_DATE",
    "OTHER_BIRTH_YEAR",
    "PATRONYMIC_AGREES",
    "PATRONYMIC_DIFFERS",
    "PLACE",
    "RUSSIAN_FORM",
    "RUSSIAN_SURNAME",
    "SIMILAR_GIVEN",
    "SURNAME_CASE",
    "SURNAME_FORM",
    "UKRAINIAN_FORM",
]

AS_SOUGHT = Wording("screening.as_sought", N_("the name as sought: {form}"))
LATIN = Wording("screening.latin", N_("the name in Latin letters: {form}"))
RUSSIAN_FORM = Wording("screening.russian_form", N_("Russian form of the given name: {form}"))
UKRAINIAN_FORM = Wording("screening.ukrainian_form",
                         N_("Ukrainian form of the given name: {form}"))
DIMINUTIVE = Wording("screening.diminutive", N_("diminutive of the given name: {form}"))
SIMILAR_GIVEN = Wording("screening.similar_given",
                        N_("given name spelled similarly (not in the name table): {form}"))
RUSSIAN_SURNAME = Wording("screening.russian_surname",
                          N_("Russian spelling of the surname: {form}"))
SURNAME_FORM = Wording("screening.surname_form",
                       N_("the surname in its other gender's form: {form}"))
BY_DICTIONARY = Wording("screening.by_dictionary",
                        N_("{form} read as {nominative} by the dictionary of word forms"))
PATRONYMIC_AGREES = Wording("screening.patronymic_agrees", N_("patronymic agrees: {form}"))
PATRONYMIC_DIFFERS = Wording("screening.patronymic_differs",
                             N_("patronymic differs from the sought one: {form}"))
BIRTH_DATE = Wording("screening.birth_date",
                     N_("birth date {date} within {distance} characters"))
BIRTH_DATE_CLOSE = Wording(
    "screening.birth_date_close",
    N_("date {date} within {distance} characters, {days} days from the birth date"))
OTHER_BIRTH_DATE = Wording(
    "screening.other_birth_date",
    N_("another birth date {date} within {distance} characters"))
BIRTH_YEAR = Wording("screening.birth_year",
                     N_("birth year {year} within {distance} characters"))
OTHER_BIRTH_YEAR = Wording(
    "screening.other_birth_year",
    N_("another birth year {year} within {distance} characters (the sought child: {sought})"))
INITIAL_GIVEN = Wording("screening.initial_given",
                        N_("only the initial of the given name, which agrees: {form}"))
INITIALS_BOTH = Wording(
    "screening.initials_both",
    N_("only initials, which agree with the given name and patronymic: {form}"))
MISREAD = Wording("screening.misread",
                  N_("{form} read as {read}: one letter as OCR often misreads it"))
PLACE = Wording("screening.place", N_("place {place} nearby"))

GIVEN_CASE: dict[Case, Wording] = {
    Case.GENITIVE: Wording("screening.given.genitive", N_("given name in the genitive: {form}")),
    Case.DATIVE: Wording("screening.given.dative", N_("given name in the dative: {form}")),
    Case.ACCUSATIVE: Wording("screening.given.accusative",
                             N_("given name in the accusative: {form}")),
    Case.INSTRUMENTAL: Wording("screening.given.instrumental",
                               N_("given name in the instrumental: {form}")),
    Case.LOCATIVE: Wording("screening.given.locative", N_("given name in the locative: {form}")),
}
SURNAME_CASE: dict[Case, Wording] = {
    Case.GENITIVE: Wording("screening.surname.genitive", N_("surname in the genitive: {form}")),
    Case.DATIVE: Wording("screening.surname.dative", N_("surname in the dative: {form}")),
    Case.ACCUSATIVE: Wording("screening.surname.accusative",
                             N_("surname in the accusative: {form}")),
    Case.INSTRUMENTAL: Wording("screening.surname.instrumental",
                               N_("surname in the instrumental: {form}")),
    Case.LOCATIVE: Wording("screening.surname.locative", N_("surname in the locative: {form}")),
}
