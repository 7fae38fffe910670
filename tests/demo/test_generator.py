"""Behaviour of the demo data generator: files, truth, formats and the hard cases."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest

from kinlink.demo import DemoConfig, GeneratedFile, generate, generate_flat

LIST_COLUMNS = {
    "record_id", "given_name", "surname", "patronymic", "full_name", "sex", "birth_date",
    "birth_place", "last_known_place", "event_date", "source", "notes", "institution",
    "moved_on", "group", "siblings_count",
}  # fmt: skip
REPORTER_COLUMNS = {"reporter_name", "reporter_relationship", "reporter_contact"}
NAME_COLUMNS = ("given_name", "surname", "full_name")
SEX_VALUES = {"", "M", "F", "male", "female", "ч", "ж", "м"}
LIST_FILES = ("family_reports.csv", "adoption_registry.csv", "camp_list.csv",
              "institution_list.csv")  # fmt: skip

# The date forms the record list format accepts, with the strptime format that checks
# the value is a real date.
DATE_FORMS = (
    (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"),
    (r"\d{2}\.\d{2}\.\d{4}", "%d.%m.%Y"),
    (r"\d{2}/\d{2}/\d{4}", "%d/%m/%Y"),
    (r"\d{4}", "%Y"),
    (r"\d{2}\.\d{4}", "%m.%Y"),
    (r"\d{4}-\d{2}", "%Y-%m"),
)
CONFIG = DemoConfig(children=1000, seed=7)


def parse_date(value: str) -> tuple[str, datetime] | None:
    """The matching form and parsed value, or ``None`` if the spec rejects it."""
    for pattern, fmt in DATE_FORMS:
        if re.fullmatch(pattern, value):
            try:
                return fmt, datetime.strptime(value, fmt)
            except ValueError:
                return None
    return None


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[GeneratedFile]]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate(out, CONFIG)


@pytest.fixture(scope="module")
def lists(world: tuple[Path, list[GeneratedFile]]) -> dict[str, list[dict[str, str]]]:
    out, _ = world
    return {name: read(out / name)[1] for name in LIST_FILES}


@pytest.fixture(scope="module")
def truth(world: tuple[Path, list[GeneratedFile]]) -> list[dict[str, str]]:
    out, _ = world
    header, rows = read(out / "truth.csv")
    assert header == ["file", "record_id", "child_id", "family_id"]
    return rows


def child_of(truth: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(t["file"], t["record_id"]): t["child_id"] for t in truth}


def test_returns_the_four_list_files(world: tuple[Path, list[GeneratedFile]]) -> None:
    out, files = world
    assert {(f.path.name, f.role, f.kind) for f in files} == {
        ("family_reports.csv", "sought", "family_reports"),
        ("adoption_registry.csv", "found", "adoption_registry"),
        ("camp_list.csv", "found", "camp_list"),
        ("institution_list.csv", "found", "institution_list"),
    }
    for f in files:
        assert f.path.parent == out
        assert f.title
        assert f.producer
        assert f.rows == len(read(f.path)[1]) > 0


def test_truth_lists_every_record_exactly_once(
    lists: dict[str, list[dict[str, str]]], truth: list[dict[str, str]]
) -> None:
    records = Counter((name, row["record_id"]) for name, rows in lists.items() for row in rows)
    in_truth = Counter((t["file"], t["record_id"]) for t in truth)
    assert records == in_truth
    assert set(records.values()) == {1}


def test_the_world_has_the_requested_children(truth: list[dict[str, str]]) -> None:
    assert len({t["child_id"] for t in truth}) == CONFIG.children


def test_a_child_belongs_to_one_family(truth: list[dict[str, str]]) -> None:
    families = defaultdict(set)
    for t in truth:
        families[t["child_id"]].add(t["family_id"])
    assert all(len(f) == 1 for f in families.values())


def test_record_ids_are_unique_within_and_across_files(
    lists: dict[str, list[dict[str, str]]],
) -> None:
    ids = [row["record_id"] for rows in lists.values() for row in rows]
    assert all(ids)
    assert len(ids) == len(set(ids))


def test_headers_are_list_format_columns(world: tuple[Path, list[GeneratedFile]]) -> None:
    out, _ = world
    for name in LIST_FILES:
        header = read(out / name)[0]
        allowed = LIST_COLUMNS | (REPORTER_COLUMNS if name == "family_reports.csv" else set())
        assert "record_id" in header
        assert set(header) <= allowed, name
        assert set(header) & set(NAME_COLUMNS), name
    assert set(read(out / "family_reports.csv")[0]) >= REPORTER_COLUMNS


def test_every_row_has_a_name(lists: dict[str, list[dict[str, str]]]) -> None:
    for name, rows in lists.items():
        for row in rows:
            assert any(row.get(c, "").strip() for c in NAME_COLUMNS), (name, row)


def test_dates_use_the_accepted_forms(lists: dict[str, list[dict[str, str]]]) -> None:
    forms: Counter[str] = Counter()
    for name, rows in lists.items():
        for row in rows:
            for column in ("birth_date", "event_date", "moved_on"):
                value = row.get(column, "")
                if value:
                    parsed = parse_date(value)
                    assert parsed is not None, (name, column, value)
                    forms[parsed[0]] += 1
    # Exact dates in all three full forms, and partial dates from unsure relatives.
    assert {"%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y", "%m.%Y"} <= set(forms)


def test_sex_uses_the_accepted_codes(lists: dict[str, list[dict[str, str]]]) -> None:
    values = {row["sex"] for rows in lists.values() for row in rows}
    assert values <= SEX_VALUES
    assert {"ч", "м", "male", "F"} <= values


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    config = DemoConfig(children=150, seed=99)
    generate(tmp_path / "a", config)
    generate(tmp_path / "b", config)
    generate(tmp_path / "c", DemoConfig(children=150, seed=100))
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted([*LIST_FILES, "truth.csv"])
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert any(
        (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes()
        for name in names
    )


def test_shares_of_reported_and_found_children(truth: list[dict[str, str]]) -> None:
    reported = {t["child_id"] for t in truth if t["file"] == "family_reports.csv"}
    found = {t["child_id"] for t in truth if t["file"] != "family_reports.csv"}
    n = CONFIG.children
    assert abs(len(reported) / n - CONFIG.reported_share) < 0.03
    assert abs(len(found) / n - CONFIG.found_share) < 0.03
    assert found - reported, "some found children were never reported"
    assert reported - found, "some reported children are not found"


def test_some_children_are_reported_twice(truth: list[dict[str, str]]) -> None:
    reports = Counter(t["child_id"] for t in truth if t["file"] == "family_reports.csv")
    assert 0 < sum(1 for n in reports.values() if n > 1) < 0.1 * len(reports)


def test_some_children_appear_in_several_found_lists(truth: list[dict[str, str]]) -> None:
    lists_of = defaultdict(set)
    for t in truth:
        if t["file"] != "family_reports.csv":
            lists_of[t["child_id"]].add(t["file"])
    assert any(len(files) >= 2 for files in lists_of.values())


def _birth_dates_by_family(
    lists: dict[str, list[dict[str, str]]], truth: list[dict[str, str]]
) -> dict[str, dict[str, set[datetime]]]:
    """family_id → child_id → exact birth dates seen in the sought and camp lists."""
    family_of = {t["child_id"]: t["family_id"] for t in truth}
    child = child_of(truth)
    dates: dict[str, dict[str, set[datetime]]] = defaultdict(lambda: defaultdict(set))
    for name in ("family_reports.csv", "camp_list.csv"):
        for row in lists[name]:
            parsed = parse_date(row["birth_date"])
            if parsed and parsed[0] in ("%d.%m.%Y", "%d/%m/%Y"):
                cid = child[(name, row["record_id"])]
                dates[family_of[cid]][cid].add(parsed[1])
    return dates


def test_twins_and_siblings_exist(
    lists: dict[str, list[dict[str, str]]], truth: list[dict[str, str]]
) -> None:
    twins = siblings = 0
    for children in _birth_dates_by_family(lists, truth).values():
        births = [next(iter(d)) for d in children.values() if len(d) == 1]
        if len(births) >= 2:
            twins += len(set(births)) < len(births)
            siblings += len(set(births)) == len(births)
    assert twins >= 1
    assert siblings >= 1


def test_siblings_share_the_surname_in_family_reports(
    lists: dict[str, list[dict[str, str]]], truth: list[dict[str, str]]
) -> None:
    child = child_of(truth)
    family_of = {t["child_id"]: t["family_id"] for t in truth}
    stems: dict[str, set[str]] = defaultdict(set)
    kids: dict[str, set[str]] = defaultdict(set)
    for row in lists["family_reports.csv"]:
        if re.search("[а-яіїєґ]", row["surname"].lower()):
            cid = child[("family_reports.csv", row["record_id"])]
            # Case, apostrophes and feminine endings differ between reports of siblings
            # (ДЕРЕВ’ЯНКО, Дерев'янко; Ковальський, Ковальська); the stem does not.
            surname = re.sub("['’ʼ`]", "", row["surname"].lower())
            stems[family_of[cid]].add(re.sub("(ий|а)$", "", surname))
            kids[family_of[cid]].add(cid)
    multi = [f for f in kids if len(kids[f]) >= 2]
    assert multi
    assert all(len(stems[f]) == 1 for f in multi)


def test_adoption_registry_uses_russian_name_forms(
    lists: dict[str, list[dict[str, str]]], truth: list[dict[str, str]]
) -> None:
    child = child_of(truth)
    ukrainian_name = {
        child[("family_reports.csv", row["record_id"])]: row["given_name"]
        for row in lists["family_reports.csv"]
    }
    russian = {"Олександр": "Александр", "Ганна": "Анна", "Микола": "Николай"}
    seen: Counter[str] = Counter()
    for row in lists["adoption_registry.csv"]:
        uk = ukrainian_name.get(child[("adoption_registry.csv", row["record_id"])])
        if uk in russian and russian[uk] in row["full_name"].split():
            seen[uk] += 1
    assert sum(seen.values()) >= 3, seen
    assert all(
        re.fullmatch(r"[А-ЯЁІЇЄҐʼ'’`-]+( \S+){1,2}", row["full_name"])
        for row in lists["adoption_registry.csv"]
    )


def test_camp_list_is_in_latin_letters(lists: dict[str, list[dict[str, str]]]) -> None:
    for row in lists["camp_list.csv"]:
        assert not re.search("[а-яА-ЯёЁіїєґІЇЄҐ]", row["full_name"]), row


def test_family_reports_mix_cyrillic_and_latin(lists: dict[str, list[dict[str, str]]]) -> None:
    rows = lists["family_reports.csv"]
    latin = [r for r in rows if re.fullmatch("[A-Za-z' `-]+", r["given_name"])]
    assert 0.03 < len(latin) / len(rows) < 0.2


def test_institution_list_has_latin_lookalikes_inside_cyrillic_names(
    lists: dict[str, list[dict[str, str]]],
) -> None:
    mixed = [
        value
        for row in lists["institution_list.csv"]
        for value in (row["given_name"], row["surname"])
        if re.search("[а-яА-ЯіІ]", value) and re.search("[aceiopxACEIOPX]", value)
    ]
    assert mixed


def test_config_rejects_impossible_values() -> None:
    with pytest.raises(ValueError, match="children"):
        DemoConfig(children=0)
    with pytest.raises(ValueError, match="found_share"):
        DemoConfig(found_share=1.5)


@pytest.mark.parametrize("rows", [0, 1, 1234])
def test_generate_flat_writes_exactly_n_rows(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "flat.csv"
    truth = tmp_path / "flat_truth.csv"
    assert generate_flat(path, rows, seed=5, truth=truth) == rows
    header, data = read(path)
    assert len(data) == rows
    assert set(header) <= LIST_COLUMNS | REPORTER_COLUMNS
    ids = [row["record_id"] for row in data]
    assert len(set(ids)) == rows
    assert all(any(row[c] for c in NAME_COLUMNS) for row in data)
    assert [t["record_id"] for t in read(truth)[1]] == ids


def test_generate_flat_mixes_scripts_and_repeats_children(tmp_path: Path) -> None:
    path, truth = tmp_path / "flat.csv", tmp_path / "truth.csv"
    generate_flat(path, 2000, seed=5, truth=truth)
    _, data = read(path)
    names = " ".join(row["given_name"] + row["full_name"] for row in data)
    assert re.search("[іїєґ]", names)
    assert re.search("[ыэъё]", names)
    assert re.search("[A-Za-z]{3}", names)
    children = Counter(t["child_id"] for t in read(truth)[1])
    assert any(n > 1 for n in children.values())


def test_generate_flat_is_deterministic(tmp_path: Path) -> None:
    generate_flat(tmp_path / "a.csv", 500, seed=3)
    generate_flat(tmp_path / "b.csv", 500, seed=3)
    generate_flat(tmp_path / "c.csv", 500, seed=4)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()


def _day(value: str) -> datetime:
    parsed = parse_date(value)
    assert parsed is not None, value
    assert parsed[0] in ("%d.%m.%Y", "%Y-%m-%d"), value
    return parsed[1]


def test_children_of_an_institution_are_moved_in_groups(
    lists: dict[str, list[dict[str, str]]], truth: list[dict[str, str]]
) -> None:
    child = child_of(truth)
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in lists["institution_list.csv"]:
        if row["group"]:
            groups[row["group"]].append(row)
    assert len(groups) >= 3
    assert max(len(rows) for rows in groups.values()) >= 5
    for rows in groups.values():  # one group: one institution, one day (when dated)
        assert len({r["institution"] for r in rows}) == 1
        assert len({r["moved_on"] for r in rows}) == 1
    reported = {child[("family_reports.csv", r["record_id"])]: r
                for r in lists["family_reports.csv"] if r["moved_on"]}
    assert len(reported) >= 10
    arrivals = 0
    for row in lists["institution_list.csv"]:
        report = reported.get(child[("institution_list.csv", row["record_id"])])
        if report is None or not row["moved_on"]:
            continue
        days = (_day(row["moved_on"]) - _day(report["moved_on"])).days
        assert 0 <= days <= 3  # arrived within three days of leaving (or says when it left)
        arrivals += 1
    assert arrivals >= 5


def test_registry_profiles_give_the_intake_and_the_number_of_siblings(
    lists: dict[str, list[dict[str, str]]], truth: list[dict[str, str]]
) -> None:
    rows = lists["adoption_registry.csv"]
    assert any(r["group"] and r["institution"] and r["moved_on"] for r in rows)
    assert all(r["siblings_count"].isdigit() for r in rows)
    family = {(t["file"], t["record_id"]): t["family_id"] for t in truth}
    counts: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        counts[family[("adoption_registry.csv", r["record_id"])]].add(r["siblings_count"])
    assert all(len(c) == 1 for c in counts.values())  # siblings agree on their number
    assert any(c != {"0"} for c in counts.values())
