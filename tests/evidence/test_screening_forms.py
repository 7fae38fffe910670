"""How documents really write names: initials, English possessives, a birth year beside
a namesake. Invented children; each capability with the cases that must not match."""

from __future__ import annotations

from datetime import date

import pytest

from kinlink.evidence.nearby import find_birth_years
from kinlink.evidence.screening import Mention, SoughtPerson, screen

NAZARKO = SoughtPerson("n", "Олександр", "Назарко", "Сергійович", date(2014, 3, 12))
VERBYTSKA = SoughtPerson("v", "Олена", "Вербицька", None, date(2012, 5, 1))
KRUTII = SoughtPerson("k", "Юрій", "Крутій")
PEOPLE = [NAZARKO, VERBYTSKA, KRUTII]


def _found(text: str, people: list[SoughtPerson] = PEOPLE) -> list[Mention]:
    return screen(text, people, morphology=False)


def _codes(mention: Mention) -> set[str]:
    return {m.code for m in mention.evidence}


@pytest.mark.parametrize(("text", "person", "span"), [
    ("Список: Назарко О. С., 2014 р.н.", "n", "Назарко О. С."),
    ("Список: НАЗАРКО О.С., учень", "n", "НАЗАРКО О.С."),
    ("Підписав О. С. Назарко.", "n", "О. С. Назарко"),
    ("Передати О.С. Назарка під опіку", "n", "О.С. Назарка"),
    ("Передан А. С. Назарко в семью", "n", "А. С. Назарко"),
    ("O. Nazarko was seen in Anapa.", "n", "O. Nazarko"),
    ("Nazarko O. arrived.", "n", "Nazarko O."),
    ("опікуном Вербицької О. призначено", "v", "Вербицької О."),
    ("Yu. Krutii left with a group.", "k", "Yu. Krutii"),
])
def test_a_surname_with_agreeing_initials_is_a_weaker_mention(
        text: str, person: str, span: str) -> None:
    (mention,) = [m for m in _found(text) if m.person_id == person]
    assert text[mention.start:mention.end] == span
    assert {"screening.initials_both", "screening.initial_given"} & _codes(mention)
    (full,) = _found("Олександр Назарко вивезений.")
    assert mention.score < full.score


@pytest.mark.parametrize("text", [
    "Список: Назарко І. С., учень",          # another given name's initial
    "Список: Назарко О. П., учень",          # the patronymic's initial disagrees
    "мешкає на вул. О. Назарка, 5",          # a street named after someone
    "Назарко пішов. До школи прийшли інші.",  # no initials at all
])
def test_initials_that_disagree_or_a_street_are_no_mention(text: str) -> None:
    assert [m for m in _found(text) if m.person_id == "n"] == []


def test_initials_with_the_birth_date_beside_them_score_as_much_as_a_bare_full_name() -> None:
    (dated,) = _found("Назарко О. С., 12.03.2014 р.н., вибув.")
    (bare,) = _found("Назарко О. С. вибув.")
    assert dated.score > bare.score
    assert "screening.birth_date" in _codes(dated)


@pytest.mark.parametrize(("text", "span"), [
    ("Oleksandr Nazarko's mother called the hotline.", "Oleksandr Nazarko"),
    ("Nazarko’s son Oleksandr", None),
    ("The hotline heard Olena Verbytska's story.", "Olena Verbytska"),
])
def test_english_possessives_are_read_as_the_name(text: str, span: str | None) -> None:
    found = _found(text)
    if span is None:
        assert found == []
        return
    (mention,) = found
    assert mention.text == span
    assert "screening.latin" in _codes(mention)


def test_a_namesake_with_another_birth_year_scores_lower_and_says_why() -> None:
    (other,) = _found("Олександр Назарко, 2001 р.н., працює у м. Бєлгород.")
    (same,) = _found("Олександр Назарко, 2014 р.н., вивезений.")
    (bare,) = _found("Олександр Назарко вивезений.")
    assert same.score > bare.score > other.score
    assert "another birth year 2001 within 2 characters (the sought child: 2014)" in (
        other.evidence)
    assert "screening.birth_year" in _codes(same)


def test_the_nearest_birth_year_speaks_for_a_name_in_a_list() -> None:
    text = "Олександр Назарко (2001 р.н.), Юрій Крутій (2014 р.н.)"
    (nazarko,) = [m for m in _found(text) if m.person_id == "n"]
    assert "screening.other_birth_year" in _codes(nazarko)


@pytest.mark.parametrize(("text", "years"), [
    ("Олександр, 2009 р.н., працює", [2009]),
    ("Иванов, 2010 г.р.", [2010]),
    ("2012 року народження", [2012]),
    ("born in 2009 in Kherson", [2009]),
    ("народився у 2011 році", [2011]),
    ("12.03.2014 р.н.", []),
    ("у 2014 році вивезли", []),
])
def test_birth_years_are_found_only_beside_a_birth_cue(text: str, years: list[int]) -> None:
    assert [y.value for y in find_birth_years(text)] == years


HARMASH = SoughtPerson("h", "Гордій", "Гармаш")
TKACH = SoughtPerson("t", "Марія", "Ткаченко")


@pytest.mark.parametrize(("text", "person", "misread"), [
    ("ГАРМАШ Гордій Миколайович", "h", None),
    ("ГАРМАIII Гордій", "h", None),
    ("Марія Ткачснко, 11 років", "t", "Ткачснко"),
    ("ТКАЧЕИКО Марія", "t", "ТКАЧЕИКО"),
    ("Гордія Гармаша", "h", None),
    ("Марії Ткачеика", "t", "Ткачеика"),
    ("Maria Tkachenko", "t", None),
    ("Maria Tkacheuko", "t", "Tkacheuko"),
    ("Mаpiя Ткачеико", "t", "Ткачеико"),
])
def test_one_letter_misread_by_ocr_is_a_weaker_mention_that_says_so(
        text: str, person: str, misread: str | None) -> None:
    found = [m for m in _found(text, [HARMASH, TKACH]) if m.person_id == person]
    if person == "h" and "III" in text:
        assert found == []  # three letters for one is more than one misreading
        return
    (mention,) = found
    if misread is None:
        assert "screening.misread" not in _codes(mention)
        return
    assert "screening.misread" in _codes(mention)
    assert any(misread in str(m) for m in mention.evidence)
    (clean,) = _found("Марія Ткаченко", [TKACH])
    assert mention.score < clean.score


@pytest.mark.parametrize("text", [
    "Марина Ткаченко",    # another given name the table knows, not a misreading
    "Марія Ткачук",       # another surname, more than one letter away
    "Марія Ткаченкова",   # no confusable letter explains it
])
def test_misreading_is_bounded_to_one_confusable_letter(text: str) -> None:
    assert _found(text, [TKACH]) == []
