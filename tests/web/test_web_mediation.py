"""Mediation through the web, on SQLite and PostgreSQL: channels, a list built from
verified cases, its encrypted export (passphrase once, download once), sending with the
version read, the other side's answer reconciled and applied — through the JSON API and
through the pages; refusals by role and without the CSRF token, audited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from webhelpers import FakeClock, Person, SignIn

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.mediation import ChannelKind, ExportFormat, ListField
from kinlink.domain.users import UserRole
from kinlink.encryption import decrypt_files
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.channels import create_channel
from kinlink.usecases.lists import add_to_list, export_list, new_list, read_list, send_list
from mediationcases import CHANNEL_FIELDS, FORBIDDEN, answer_csv, mistyped, verified_cases
from storecopies import WorldBuilder

pytestmark = pytest.mark.slow


def _verified(store: Store, settings: Settings, folder: Path) -> dict[str, int]:
    return verified_cases(store, folder)


@pytest.fixture
def store_world() -> WorldBuilder:
    """Each test's app starts on a copy of :func:`_verified`, built once per session
    (:mod:`storecopies`)."""
    return _verified


@pytest.fixture
def verified(built_world: dict[str, int]) -> dict[str, int]:
    """Six verified cases: record id (R1…R6) → case id."""
    return built_world


def _audited(app: FastAPI, action: str) -> list[AuditEventRow]:
    with app.state.services.store.transaction() as session:
        return list(session.execute(select(AuditEventRow).where(
            AuditEventRow.action == action)).scalars())


def _channel(person: Person, name: str = "Qatar mediation") -> dict[str, Any]:
    made = person.client.post("/api/v1/channels", headers=person.headers, json={
        "name": name, "kind": "state_mediator", "fields": CHANNEL_FIELDS})
    assert made.status_code == 201, made.text
    body = made.json()
    assert isinstance(body, dict)
    return body


def _case_status(person: Person, case: int) -> str:
    return str(person.client.get(f"/api/v1/cases/{case}").json()["case"]["status"])


def test_the_round_trip_through_the_api(app: FastAPI, sign_in: SignIn,
                                        verified: dict[str, int]) -> None:
    boss = sign_in(UserRole.SUPERVISOR)
    liaison = sign_in(UserRole.MEDIATOR_LIAISON)
    channel = _channel(boss)
    assert channel["fields"] == CHANNEL_FIELDS
    again = boss.client.post("/api/v1/channels", headers=boss.headers, json={
        "name": "Qatar mediation", "fields": ["name_uk"]})
    assert again.status_code == 409
    nameless = boss.client.post("/api/v1/channels", headers=boss.headers, json={
        "name": "Envoy", "fields": ["sex"]})
    assert nameless.status_code == 422
    assert "name" in nameless.json()["error"]["message"]

    found = liaison.client.get("/api/v1/candidates").json()
    assert sorted(c["case_id"] for c in found) == sorted(verified.values())
    assert liaison.client.get("/api/v1/candidates", params={"born_from": 2015}).json()
    assert [c["case_id"] for c in liaison.client.get(
        "/api/v1/candidates", params={"place": "Ізюм"}).json()] == [verified["R6"]]

    made = liaison.client.post("/api/v1/lists", headers=liaison.headers,
                               json={"channel": channel["id"], "note": "first round"})
    assert made.status_code == 201, made.text
    listed = made.json()
    assert (listed["status"], listed["version"], listed["children"]) == ("draft", 1, [])
    base = f"/api/v1/lists/{listed['id']}"
    added = liaison.client.post(f"{base}/children", headers=liaison.headers,
                                json={"cases": list(verified.values())})
    assert added.status_code == 200, added.text
    refs = {record: next(a["reference"] for a in added.json() if a["case_id"] == case)
            for record, case in verified.items()}
    twice = liaison.client.post(f"{base}/children", headers=liaison.headers,
                                json={"cases": [verified["R1"]]})
    assert twice.status_code == 409
    assert "already on list" in twice.json()["error"]["message"]
    out = liaison.client.delete(f"{base}/children/{verified['R6']}", headers=liaison.headers)
    assert out.status_code == 204
    back = liaison.client.post(f"{base}/children", headers=liaison.headers,
                               json={"cases": [verified["R6"]]})
    refs["R6"] = back.json()[0]["reference"]

    read = liaison.client.get(base).json()
    assert "last_known_place" not in read["columns"]
    assert read["columns"] == CHANNEL_FIELDS
    values = {c["reference"]: c["values"] for c in read["children"]}
    assert values[refs["R1"]]["name_ru"] == "Петренко Александр Сергеевич"
    assert set(values[refs["R1"]]) <= set(CHANNEL_FIELDS)

    never = liaison.client.post(f"{base}/send", headers=liaison.headers,
                                json={"version": read["version"]})
    assert never.status_code == 409
    assert "never exported" in never.json()["error"]["message"]

    exported = liaison.client.post(f"{base}/exports", headers=liaison.headers,
                                   json={"formats": ["xlsx", "csv", "pdf", "dossiers"]})
    assert exported.status_code == 201, exported.text
    export = exported.json()
    assert export["children"] == 6
    assert export["download"].startswith(f"{base}/exports/")
    assert boss.client.get(export["download"]).status_code == 404  # not theirs
    download = liaison.client.get(export["download"])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert download.headers["content-disposition"] == \
        f'attachment; filename="{export["file_name"]}"'
    assert download.headers["cache-control"] == "no-store"
    files = decrypt_files(download.content, export["passphrase"])
    assert len(files) == 4
    table = next(data for name, data in files.items() if name.endswith(".csv"))
    text = table.decode("utf-8-sig")
    assert refs["R2"] in text
    assert "Александр" in text
    for forbidden in FORBIDDEN:
        assert forbidden not in text
    assert liaison.client.get(export["download"]).status_code == 404  # once only
    assert _audited(app, "list.export_downloaded")[0].details == {"sha256": export["sha256"]}
    assert export["passphrase"] not in str([e.details for e in _audited(app, "list.exported")])

    version = liaison.client.get(base).json()["version"]
    stale = liaison.client.post(f"{base}/send", headers=liaison.headers,
                                json={"version": version - 1})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert "changed by someone else" in stale.json()["error"]["message"]
    sent = liaison.client.post(f"{base}/send", headers=liaison.headers,
                               json={"version": version})
    assert sent.status_code == 200, sent.text
    assert sorted(sent.json()["moved"]) == sorted(verified.values())
    assert _case_status(boss, verified["R4"]) == "return_requested"
    frozen = liaison.client.post(f"{base}/children", headers=liaison.headers,
                                 json={"cases": [verified["R1"]]})
    assert frozen.status_code == 409

    upload = {"file": ("answer-qatar.csv", answer_csv(refs), "text/csv")}
    assert liaison.client.post(f"{base}/answers", files=upload).status_code == 403
    summary = liaison.client.post(f"{base}/answers", headers=liaison.headers, files=upload)
    assert summary.status_code == 201, summary.text
    assert summary.json()["rows"] == 5
    assert summary.json()["file_name"] == "answer-qatar.csv"
    assert sorted(summary.json()["missing"]) == sorted([refs["R4"], refs["R6"]])
    duplicate = liaison.client.post(f"{base}/answers", headers=liaison.headers, files=upload)
    assert duplicate.status_code == 409
    assert not (app.state.services.settings.data_dir / "answers").exists()  # never on disk

    rec = liaison.client.get(f"{base}/answers").json()
    assert rec["rejected"] == []
    matched = {a["reference"]: a for a in rec["matched"]}
    assert set(matched) == {refs["R1"], refs["R2"], refs["R5"]}
    assert matched[refs["R1"]]["how"] == "reference"
    assert matched[refs["R2"]]["how"] == "names"
    assert [a["reference"] for a in rec["contradictions"]] == [refs["R3"]]
    assert len(rec["unknown"]) == 1
    assert {m["reference"] for m in rec["missing"]} == {refs["R4"], refs["R6"]}

    contradiction = rec["contradictions"][0]["id"]
    resolve = f"/api/v1/answers/{contradiction}/resolve"
    why = liaison.client.post(resolve, headers=liaison.headers, json={"action": "dismiss"})
    assert why.status_code == 422
    dismissed = liaison.client.post(resolve, headers=liaison.headers,
                                    json={"action": "dismiss", "note": "asked the channel"})
    assert dismissed.status_code == 200
    assert dismissed.json()["state"] == "dismissed"
    if not matched[refs["R2"]]["sure"]:
        confirmed = liaison.client.post(
            f"/api/v1/answers/{matched[refs['R2']]['id']}/resolve", headers=liaison.headers,
            json={"action": "confirm", "note": "same child"})
        assert confirmed.json()["state"] == "ready"

    applied = liaison.client.post(f"{base}/answers/apply", headers=liaison.headers)
    assert applied.status_code == 200, applied.text
    outcomes = {o["reference"]: o for o in applied.json()}
    assert outcomes[refs["R1"]]["result"] == "applied"
    assert outcomes[refs["R5"]]["result"] == "pending"  # closing: a supervisor decides
    assert _case_status(boss, verified["R1"]) == "in_return"
    assert _case_status(boss, verified["R2"]) == "in_return"
    assert _case_status(boss, verified["R5"]) == "return_requested"
    assert liaison.client.post(f"{base}/answers/apply", headers=liaison.headers).json() == []

    tracked = liaison.client.get(f"/api/v1/channels/{channel['id']}").json()
    assert tracked["lists"][0]["children"] == 6
    waiting = {w["reference"] for w in tracked["waiting"]}
    assert waiting >= {refs["R4"], refs["R6"]}
    assert refs["R1"] not in waiting
    (summary_row,) = liaison.client.get("/api/v1/channels").json()
    assert (summary_row["children_sent"], summary_row["waiting"]) == (6, len(waiting))
    assert summary_row["longest_wait_days"] == 0


def test_roles_without_mediation_are_refused_and_audited(
        app: FastAPI, sign_in: SignIn, verified: dict[str, int]) -> None:
    boss = sign_in(UserRole.SUPERVISOR)
    channel = _channel(boss)
    for role in (UserRole.VIEWER, UserRole.ANALYST, UserRole.REVIEWER):
        person = sign_in(role)
        for path in ("/api/v1/channels", f"/api/v1/channels/{channel['id']}", "/channels"):
            assert person.client.get(path).status_code == 403, (role, path)
        made = person.client.post("/api/v1/lists", headers=person.headers,
                                  json={"channel": channel["id"]})
        assert made.status_code == 403
        assert "Mediation" not in person.client.get("/search").text
    worker = sign_in(UserRole.CASE_WORKER)
    refused = worker.client.post("/api/v1/channels", headers=worker.headers, json={
        "name": "By a case worker", "fields": ["name_uk"]})
    assert refused.status_code == 403
    assert worker.client.post("/channels", data={
        "csrf_token": worker.csrf, "name": "Page", "kind": "ngo", "fields": "name_uk"},
        follow_redirects=False).status_code == 403
    liaison = sign_in(UserRole.MEDIATOR_LIAISON)
    assert liaison.client.post("/api/v1/channels", headers=liaison.headers, json={
        "name": "By a liaison", "fields": ["name_uk"]}).status_code == 403
    events = _audited(app, "access.refused")
    assert len(events) == 3 * 4 + 3
    assert {e.entity_id for e in events} == {"/api/v1/channels", "/api/v1/channels/{channel_id}",
                                            "/channels", "/api/v1/lists"}
    assert {e.details["action"] for e in events} == {"mediation.view", "mediation.lists",
                                                     "mediation.channels"}
    photo = worker.client.post(f"/api/v1/cases/{verified['R1']}/photo", headers=worker.headers,
                               files={"file": ("child.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64,
                                               "image/png")})
    assert photo.status_code == 200, photo.text  # case workers may attach photographs
    assert "Mediation" in liaison.client.get("/search").text


def test_without_the_csrf_token_nothing_changes(app: FastAPI, sign_in: SignIn,
                                               verified: dict[str, int]) -> None:
    boss = sign_in(UserRole.SUPERVISOR)
    liaison = sign_in(UserRole.MEDIATOR_LIAISON)
    assert boss.client.post("/api/v1/channels", json={
        "name": "No token", "fields": ["name_uk"]}).status_code == 403
    channel = _channel(boss)
    assert liaison.client.post("/api/v1/lists", json={"channel": channel["id"]},
                               headers={"X-CSRF-Token": "forged"}).status_code == 403
    page = liaison.client.post("/lists/new", data={"channel": str(channel["id"])},
                               follow_redirects=False)
    assert page.status_code == 403
    assert liaison.client.get("/api/v1/channels").json()[0]["lists"] == 0
    assert len(_audited(app, "access.csrf_refused")) == 3


def test_the_pages_from_channel_to_applied_answers(
        app: FastAPI, sign_in: SignIn, verified: dict[str, int], clock: FakeClock) -> None:
    boss = sign_in(UserRole.SUPERVISOR)
    defined = boss.client.post("/channels", follow_redirects=False, data={
        "csrf_token": boss.csrf, "name": "ICRC", "kind": "international_organisation",
        "fields": CHANNEL_FIELDS, "description": "through Geneva"})
    assert defined.status_code == 303
    channel_path = defined.headers["location"].split("?")[0]
    page = boss.client.get(defined.headers["location"])
    assert "The channel was defined." in page.text
    assert "international organisation" in page.text
    refused = boss.client.post("/channels", data={
        "csrf_token": boss.csrf, "name": "ICRC", "kind": "ngo", "fields": "name_uk"})
    assert refused.status_code == 409
    assert "The channel was not defined." in refused.text
    assert 'value="ICRC"' in refused.text

    liaison = sign_in(UserRole.MEDIATOR_LIAISON)
    channels = liaison.client.get("/channels")
    assert 'href="/channels"' in channels.text  # the navigation
    assert "ICRC" in channels.text
    assert "Define a channel" not in channels.text  # supervisors only
    channel_id = int(channel_path.rsplit("/", 1)[1])
    form = liaison.client.get(f"/lists/new?channel={channel_id}")
    assert "name in Russian forms" in form.text
    made = liaison.client.post("/lists/new", follow_redirects=False, data={
        "csrf_token": liaison.csrf, "channel": str(channel_id), "note": "first round"})
    assert made.status_code == 303
    list_path = made.headers["location"]
    draft = liaison.client.get(list_path)
    assert "first round" in draft.text
    for case in verified.values():
        assert f'name="case" value="{case}"' in draft.text
    filtered = liaison.client.get(list_path, params={"place": "Ізюм"})
    assert filtered.text.count('name="case"') == 1
    nothing = liaison.client.post(f"{list_path}/add", data={"csrf_token": liaison.csrf})
    assert nothing.status_code == 422
    added = liaison.client.post(f"{list_path}/add", follow_redirects=False, data={
        "csrf_token": liaison.csrf, "case": [str(c) for c in verified.values()]})
    assert added.headers["location"] == f"{list_path}?added=6"
    page = liaison.client.get(added.headers["location"])
    assert "Children added to the list: 6." in page.text
    assert "Петренко Александр Сергеевич" in page.text
    assert "Скадовськ" not in page.text  # not a field of this channel
    removed = liaison.client.post(f"{list_path}/remove", follow_redirects=False, data={
        "csrf_token": liaison.csrf, "case": str(verified["R6"])})
    assert removed.headers["location"] == f"{list_path}?removed={verified['R6']}"
    liaison.client.post(f"{list_path}/add", data={"csrf_token": liaison.csrf,
                                                  "case": str(verified["R6"])})

    exported = liaison.client.post(f"{list_path}/export", data={
        "csrf_token": liaison.csrf, "formats": ["csv", "dossiers"]})
    assert exported.status_code == 200
    assert exported.headers["cache-control"] == "no-store"
    passphrase = re.search(r'id="passphrase">([^<]+)<', exported.text)
    link = re.search(r'href="(/lists/\d+/exports/[A-Za-z0-9_-]+)"', exported.text)
    assert passphrase is not None
    assert link is not None
    assert "It is shown only this once" in exported.text
    zipped = liaison.client.get(link.group(1))
    assert zipped.headers["content-disposition"].startswith("attachment")
    files = decrypt_files(zipped.content, passphrase.group(1))
    assert sorted(n.rsplit(".", 1)[1] for n in files) == ["csv", "pdf"]
    assert liaison.client.get(link.group(1)).status_code == 404
    assert passphrase.group(1) not in liaison.client.get(list_path).text

    late = liaison.client.post(f"{list_path}/export", data={
        "csrf_token": liaison.csrf, "formats": "xlsx"})
    late_link = re.search(r'href="(/lists/\d+/exports/[A-Za-z0-9_-]+)"', late.text)
    assert late_link is not None
    clock.advance(minutes=11)
    assert liaison.client.get(late_link.group(1)).status_code == 404

    version = re.search(r'name="version" value="(\d+)"', liaison.client.get(list_path).text)
    assert version is not None
    stale = liaison.client.post(f"{list_path}/send", data={
        "csrf_token": liaison.csrf, "version": str(int(version.group(1)) - 1)})
    assert stale.status_code == 409
    assert "Someone changed this list while you had it open." in stale.text
    sent = liaison.client.post(f"{list_path}/send", data={
        "csrf_token": liaison.csrf, "version": version.group(1)})
    assert sent.status_code == 200
    assert "is marked as sent" in sent.text
    assert 'name="case"' not in sent.text  # a sent list takes no more children

    list_id = int(list_path.rsplit("/", 1)[1])
    refs = {record: next(c["reference"] for c in liaison.client.get(
        f"/api/v1/lists/{list_id}").json()["children"] if c["case_id"] == case)
        for record, case in verified.items()}
    answers = liaison.client.post(f"{list_path}/answers", data={"csrf_token": liaison.csrf},
                                  files={"file": ("відповідь.csv", answer_csv(refs),
                                                  "text/csv")})
    assert answers.status_code == 200
    assert "відповідь.csv: 5 answer rows imported and reconciled." in answers.text
    for section in ("matched", "contradictions", "unknown", "missing"):
        assert f'id="{section}"' in answers.text
    assert "СИДОРЕНКО Кирилл Павлович" in answers.text
    again = liaison.client.post(f"{list_path}/answers", data={"csrf_token": liaison.csrf},
                                files={"file": ("відповідь.csv", answer_csv(refs),
                                                "text/csv")})
    assert again.status_code == 409
    assert "was imported" in again.text
    wrong = liaison.client.post(f"{list_path}/answers", data={"csrf_token": liaison.csrf},
                                files={"file": ("answer.pdf", b"%PDF-1.4", "application/pdf")})
    assert wrong.status_code == 415

    rec = liaison.client.get(f"/api/v1/lists/{list_id}/answers").json()
    unknown = rec["unknown"][0]["id"]
    no_note = liaison.client.post(f"{list_path}/answers/{unknown}", data={
        "csrf_token": liaison.csrf, "action": "dismiss"})
    assert no_note.status_code == 422
    assert "say why" in no_note.text
    dismissed = liaison.client.post(f"{list_path}/answers/{unknown}", follow_redirects=False,
                                    data={"csrf_token": liaison.csrf, "action": "dismiss",
                                          "note": "not ours"})
    assert dismissed.status_code == 303
    assert f"Answer {unknown} was settled." in liaison.client.get(
        dismissed.headers["location"]).text
    contradiction = rec["contradictions"][0]["id"]
    assigned = liaison.client.post(f"{list_path}/answers/{contradiction}",
                                   follow_redirects=False, data={
                                       "csrf_token": liaison.csrf, "action": "assign",
                                       "reference": refs["R3"], "note": "checked by phone"})
    assert assigned.status_code == 303

    applied = liaison.client.post(f"{list_path}/answers/apply",
                                  data={"csrf_token": liaison.csrf})
    assert applied.status_code == 200
    assert 'id="outcomes"' in applied.text
    assert "the case moved from return requested to in return" in applied.text
    assert "left for a person" in applied.text  # R5: closing is a supervisor's decision
    assert _case_status(boss, verified["R1"]) == "in_return"

    channel_page = liaison.client.get(channel_path)
    assert "<svg" in channel_page.text  # days waiting per list
    assert refs["R4"] in channel_page.text
    assert refs["R6"] in channel_page.text
    liaison.client.post("/account/language", data={"language": "uk",
                                                   "csrf_token": liaison.csrf})
    ukrainian = liaison.client.get(f"{list_path}/answers")
    assert "Посередництво" in ukrainian.text
    assert "Діти, яких не згадує жодна відповідь" in ukrainian.text


def _sent_list(app: FastAPI, verified: dict[str, int]) -> tuple[int, dict[str, str]]:
    """A list of the six verified children, exported and sent: its id, record → reference."""
    store, boss = app.state.services.store, Actor("maria", UserRole.SUPERVISOR)
    channel = create_channel(store, boss, "ICRC", ChannelKind.INTERNATIONAL_ORGANISATION,
                             [ListField(f) for f in CHANNEL_FIELDS])
    listed = new_list(store, boss, channel.id).list
    added = {a.case_id: a.reference for a in add_to_list(store, boss, listed.id,
                                                         verified.values())}
    export_list(store, boss, listed.id, [ExportFormat.CSV])
    send_list(store, boss, listed.id, read_list(store, boss, listed.id).list.version)
    return listed.id, {record: added[case] for record, case in verified.items()}


def test_rejected_rows_are_shown_with_line_and_reason_in_both_languages(
        app: FastAPI, sign_in: SignIn, verified: dict[str, int]) -> None:
    list_id, refs = _sent_list(app, verified)
    answer = ("reference,full_name,status,comment\n"
              f"{refs['R1']},,к возвращению,\n"
              ",,найден,ребёнок из списка\n"
              f"{mistyped(refs['R2'])},,найден,\n").encode()
    liaison = sign_in(UserRole.MEDIATOR_LIAISON)
    page = liaison.client.post(f"/lists/{list_id}/answers", data={"csrf_token": liaison.csrf},
                               files={"file": ("answer.csv", answer, "text/csv")})
    assert page.status_code == 200, page.text
    imported = page.text.split('id="imported"')[1].split("</div>")[0]
    assert re.search(r"row not read <strong>2</strong>", imported)  # the fourth outcome
    rejected = page.text.split('id="rejected"')[1].split("</section>")[0]
    assert "Rows that could not be read <span class=\"muted\">(2)</span>" in rejected
    rows = re.findall(r'<tr id="answer-\d+"><td class="num">(\d+)</td>', rejected)
    assert rows == ["3", "4"]
    assert "The row gives neither a reference nor a name to match it by." in rejected
    assert "ребёнок из списка" in rejected
    assert "The reference is not valid (mistyped, or not in the form KL-XXXX-XXXX)" in rejected
    assert mistyped(refs["R2"]) in rejected  # the reference as written
    assert 'value="dismiss"' in rejected  # a person settles it

    twin = liaison.client.get(f"/api/v1/lists/{list_id}/answers").json()
    assert [(a["line"], a["outcome"], a["state"]) for a in twin["rejected"]] == [
        (3, "rejected", "pending"), (4, "rejected", "pending")]
    assert "neither a reference nor a name" in twin["rejected"][0]["problem"]
    assert twin["rejected"][1]["values"]["reference"] == mistyped(refs["R2"])
    assert [a["reference"] for a in twin["matched"]] == [refs["R1"]]

    liaison.client.post("/account/language", data={"language": "uk",
                                                   "csrf_token": liaison.csrf})
    ukrainian = liaison.client.get(f"/lists/{list_id}/answers").text
    rejected = ukrainian.split('id="rejected"')[1].split("</section>")[0]
    assert "Рядки, які не вдалося прочитати" in rejected
    assert "У рядку немає ні номера, ні імені, за якими його можна зіставити." in rejected
    assert "Номер недійсний" in rejected
    counts = ukrainian.split('id="counts"')[1].split("</ul>")[0]
    assert "рядок не прочитано <strong>2</strong>" in counts


@pytest.mark.parametrize("birth", ["01.06.2015", ""])
def test_a_mistyped_reference_with_names_lands_with_the_child_they_name(
        app: FastAPI, sign_in: SignIn, verified: dict[str, int], birth: str) -> None:
    """The file says "the row is matched by its names instead": so it is, and the row
    lands with that child, marked so; only a row whose names match nobody on the list
    is "not on the list"."""
    list_id, refs = _sent_list(app, verified)
    answer = ("reference,full_name,birth_date,status,comment\n"
              f"{refs['R1']},,,к возвращению,\n"
              f"{mistyped(refs['R2'])},БОЙКО Анна Ивановна,{birth},найдена,\n"
              f"{mistyped(refs['R3'])},СИДОРЕНКО Кирилл Павлович,03.04.2011,найден,\n"
              ).encode()
    liaison = sign_in(UserRole.MEDIATOR_LIAISON)
    page = liaison.client.post(f"/lists/{list_id}/answers", data={"csrf_token": liaison.csrf},
                               files={"file": ("answer.csv", answer, "text/csv")})
    assert page.status_code == 200, page.text
    twin = liaison.client.get(f"/api/v1/lists/{list_id}/answers").json()
    assert [(a["line"], a["reference"]) for a in twin["matched"]] == [
        (2, refs["R1"]), (3, refs["R2"])]
    assert [a["line"] for a in twin["unknown"]] == [4]
    matched = page.text.split('id="matched"')[1].split("</section>")[0]
    row = matched.split('<tr id="answer-')[2].split("</tr>")[0]
    assert "matched by names, reference mistyped" in row
    assert mistyped(refs["R2"]) in row  # the reference as written
    unknown = page.text.split('id="unknown"')[1].split("</section>")[0]
    assert "СИДОРЕНКО" in unknown
    assert "БОЙКО" not in unknown
