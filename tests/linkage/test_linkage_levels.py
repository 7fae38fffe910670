"""The Python level evaluator decides every level as the engine does in SQL.

Names, dates, places and sexes of many kinds (Ukrainian, Russian and Latin forms,
typos, diminutives, missing parts, swapped and shifted dates) are scored by the real
engine (Splink on DuckDB); every comparison's level must be the one
:func:`~kinlink.linkage.levels.level_of` finds for the same two feature rows. Jaro–Winkler
is checked against DuckDB's own function on random strings of several scripts.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kinlink.demo import generate_linkage_pair
from kinlink.demo.corruptions import typo
from kinlink.domain.dates import PartialDate
from kinlink.linkage import (
    FeatureBuilder,
    FeatureTable,
    LevelParameters,
    LinkageSpec,
    TrainedModel,
    default_engine,
    default_spec,
    level_for_gamma,
    side_from_records,
)
from kinlink.linkage.levels import holds, jaro_winkler, level_of
from kinlink.linkage.spec import (
    AllOf,
    AnyOf,
    BlockingRule,
    Comparison,
    Either,
    Exact,
    Level,
    Not,
    Null,
    Similar,
)
from kinlink.listfiles.listfile import read_list
from kinlink.names import System, name_forms, transliterate

SPEC = default_spec()
_ALPHABETS = ("abcdefghijklmnopqrstuvwxyz", "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'-",
              "шевчнкоіab", "ab", "a中😀")


def _neutral(spec: LinkageSpec) -> TrainedModel:
    """Every level equally likely for true and false pairs: the engine still decides
    levels, and no pair falls below any threshold for its weights."""
    levels = {c.name: {lv.name: LevelParameters(None, None) if lv.null else
                       LevelParameters(0.5, 0.5) for lv in c.levels}
              for c in spec.comparisons}
    return TrainedModel(spec.version, spec.model_digest(), 0.01, levels)


def _engine_levels(spec: LinkageSpec, left: FeatureTable, right: FeatureTable
                   ) -> list[tuple[int, int, dict[str, str]]]:
    """Each scored pair's uids and the level the engine found for every comparison."""
    scored = default_engine().predict(spec, _neutral(spec), [left, right], "link", 0.0)
    found = []
    for row in scored.pairs.to_pylist():
        levels = {c.name: level_for_gamma(c, int(row[f"gamma_{c.name}"])).name
                  for c in spec.comparisons}
        found.append((int(row["left_uid"]), int(row["right_uid"]), levels))
    return found


def _disagreements(spec: LinkageSpec, left: FeatureTable, right: FeatureTable
                   ) -> tuple[int, list[str]]:
    rows_l, rows_r = left.arrow.to_pylist(), right.arrow.to_pylist()
    pairs = _engine_levels(spec, left, right)
    wrong = [f"{a}~{b} {name}: engine {level}, python {mine}"
             for a, b, levels in pairs for name, level in levels.items()
             if level != (mine := level_of(spec.comparison(name), rows_l[a], rows_r[b]).name)]
    return len(pairs), wrong


# -- records of many kinds -----------------------------------------------------------

_CHILDREN = (
    ("Олександр", "Петренко", "Сергійович", "M"), ("Марія", "Коваленко", "Іванівна", "F"),
    ("Федір", "Шевченко", "Петрович", "M"), ("Ганна", "Бойко", "Олегівна", "F"),
    ("Дмитро", "Ковальчук", "Андрійович", "M"), ("Софія", "Мельник", "Василівна", "F"),
    ("Микола", "Біленко", "Миколайович", "M"), ("Юлія", "Ткаченко", "Юріївна", "F"),
    ("Артем", "Кравченко", "Олександрович", "M"), ("Олена", "Бондаренко", "Ігорівна", "F"),
    ("Іван", "Олійник", "Іванович", "M"), ("Дарина", "Лисенко", "Романівна", "F"),
    ("Zoriana", "Hnatiuk", None, "F"), ("Ярослав", "Гнатюк", None, "M"),
)
_DIMINUTIVES = {"Олександр": "Сашко", "Марія": "Маша", "Микола": "Коля", "Дмитро": "Дима",
                "Іван": "Ваня", "Олена": "Лєна", "Федір": "Федя"}
_PLACES = ("м. Бахмут, Донецька обл.", "г. Артёмовск", "Bakhmut", "Маріуполь",
           "г. Мариуполь", "Херсон", "г. Тверь", None)


def _name_variant(given: str | None, surname: str | None, patronymic: str | None,
                  sex: str, rng: random.Random) -> dict[str, Any]:
    forms = name_forms(given, surname, patronymic, sex=sex)
    kind = rng.randrange(12)
    if kind == 0 and forms.ru:
        return {"full_name": forms.ru.upper() if rng.random() < 0.5 else forms.ru}
    if kind == 1 and forms.latin_ru:
        return {"full_name": forms.latin_ru}
    if kind == 2 and forms.latin:
        return {"full_name": forms.latin}
    if kind == 3 and given and surname:
        return {"given": typo(given, rng), "surname": surname, "patronymic": patronymic}
    if kind == 4 and surname:
        return {"given": given, "surname": typo(surname, rng),
                "patronymic": rng.choice((patronymic, rng.choice(_CHILDREN)[2]))}
    if kind == 5 and surname:
        latin = transliterate(surname, System.KMU_2010)
        return {"given": given, "surname": typo(latin, rng) if len(latin) > 4 else latin}
    if kind == 6:
        return {"given": _DIMINUTIVES.get(given or "", given), "surname": surname}
    if kind == 7:
        return {"given": None if rng.random() < 0.5 else given,
                "surname": None if rng.random() < 0.5 else surname}
    if kind == 8:
        other = rng.choice(_CHILDREN)
        return {"given": other[0], "surname": surname, "patronymic": other[2]}
    if kind == 9:
        other = rng.choice(_CHILDREN)  # adopted: new surname, perhaps a new patronymic
        return {"given": given, "surname": other[1],
                "patronymic": rng.choice((patronymic, other[2]))}
    if kind == 10 and surname:
        return {"given": given, "surname": surname.replace("і", "и").replace("е", "є"),
                "patronymic": None if rng.random() < 0.5 else patronymic}
    return {"given": given, "surname": surname, "patronymic": patronymic}


def _date_variant(born: PartialDate, rng: random.Random) -> PartialDate | None:
    kind = rng.randrange(9)
    day = born.earliest()
    if kind == 0:
        return None
    if kind == 1:
        return born.swapped() or born
    if kind in (2, 3):
        moved = day.toordinal() + rng.choice((-1, 1)) * rng.choice((1, 5, 8, 40, 92, 120))
        shifted = type(day).fromordinal(moved)
        return PartialDate(shifted.year, shifted.month, shifted.day)
    if kind == 4:
        return PartialDate(born.year + rng.choice((-1, 1)), born.month, born.day)
    if kind == 5:
        return PartialDate(born.year, born.month)
    if kind == 6:
        return PartialDate(born.year + rng.choice((0, 0, 1)))
    if kind == 7:
        return PartialDate(born.year, rng.randint(1, 12))
    return born


def _designed_pairs(count: int, seed: int) -> tuple[FeatureTable, FeatureTable]:
    """``count`` pairs, the i-th record of the left table with the i-th of the right."""
    rng = random.Random(seed)
    left, right = FeatureBuilder(), FeatureBuilder()
    empty: dict[str, Any] = {"given": None, "surname": None, "patronymic": None,
                             "full_name": None, "sex": None, "birth": None,
                             "birth_place": None, "last_known_place": None, "event": None}
    for uid in range(count):
        given, surname, patronymic, sex = rng.choice(_CHILDREN)
        born = PartialDate(rng.randint(2008, 2020), rng.randint(1, 12), rng.randint(1, 28))
        event = PartialDate(2022, rng.randint(1, 12), rng.choice((None, 10)))
        record = empty | {"given": given, "surname": surname, "patronymic": patronymic,
                          "sex": rng.choice((sex, sex, None)), "birth": born,
                          "birth_place": rng.choice(_PLACES),
                          "last_known_place": rng.choice(_PLACES), "event": event}
        other = empty | _name_variant(given, surname, patronymic, sex, rng) | {
            "sex": rng.choice((sex, None, "F" if sex == "M" else "M")),
            "birth": _date_variant(born, rng), "birth_place": rng.choice(_PLACES),
            "last_known_place": rng.choice(_PLACES),
            "event": rng.choice((event, None, PartialDate(2023, rng.randint(1, 12))))}
        left.add(uid, **record)
        right.add(uid, **other)
    return left.finish(), right.finish()


# -- the tests -------------------------------------------------------------------------


def test_jaro_winkler_is_duckdbs_to_the_last_bit() -> None:
    rng = random.Random(5)
    pairs = []
    for _ in range(4000):
        alphabet = rng.choice(_ALPHABETS)
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, rng.choice((6, 14, 80)))))
        b = list(a)
        for _ in range(rng.randint(0, 3)):
            at = rng.randint(0, len(b))
            b[at:at + rng.randint(0, 1)] = rng.choice(alphabet) * rng.randint(0, 1)
        pairs.append((a, "".join(b)))
    pairs += [("", ""), ("", "a"), ("a", "a"), ("a", "b"), ("martha", "marhta"),
              ("шевченко", "shevchenko"), ("dwayne", "duane")]
    with duckdb.connect() as con:
        engine = [row[0] for row in con.execute(
            "SELECT jaro_winkler_similarity(a, b) FROM (SELECT unnest(?) AS a, unnest(?) AS b)",
            [[a for a, _ in pairs], [b for _, b in pairs]]).fetchall()]
    assert [jaro_winkler(a, b) for a, b in pairs] == engine
    for threshold in (0.88, 0.92, 0.805, 0.7):
        similar = Similar("k", threshold)
        assert [holds(similar, {"k": a}, {"k": b}) for a, b in pairs] == [
            value >= threshold for value in engine]


def test_unknown_is_neither_true_nor_false_as_in_sql() -> None:
    left, right = {"a": None, "b": "x", "f": None}, {"a": "y", "b": "x", "f": True}
    assert holds(Exact("a"), left, right) is None
    assert holds(Not(Exact("a")), left, right) is None
    assert holds(AllOf((Exact("a"), Exact("b"))), left, right) is None
    assert holds(AllOf((Exact("a"), Not(Exact("b")))), left, right) is False
    assert holds(AnyOf((Exact("a"), Exact("b"))), left, right) is True
    assert holds(AnyOf((Exact("a"), Not(Exact("b")))), left, right) is None
    assert holds(AnyOf((Not(Exact("b")), Not(Exact("b")))), left, right) is False
    assert holds(AllOf((Exact("b"), Exact("b"))), left, right) is True
    assert holds(Either("f"), left, right) is True
    assert holds(Either("f"), left, {"f": False}) is None
    assert holds(Null("a"), left, right) is True
    # A level whose predicate is unknown does not apply; the next one does.
    comparison = Comparison("c", "c", "c", (Level("not_a", Not(Exact("a")), ""),
                                            Level("else", None, "")))
    assert level_of(comparison, left, right).name == "else"
    with pytest.raises(KeyError):
        holds(Exact("not_a_column"), left, right)


@pytest.mark.slow
def test_every_level_of_varied_pairs_is_the_engines() -> None:
    left, right = _designed_pairs(400, seed=3)
    one_to_one = dataclasses.replace(SPEC, blocking=(BlockingRule("pair", ("uid",)),))
    scored, wrong = _disagreements(one_to_one, left, right)
    assert scored == 400
    assert not wrong, wrong[:10]
    rows_l, rows_r = left.arrow.to_pylist(), right.arrow.to_pylist()
    seen = {(c.name, level_of(c, a, b).name) for a, b in zip(rows_l, rows_r, strict=True)
            for c in SPEC.comparisons}
    for comparison, level in (("given_name", "same"), ("given_name", "diminutive"),
                              ("given_name", "similar"), ("given_name", "different"),
                              ("family_name", "same"), ("family_name", "loose"),
                              ("family_name", "similar"), ("family_name", "similar_other_father"),
                              ("family_name", "renamed"),
                              ("birth_date", "swapped"), ("birth_date", "year_typo"),
                              ("birth_date", "months"), ("birth_date", "same_year"),
                              ("sex", "different"), ("birth_place", "same")):
        assert (comparison, level) in seen  # the pairs reach the levels that matter


@pytest.mark.slow
def test_every_level_of_generated_lists_is_the_engines(tmp_path: Path) -> None:
    generate_linkage_pair(tmp_path / "l.csv", tmp_path / "r.csv", 300, 23, tmp_path / "t.csv")
    left = side_from_records(read_list(tmp_path / "l.csv").records())
    right = side_from_records(read_list(tmp_path / "r.csv").records())
    scored, wrong = _disagreements(SPEC, left.features, right.features)
    assert scored > 300  # the spec's own blocking rules, as in a real run
    assert not wrong, wrong[:10]
    assert "same_gap" in {level_of(SPEC.comparison("siblings"), a, b).name
                          for a in left.features.arrow.to_pylist()
                          for b in right.features.arrow.to_pylist()}
