"""Screening a document's text for sought people's names in any script and case."""

from __future__ import annotations

from datetime import date

import pytest

from kinlink.evidence.inflection import Case, morphology_available, rule_forms
from kinlink.evidence.nearby import find_dates
from kinlink.evidence.screening import Mention, Screener, SoughtPerson, screen

PETRENKO = SoughtPerson("p1", "Олександр", "Петренко", "Сергійович", date(2014, 3, 12),
                        "Херсон")
IVANOVA = SoughtPerson("p2", "Марія", "Іванова", None, date(2012, 5, 1))
KOVALSKA = SoughtPerson("p3", "Ганна", "Ковальська")
PEOPLE = [PETRENKO, IVANOVA, KOVALSKA]

MODES = [pytest.param(False, id="rules"),
         pytest.param(True, id="dictionary", marks=pytest.mark.skipif(
             not morphology_available(), reason="the morphology extra is not installed"))]


def _found(text: str, morphology: bool, people: list[SoughtPerson] = PEOPLE) -> list[Mention]:
    return screen(text, people, morphology=morphology)


def _codes(mention: Mention) -> set[str]:
    return {m.code for m in mention.evidence}


@pytest.mark.parametrize("morphology", MODES)
@pytest.mark.parametrize(("text", "person", "span"), [
    ("Окупанти вивезли Олександра Петренка з міста.", "p1", "Олександра Петренка"),
    ("Документи видано Олександрові Петренку вчора.", "p1", "Олександрові Петренку"),
    ("Разом з Олександром Петренком їхали інші діти.", "p1", "Олександром Петренком"),
    ("Опікуном Ганни Ковальської стала тітка.", "p3", "Ганни Ковальської"),
    ("Допомогу передали Марії Івановій.", "p2", "Марії Івановій"),
    ("Ребёнок передан Александру Петренко на воспитание.", "p1", "Александру Петренко"),
    ("Сведения о Ивановой Марии отсутствуют.", "p2", "Ивановой Марии"),
    ("Опекуном Анны Ковальской назначена", "p3", "Анны Ковальской"),
])
def test_inflected_ukrainian_and_russian_names_are_found(
        morphology: bool, text: str, person: str, span: str) -> None:
    found = [m for m in _found(text, morphology) if m.person_id == person]
    assert len(found) == 1
    mention = found[0]
    assert mention.text == span
    assert text[mention.start:mention.end] == span


def test_the_case_read_is_said_in_words() -> None:
    (mention,) = _found("Окупанти вивезли Олександра Петренка.", morphology=False)
    assert {"screening.given.genitive", "screening.surname.genitive"} <= _codes(mention)
    assert "surname in the genitive: Петренка" in mention.evidence


def test_the_russian_form_of_the_given_name_is_said() -> None:
    (mention,) = _found("Передан Александру Петренко.", morphology=False)
    assert "screening.russian_form" in _codes(mention)


@pytest.mark.parametrize("text", [
    "Oleksandr Petrenko, 10, was taken to Crimea.",
    "Aleksandr Petrenko arrived in Moscow.",
    "PETRENKO OLEKSANDR, Ukrainian passport",
    "Alexander Petrenko was returned home.",
])
def test_latin_transliterations_are_found(text: str) -> None:
    (mention,) = _found(text, morphology=False)
    assert mention.person_id == "p1"
    assert "screening.latin" in _codes(mention)
    assert text[mention.start:mention.end] == mention.text


def test_a_namesake_with_another_birth_date_nearby_scores_lower() -> None:
    same = _found("Олександр Петренко, 12.03.2014 р.н., вивезений до Криму.", False)
    other = _found("Олександр Петренко, 01.01.2016 р.н., вивезений до Криму.", False)
    bare = _found("Олександр Петренко вивезений до Криму.", False)
    assert same[0].score > bare[0].score > other[0].score
    assert "birth date 12.03.2014 within 2 characters" in same[0].evidence
    assert "screening.other_birth_date" in _codes(other[0])


def test_a_birth_date_in_words_and_a_place_raise_the_score() -> None:
    (uk,) = _found("Олександр Петренко народився 12 березня 2014 року в Херсоні.", False)
    (ru,) = _found("Александр Петренко (родился 12 марта 2014 г. в Херсоне)", False)
    assert {"screening.birth_date", "screening.place"} <= _codes(uk)
    assert {"screening.birth_date", "screening.place"} <= _codes(ru)
    assert uk.score == 1.0


def test_a_patronymic_between_or_after_is_part_of_the_span() -> None:
    text = "ПЕТРЕНКО Олександр Сергійович та Олександр Сергійович Петренко"
    first, second = _found(text, False)
    assert first.text == "ПЕТРЕНКО Олександр Сергійович"
    assert second.text == "Олександр Сергійович Петренко"
    assert "screening.patronymic_agrees" in _codes(first)
    (other,) = _found("Петренко Олександр Миколайович", False)
    assert "screening.patronymic_differs" in _codes(other)
    assert other.score < first.score


@pytest.mark.parametrize("morphology", MODES)
@pytest.mark.parametrize("text", [
    "Олександр Петров та Ганна Коваленко прибули до Херсона.",  # other people
    "Олександр Петрук і Марина Іваненко",  # near-miss surnames
    "Петренко заявив, що Олександр поїхав.",  # the parts apart
])
def test_no_mention_for_a_distractor(morphology: bool, text: str) -> None:
    assert _found(text, morphology) == []


def test_spans_point_at_the_right_characters() -> None:
    text = ("Звернення №5.\nУ списку: «Олександра Петренка» (Херсон),\n"
            "а також Oleksandr Petrenko — і Ганну Ковальську.")
    found = _found(text, False)
    assert [(m.person_id, m.text) for m in found] == [
        ("p1", "Олександра Петренка"), ("p1", "Oleksandr Petrenko"), ("p3", "Ганну Ковальську")]
    for mention in found:
        assert text[mention.start:mention.end] == mention.text


def test_every_sought_namesake_is_a_mention_of_its_own() -> None:
    twin = SoughtPerson("p9", "Олександр", "Петренко", None, date(2016, 1, 1))
    found = _found("Олександр Петренко, 12.03.2014 р.н.", False, [PETRENKO, twin])
    scores = {m.person_id: m.score for m in found}
    assert scores["p1"] > scores["p9"]


def test_rules_read_common_endings_back_to_the_nominative() -> None:
    forms = dict(rule_forms("Петренка"))
    assert forms["Петренко"] is Case.GENITIVE
    assert dict(rule_forms("Ковальського"))["Ковальський"] is Case.GENITIVE
    assert "Марія" in dict(rule_forms("Марією"))
    assert rule_forms("Petrenka") == ()


def test_dates_in_every_common_format() -> None:
    text = "12.03.2014; 2014-03-12; 12 березня 2014; 12 марта 2014 г.; March 12, 2014; 31.02.2014"
    assert [d.value for d in find_dates(text)] == [date(2014, 3, 12)] * 5


def test_dictionary_required_but_absent_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from kinlink.errors import ConfigurationError
    from kinlink.evidence import screening
    monkeypatch.setattr(screening, "morphology_available", lambda: False)
    with pytest.raises(ConfigurationError):
        Screener(PEOPLE, morphology=True)


def test_twenty_pages_against_ten_thousand_people_finds_every_mention() -> None:
    """Many sought people sharing given names do not crowd out the one mentioned (the
    time this takes is measured in benchmarks/screening.py, not asserted here)."""
    givens = ["Олександр", "Марія", "Іван", "Ганна", "Микола", "Софія", "Дмитро", "Олена"]
    people = [SoughtPerson(f"x{i}", givens[i % len(givens)], f"Прізвищенко{i}")
              for i in range(10_000)]
    people.append(PETRENKO)
    page = ("Окупанти вивезли Олександра Петренка з Херсона 12 березня 2022 року. "
            "Марія Коваленко, Іван Шевчук і Ганна Бондар залишилися в місті. ") * 25
    text = page * 20
    found = Screener(people, morphology=False).screen(text)
    assert len(found) == 25 * 20
    assert {m.person_id for m in found} == {PETRENKO.id}
