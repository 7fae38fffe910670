"""Search across scripts, agency scoping, and the record page (contacts by role)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select
from webhelpers import FOUND_LIST, Seed, SignIn, link_and_open_cases

from kinlink.config import Settings
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.linkage import name_evidence
from kinlink.names import NameParts
from kinlink.search import readings
from kinlink.server import create_app
from kinlink.storage.tables import AuditEventRow
from kinlink.storage.web_tables import SearchKeyRow


def _names(answer: dict[str, object]) -> list[tuple[str, str]]:
    hits = answer["hits"]
    assert isinstance(hits, list)
    return [(h["surname"], h["given_name"]) for h in hits]


def test_a_name_typed_in_latin_finds_the_cyrillic_record(seed: Seed, sign_in: SignIn) -> None:
    seed()
    seed(FOUND_LIST, "camp.csv", SourceKind.CAMP_LIST)
    person = sign_in(UserRole.CASE_WORKER)
    answer = person.client.get("/api/v1/search", params={"q": "Aleksandr Petrenko"}).json()
    assert _names(answer)[:2] in ([("Петренко", "Олександр"), ("Petrenko", "Aleksandr")],
                                  [("Petrenko", "Aleksandr"), ("Петренко", "Олександр")])
    best = answer["hits"][0]
    assert best["verdict"] == "same"
    assert {r["part"] for r in best["reasons"]} == {"given name", "surname"}
    assert answer["hits"][0]["birth_date"] in ("2014-03-12",)


def test_surname_first_in_capitals_a_year_and_a_misspelling(seed: Seed,
                                                            sign_in: SignIn) -> None:
    seed()
    person = sign_in(UserRole.VIEWER)
    reversed_ = person.client.get("/api/v1/search", params={"q": "ПЕТРЕНКО Олександр"}).json()
    assert _names(reversed_)[0] == ("Петренко", "Олександр")
    year = person.client.get("/api/v1/search", params={"q": "Бойко 2015"}).json()
    assert year["birth_year"] == 2015
    assert _names(year) == [("Бойко", "Ганна")]
    assert person.client.get("/api/v1/search", params={"q": "Бойко 2019"}).json()["hits"] == []
    typo = person.client.get("/api/v1/search", params={"q": "Kovalenkko Dmytro"}).json()
    assert _names(typo) == [("Коваленко", "Дмитро")]


def test_search_sees_only_the_agency_and_what_is_shared_with_it(
        app: FastAPI, seed: Seed, sign_in: SignIn, second_agency: int) -> None:
    source = seed()
    stranger = sign_in(UserRole.SUPERVISOR, agency_id=second_agency)
    assert stranger.client.get("/api/v1/search", params={"q": "Петренко"}).json()["hits"] == []
    assert stranger.client.get("/api/v1/records/1").status_code == 404
    owner = sign_in(UserRole.SUPERVISOR)
    shared = owner.client.post(f"/api/v1/sources/{source}/shares", headers=owner.headers,
                               json={"agency_id": second_agency})
    assert shared.status_code == 204
    assert _names(stranger.client.get("/api/v1/search", params={"q": "Петренко"}).json()) \
        == [("Петренко", "Олександр")]
    assert stranger.client.get("/api/v1/records/1").status_code == 200
    refused = stranger.client.post(f"/api/v1/sources/{source}/shares",
                                   headers=stranger.headers, json={"agency_id": 1})
    assert refused.status_code == 404  # not theirs to share


def test_searches_and_reads_are_audited_without_names(app: FastAPI, seed: Seed,
                                                      sign_in: SignIn) -> None:
    seed()
    person = sign_in(UserRole.ANALYST)
    person.client.get("/api/v1/search", params={"q": "Петренко"})
    person.client.get("/api/v1/records/1")
    person.client.get("/api/v1/records/999")
    with app.state.services.store.transaction() as session:
        events = session.execute(select(AuditEventRow).where(
            AuditEventRow.actor == person.username)).scalars().all()
    actions = [e.action for e in events]
    assert actions[-3:] == ["records.search", "record.read", "record.read_refused"]
    assert all("Петренко" not in str(e.details) for e in events)


def test_contacts_only_for_roles_that_contact_families(seed: Seed, sign_in: SignIn) -> None:
    seed()
    worker = sign_in(UserRole.CASE_WORKER).client.get("/api/v1/records/1").json()
    assert worker["reporter"]["contact"] == "+380501112233"
    assert "+380501112233" in [c["value"] for c in worker["raw"]]
    for role in (UserRole.ANALYST, UserRole.VIEWER, UserRole.ADMIN, UserRole.REVIEWER):
        shown = sign_in(role).client.get("/api/v1/records/1")
        assert shown.status_code == 200
        assert "+380501112233" not in shown.text
        assert "Петренко Ірина" not in shown.text
        assert shown.json()["reporter"] is None
        withheld = [c["column"] for c in shown.json()["raw"] if c["withheld"]]
        assert withheld == ["reporter_name", "reporter_contact"]


def test_the_search_and_record_pages(seed: Seed, sign_in: SignIn) -> None:
    seed()
    person = sign_in(UserRole.CASE_WORKER, language="uk")
    page = person.client.get("/search", params={"q": "Oleksandr Petrenko"})
    assert page.status_code == 200
    assert 'href="/records/1"' in page.text
    assert "12.03.2014" in page.text
    record = person.client.get("/records/2")
    assert "03.2015" in record.text  # a month stays a month, in the Ukrainian convention
    assert "+380671234567" in record.text
    viewer = sign_in(UserRole.VIEWER)
    assert "+380671234567" not in viewer.client.get("/records/2").text
    assert "Mar 2015" in viewer.client.get("/records/2").text


def test_keys_are_written_at_import_and_backfilled_at_start(
        app: FastAPI, seed: Seed, web_settings: Settings) -> None:
    seed()
    store = app.state.services.store
    with store.transaction() as session:
        tokens = set(session.execute(select(SearchKeyRow.token).where(
            SearchKeyRow.record_pk == 1)).scalars())
        assert "i:Олександр" in tokens
        session.execute(delete(SearchKeyRow))
    again = create_app(web_settings)
    with store.transaction() as session:
        assert session.execute(select(func.count(SearchKeyRow.record_pk.distinct()))).scalar() == 3
    again.state.services.store.dispose()


def test_readings_of_typed_text() -> None:
    assert readings("") == []
    assert readings("2014") == []
    one = readings("Петренко")
    assert [r.parts.surname for r in one] == ["Петренко", None]
    two = readings("Oleksandr Petrenko")
    assert (two[0].parts.given, two[0].parts.surname) == ("Oleksandr", "Petrenko")
    assert two[0].exact.surname_key == "petrenko"


TYPO_LIST = (
    "record_id,прізвище,ім'я,дата народження,стать\n"
    "T-1,Петренко,Олексанр,2014,ч\n"  # a letter dropped in the list
    "T-2,Петренко,Ганна,2016,ж\n"  # a sister: another name, not a typo
    "T-3,Петренко,Олександр,2014,ч\n"
    "T-4,Петренко,Сашко,2014,ч\n"
)


def test_hits_are_ranked_by_what_linkage_makes_of_the_names(seed: Seed,
                                                           sign_in: SignIn) -> None:
    seed(TYPO_LIST, "typos.csv")
    person = sign_in(UserRole.CASE_WORKER)
    answer = person.client.get("/api/v1/search", params={"q": "Олександр Петренко"}).json()
    hits = answer["hits"]
    assert hits[0]["given_name"] == "Олександр"  # the name typed, first
    assert sorted(h["given_name"] for h in hits) == ["Олександр", "Олексанр", "Сашко"]
    by_name = {h["given_name"]: h for h in hits}
    exact, diminutive, typo = by_name["Олександр"], by_name["Сашко"], by_name["Олексанр"]
    assert [f["level"] for f in exact["findings"]] == ["same", "same_surname"]
    assert [f["level"] for f in typo["findings"]] == ["similar", "same_surname"]
    # 100% only for the levels the typed name finds with itself; a typo weighs less.
    assert exact["score"] == 1.0
    assert exact["verdict"] == "same"
    assert diminutive["score"] < 1.0
    assert 0.0 < typo["score"] < 1.0
    assert typo["verdict"] != "different"  # a typo never weighs against
    # What a hit shows is what the linkage model weighs for this pair of names.
    evidence = name_evidence("Олександр Петренко", NameParts("Олексанр", "Петренко"))
    assert typo["weight"] == pytest.approx(evidence.weight, abs=0.01)
    assert [f["weight"] for f in typo["findings"]] == [
        pytest.approx(f.weight, abs=0.01) for f in evidence.fields]
    assert typo["findings"][0]["words"] == evidence.field("given_name").words
    # The name engine's finer reason is kept beside, as a detail.
    assert {r["part"] for r in typo["reasons"]} == {"given name", "surname"}


def test_the_search_page_shows_the_levels_and_their_weights(seed: Seed,
                                                           sign_in: SignIn) -> None:
    seed(TYPO_LIST, "typos.csv")
    page = sign_in(UserRole.CASE_WORKER).client.get(
        "/search", params={"q": "Олександр Петренко"}).text
    assert page.count(">exact<") == 1  # the one written as typed; no variant reads 100%
    assert ">100%<" not in page
    assert "Олександр → Олексанр: one letter differs" in page
    assert "similar spelling, possibly a typo" in page
    assert page.index("Олександр</a>") < page.index("Олексанр</a>")
    assert "Ганна" not in page


def test_a_short_surname_misspelt_is_shown_with_the_weight_against_it(
        seed: Seed, sign_in: SignIn) -> None:
    seed("record_id,прізвище,ім'я\nV-1,Верес,Олександра\nV-2,Вербицька,Олександра\n",
         "short.csv")
    answer = sign_in(UserRole.VIEWER).client.get(
        "/api/v1/search", params={"q": "Oleksandra Vepes"}).json()
    assert _names(answer) == [("Верес", "Олександра")]  # one letter off; not Вербицька
    family = answer["hits"][0]["findings"][1]
    assert (family["level"], family["weight"] < 0) == ("fuzzy", True)
    assert answer["hits"][0]["verdict"] == "different"
    assert answer["hits"][0]["score"] < 0.5


def test_exact_hits_come_first_then_variants_with_the_kind_of_difference(
        seed: Seed, sign_in: SignIn) -> None:
    seed()
    seed("record_id,прізвище,ім'я\nR-1,Сидоренко,Александр\nR-2,Петров,Александр\n",
         "camp-ru.csv", SourceKind.CAMP_LIST)
    answer = sign_in(UserRole.VIEWER).client.get(
        "/api/v1/search", params={"q": "Александр"}).json()
    hits = answer["hits"]
    exact = [h["given_name"] for h in hits if h["exact"]]
    assert exact == ["Александр", "Александр"]
    assert all(h["exact"] for h in hits[:2])
    assert all(h["score"] == 1 for h in hits[:2])
    ukrainian = next(h for h in hits if h["given_name"] == "Олександр")
    assert not ukrainian["exact"]
    assert ukrainian["score"] <= 0.99
    assert ukrainian["variances"] == [{"part": "given name", "typed": "Александр",
                                       "found": "Олександр", "kinds": ["russian_form"],
                                       "system": None}]


def test_birth_dates_in_any_form_and_a_range(seed: Seed, sign_in: SignIn) -> None:
    seed()
    seed(FOUND_LIST, "camp.csv", SourceKind.CAMP_LIST)
    client = sign_in(UserRole.VIEWER).client
    for typed in ("12.03.2014", "2014-03-12"):
        alone = client.get("/api/v1/search", params={"q": typed}).json()
        assert sorted(_names(alone)) == [("Petrenko", "Aleksandr"), ("Петренко", "Олександр")]
        assert alone["born"] == "2014-03-12"
        assert all(h["exact"] for h in alone["hits"])
    month = client.get("/api/v1/search", params={"q": "03.2015"}).json()
    assert _names(month) == [("Бойко", "Ганна")]
    # A record known to the year only (Shevchenko, 2012) is kept by a day of that year.
    day = client.get("/api/v1/search", params={"q": "01.07.2012"}).json()
    assert _names(day) == [("Shevchenko", "Taras")]
    assert not day["hits"][0]["exact"]
    ranged = client.get("/api/v1/search", params={"born_from": "2013-01",
                                                  "born_to": "06.2013"}).json()
    assert _names(ranged) == [("Коваленко", "Дмитро")]
    assert (ranged["born_from"], ranged["born_to"]) == ("2013-01-01", "2013-06-30")
    impossible = client.get("/api/v1/search", params={"q": "Бойко 31.02.2015"})
    assert impossible.status_code == 422
    page = client.get("/search", params={"q": "31.02.2015"})
    assert page.status_code == 400
    assert "day 31 does not exist in month 2" in page.text


def test_a_date_alone_finds_the_exact_dates_before_those_known_to_the_year(
        seed: Seed, sign_in: SignIn) -> None:
    """Records known to the year or the month only can mean the day typed, but a record
    born that very day comes first — also when the vaguer ones were listed before it."""
    seed("record_id,прізвище,ім'я,дата народження\n"
         "Y-1,Рік,Перший,2014\nM-1,Місяць,Другий,03.2014\nY-2,Рік,Третій,2014\n"
         "D-1,День,Четвертий,12.03.2014\nD-2,День,П'ятий,2014-03-12\n", "vague.csv")
    client = sign_in(UserRole.VIEWER).client
    found = client.get("/api/v1/search", params={"q": "12.03.2014"}).json()
    assert [h["surname"] for h in found["hits"]] == ["День", "День", "Місяць", "Рік", "Рік"]
    assert [h["exact"] for h in found["hits"]] == [True, True, False, False, False]


def test_paging_with_totals(seed: Seed, sign_in: SignIn) -> None:
    rows = "".join(f"P-{i},Петренко,Олександр,{i % 28 + 1:02d}.01.2010\n" for i in range(30))
    seed("record_id,прізвище,ім'я,дата народження\n" + rows, "many.csv")
    client = sign_in(UserRole.VIEWER).client
    answer = client.get("/api/v1/search", params={"q": "Петренко", "offset": 25}).json()
    assert (answer["total"], answer["offset"], len(answer["hits"])) == (30, 25, 5)
    page = client.get("/search", params={"q": "Петренко", "page": 2}).text
    assert "26–30 of 30" in page
    assert 'rel="prev"' in page
    assert 'rel="next"' not in page
    assert 'aria-current="page">2<' in page
    assert "page=1" in page


def test_hits_say_their_child_and_case_within_the_agency(
        app: FastAPI, seed: Seed, sign_in: SignIn, second_agency: int,
        tmp_path: Path) -> None:
    seed()
    link_and_open_cases(app.state.services.store, tmp_path)
    owner = sign_in(UserRole.SUPERVISOR)
    (found,) = [h for h in owner.client.get("/api/v1/search", params={
        "q": "Kovalenko Dmytro"}).json()["hits"] if h["surname"] == "Kovalenko"]
    assert found["child"]["linked"]
    assert found["child"]["records"] == 2
    assert found["child"]["case_status"] == "reported"
    page = owner.client.get("/search", params={"q": "Kovalenko Dmytro"}).text
    assert f'href="/children/{found["record"]}"' in page
    assert "case: reported" in page
    shared = owner.client.post(f"/api/v1/sources/{found['source']}/shares",
                               headers=owner.headers, json={"agency_id": second_agency})
    assert shared.status_code == 204
    stranger = sign_in(UserRole.SUPERVISOR, agency_id=second_agency)
    theirs = stranger.client.get("/api/v1/search", params={"q": "Kovalenko Dmytro"}).json()
    assert _names(theirs) == [("Kovalenko", "Dmytro")]  # never the other agency's report
    assert theirs["hits"][0]["child"] == {"linked": False, "records": 1, "case": None,
                                          "case_status": None}
