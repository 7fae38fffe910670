"""Explanations are shown in the reader's language: the spec's words through the
catalogue, the name engine's detail said again from its wordings."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from kinlink.linkage import default_spec
from kinlink.linkage import defaults as linkage_defaults
from kinlink.web import i18n
from kinlink.web.verdicts import engine_detail, shown_value, verdict_words

UK = i18n.translations("uk").gettext


def test_every_word_of_the_spec_is_marked_for_translation() -> None:
    folder = str(Path(linkage_defaults.__file__).parent)
    found = {message for _f, _l, message, _c, _ctx in extract_from_dir(
        folder, method_map=[("**.py", "python")], keywords={"N_": None})}
    spec = default_spec()
    words = {c.title for c in spec.comparisons}
    words |= {level.words for c in spec.comparisons for level in c.levels}
    words |= {veto.words for veto in spec.vetoes}
    assert words - found == set()
    assert [w for w in words if UK(w) == w] == []  # and translated


def test_a_level_is_translated_and_the_engines_detail_said_apart() -> None:
    shown = verdict_words(
        "given name", "same",
        "the same name (forms in other languages and spellings count as the same)"
        " — same name, Ukrainian and Russian forms of Олександр", UK)
    assert shown.field == "ім'я"
    assert shown.words == ("те саме ім'я (форми іншими мовами та інші написання "
                           "вважаються тим самим)")
    assert shown.detail == "те саме ім'я, українська й російська форми імені Олександр"
    english = verdict_words(
        "given name", "same",
        "the same name (forms in other languages and spellings count as the same)"
        " — same name, Ukrainian and Russian forms of Олександр", lambda s: s)
    assert english.detail == "same name, Ukrainian and Russian forms of Олександр"


def test_the_engines_detail_of_several_parts_is_said_part_by_part() -> None:
    assert engine_detail("surname: same surname, male and female forms; patronymic: "
                         "different father's names", UK) == (
        "прізвище: те саме прізвище, чоловіча й жіноча форми; по батькові: різні імена "
        "батька")
    assert engine_detail("both records give no sex: read from the given name", UK) == (
        "both records give no sex: read from the given name")  # not the engine's: as written


def test_a_places_name_stays_after_the_translated_words() -> None:
    shown = verdict_words(
        "birth place", "same", "the same place (Ukrainian, Russian, Latin and former names "
        "count as the same): Бахмут", UK)
    assert shown.words.endswith("вважаються тим самим): Бахмут")
    assert shown.detail is None


def test_words_of_another_spec_version_are_shown_as_stored() -> None:
    shown = verdict_words("birth date", "exact", "an older wording", UK)
    assert (shown.field, shown.words, shown.detail) == ("дата народження", "an older wording",
                                                        None)
    english = verdict_words("birth date", "exact", "the same day", lambda s: s)
    assert (english.field, english.words) == ("birth date", "the same day")


def test_dates_in_an_explanation_are_shown_in_the_readers_convention() -> None:
    assert shown_value("birth date", "2014-03-12", "uk") == "12.03.2014"
    assert shown_value("birth date", "2014-03", "uk") == "03.2014"
    assert shown_value("event date", "2014-03-12", "en") == "12 Mar 2014"
    assert shown_value("birth date", "2014", "en") == "2014"
    assert shown_value("birth date", "not a date", "uk") == "not a date"
    assert shown_value("given name", "2014-03-12", "uk") == "2014-03-12"
    assert shown_value("birth date", None, "uk") == "—"


def test_sex_in_an_explanation_is_said_in_words() -> None:
    """The model's sex codes as the reader says them, not ``M / F``."""
    uk = i18n.translations("uk").gettext
    assert shown_value("sex", "M", "en") == "boy"
    assert shown_value("sex", "F", "uk", uk) == "дівчинка"
    assert shown_value("sex", None, "uk", uk) == "—"
    assert shown_value("given name", "M", "en") == "M"  # only the sex field is a code
