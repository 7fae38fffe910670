"""Need to know, enforced everywhere: no agency reaches another agency's objects.

Two agencies each hold lists, pairs, decisions, cases (with history, evidence and a
photograph), a channel, lists, exports and answers, an import job and an upload waiting
on its preview (:mod:`scopeworld`). Then, for every
route of the app that takes an id — enumerated from the app itself, so that a new route
without scoping fails :func:`test_every_route_with_an_id_is_attacked` — and every command
that takes one, a person of each agency (each role the route allows among supervisor,
case worker and mediator liaison) tries each id of the other agency's objects: every
answer must be 404 (never 403, never 200: existence is sensitive), each refusal must be
audited, and nothing in the store may have changed. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from typer.testing import CliRunner
from webhelpers import Person, SignIn, served_routes

from kinlink.accounts.admin import AccountAdmin
from kinlink.cli import app as cli_app
from kinlink.config import Settings
from kinlink.domain.permissions import MATRIX, Action
from kinlink.domain.users import UserRole
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow, Base
from kinlink.usecases.documents import Evidence
from scopeworld import PNG, AgencyWorld, build
from storecopies import WorldBuilder

REFUSALS = ("scope.refused", "record.read_refused")
"""The audit actions of a refusal out of reach."""

ROLES = (UserRole.SUPERVISOR, UserRole.CASE_WORKER, UserRole.MEDIATOR_LIAISON)

EXEMPT = {
    "/api/v1/admin/users/{user_id}": "accounts are the administrator's, across agencies",
    "/api/v1/admin/users/{user_id}/reset-second-factor": "accounts: administrator",
    "/api/v1/admin/users/{user_id}/unlock": "accounts: administrator",
    "/api/v1/admin/users/{user_id}/reset-password": "accounts: administrator",
    "/api/v1/admin/agencies/{agency_id}": "agencies are the administrator's",
    "/admin/users/{user_id}": "accounts: administrator",
    "/admin/users/{user_id}/reset-second-factor": "accounts: administrator",
    "/admin/users/{user_id}/unlock": "accounts: administrator",
    "/admin/users/{user_id}/reset-password": "accounts: administrator",
    "/admin/agencies/{agency_id}": "agencies: administrator",
}
"""Routes with an id that are not agency-scoped, and why (no child's data behind them)."""

UNCHANGED = ("sources", "records", "consents", "record_versions", "source_shares",
             "import_runs", "decisions", "candidate_pairs", "cases", "case_events",
             "case_photos", "channels", "mediation_lists", "list_children", "list_exports",
             "answer_imports", "answer_rows", "case_contacts", "case_tasks", "documents",
             "document_derived", "mentions", "photo_hashes", "photo_flags",
             "statistics_releases", "statistics_public",
             *("legal_holds", "retention_rules", "erasures"),
             *("candidate_reach", "pending_exports"),
             *("remote_candidates", "remote_decisions"))
"""Tables no refused request may change."""


@dataclass(frozen=True)
class Attack:
    """One request with another agency's ids."""

    method: str
    route: str
    path: str
    json: Any = None
    form: dict[str, str] | None = None
    upload: bytes | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _attacks(v: dict[str, Any], own_agency: int) -> list[Attack]:
    """Every request with an id, against the victim's ids ``v``."""
    rec, case, lst, sent, ch = v["record"], v["case"], v["list"], v["sent_list"], v["channel"]
    src, run, job, answer = v["source"], v["run"], v["job"], v["answer"]
    pair = {"a": v["low"], "b": v["high"]}
    transition = {"version": 1, "target": "withdrawn", "reason": "scope test",
                  "evidence_kind": "documents", "evidence_ref": "X-1"}
    token = "t" * 43
    csv_answer = b"reference,status\nKL-AAAA-AAAA,found\n"
    a = Attack
    return [
        a("GET", "/api/v1/records/{record_id}", f"/api/v1/records/{rec}"),
        a("POST", "/api/v1/records/{record_id}/consent/withdrawal",
          f"/api/v1/records/{rec}/consent/withdrawal", json={"reason": "scope"}),
        a("POST", "/api/v1/records/{record_id}/corrections",
          f"/api/v1/records/{rec}/corrections",
          json={"fields": {"sex": "ж"}, "reason": "scope", "expected_version": 1}),
        a("GET", "/api/v1/records/{record_id}/versions/{number}",
          f"/api/v1/records/{rec}/versions/1"),
        a("POST", "/api/v1/sources/{source_id}/shares", f"/api/v1/sources/{src}/shares",
          json={"agency_id": own_agency}),
        a("DELETE", "/api/v1/sources/{source_id}/shares/{agency_id}",
          f"/api/v1/sources/{src}/shares/{own_agency}"),
        a("GET", "/api/v1/imports/jobs/{job_id}", f"/api/v1/imports/jobs/{job}"),
        a("POST", "/api/v1/imports/jobs/{job_id}/cancel", f"/api/v1/imports/jobs/{job}/cancel"),
        a("GET", "/api/v1/imports/{run_id}", f"/api/v1/imports/{run}"),
        a("GET", "/api/v1/imports/{run_id}/errors.csv", f"/api/v1/imports/{run}/errors.csv"),
        a("GET", "/api/v1/imports/{run_id}/rejected.csv",
          f"/api/v1/imports/{run}/rejected.csv"),
        a("GET", "/api/v1/children/{record_id}", f"/api/v1/children/{rec}"),
        a("GET", "/api/v1/children/{record_id}/identities",
          f"/api/v1/children/{rec}/identities"),
        a("POST", "/api/v1/review/decisions", "/api/v1/review/decisions",
          json={**pair, "verdict": "same", "note": "scope"}),
        a("POST", "/api/v1/review/undo", "/api/v1/review/undo", json=pair),
        a("GET", "/api/v1/cases/{case_id}", f"/api/v1/cases/{case}"),
        a("POST", "/api/v1/cases/{case_id}/transitions", f"/api/v1/cases/{case}/transitions",
          json=transition),
        a("POST", "/api/v1/cases/{case_id}/photo", f"/api/v1/cases/{case}/photo", upload=PNG),
        a("POST", "/api/v1/cases/{case_id}/owner", f"/api/v1/cases/{case}/owner",
          json={"user_id": None}),
        a("POST", "/api/v1/cases/{case_id}/claim", f"/api/v1/cases/{case}/claim"),
        a("GET", "/api/v1/channels/{channel_id}", f"/api/v1/channels/{ch}"),
        a("POST", "/api/v1/lists", "/api/v1/lists", json={"channel": ch, "note": "scope"}),
        a("GET", "/api/v1/lists/{list_id}", f"/api/v1/lists/{sent}"),
        a("POST", "/api/v1/lists/{list_id}/children", f"/api/v1/lists/{lst}/children",
          json={"cases": [v["case"]]}),
        a("DELETE", "/api/v1/lists/{list_id}/children/{case_id}",
          f"/api/v1/lists/{lst}/children/{v['other_case']}"),
        a("POST", "/api/v1/lists/{list_id}/exports", f"/api/v1/lists/{lst}/exports",
          json={"formats": ["csv"]}),
        a("GET", "/api/v1/lists/{list_id}/exports/{token}",
          f"/api/v1/lists/{lst}/exports/{token}"),
        a("POST", "/api/v1/lists/{list_id}/send", f"/api/v1/lists/{lst}/send",
          json={"version": 1}),
        a("POST", "/api/v1/lists/{list_id}/answers", f"/api/v1/lists/{sent}/answers",
          upload=csv_answer),
        a("GET", "/api/v1/lists/{list_id}/answers", f"/api/v1/lists/{sent}/answers"),
        a("POST", "/api/v1/lists/{list_id}/answers/apply",
          f"/api/v1/lists/{sent}/answers/apply"),
        a("POST", "/api/v1/answers/{answer_id}/resolve", f"/api/v1/answers/{answer}/resolve",
          json={"action": "dismiss", "note": "scope"}),
        *_casework_attacks(v),
        *_document_attacks(v),
        *_photograph_attacks(v),
        *_statistics_attacks(v),
        *_keeping_attacks(v),
        *_remote_attacks(v),
        # pages
        a("GET", "/records/{record_id}", f"/records/{rec}"),
        a("GET", "/records/{record_id}/edit", f"/records/{rec}/edit"),
        a("POST", "/records/{record_id}/edit", f"/records/{rec}/edit",
          form={"version": "1", "reason": "scope", "sex": "ж"}),
        a("POST", "/records/{record_id}/consent/withdraw", f"/records/{rec}/consent/withdraw",
          form={"reason": "scope"}),
        a("GET", "/records/{record_id}/versions/{number}", f"/records/{rec}/versions/1"),
        a("POST", "/sources/{source_id}/share", f"/sources/{src}/share",
          form={"agency_id": str(own_agency)}),
        a("GET", "/children/{record_id}", f"/children/{rec}"),
        a("GET", "/children/{record_id}/identities", f"/children/{rec}/identities"),
        a("POST", "/children/{record_id}/identities/decide",
          f"/children/{v['low']}/identities/decide",
          form={"candidate": str(v["high"]), "verdict": "same"}),
        a("POST", "/review/decide", "/review/decide",
          form={"low": str(v["low"]), "high": str(v["high"]), "verdict": "same"}),
        a("POST", "/review/undo", "/review/undo",
          form={"low": str(v["low"]), "high": str(v["high"])}),
        a("GET", "/cases/{case_id}", f"/cases/{case}"),
        a("POST", "/cases/{case_id}/advance", f"/cases/{case}/advance",
          form={"version": "1", "target": "withdrawn", "reason": "scope",
                "evidence": "documents", "evidence_ref": "X-1"}),
        a("POST", "/cases/{case_id}/photo", f"/cases/{case}/photo", upload=PNG),
        a("POST", "/cases/{case_id}/claim", f"/cases/{case}/claim", form={"back": "/cases"}),
        a("POST", "/cases/{case_id}/owner", f"/cases/{case}/owner", form={"user_id": ""}),
        a("GET", "/imports/jobs/{job_id}", f"/imports/jobs/{job}"),
        a("POST", "/imports/jobs/{job_id}/cancel", f"/imports/jobs/{job}/cancel", form={}),
        a("GET", "/imports/{run_id}", f"/imports/{run}"),
        *_preview_attacks(v),
        a("GET", "/channels/{channel_id}", f"/channels/{ch}"),
        a("GET", "/lists/new", f"/lists/new?channel={ch}"),
        a("POST", "/lists/new", "/lists/new", form={"channel": str(ch)}),
        a("GET", "/lists/{list_id}", f"/lists/{sent}"),
        a("POST", "/lists/{list_id}/add", f"/lists/{lst}/add", form={"case": str(case)}),
        a("POST", "/lists/{list_id}/remove", f"/lists/{lst}/remove",
          form={"case": str(v["other_case"])}),
        a("POST", "/lists/{list_id}/export", f"/lists/{lst}/export", form={"formats": "csv"}),
        a("GET", "/lists/{list_id}/exports/{token}", f"/lists/{lst}/exports/{token}"),
        a("POST", "/lists/{list_id}/send", f"/lists/{lst}/send", form={"version": "1"}),
        a("GET", "/lists/{list_id}/answers", f"/lists/{sent}/answers"),
        a("POST", "/lists/{list_id}/answers", f"/lists/{sent}/answers", upload=csv_answer),
        a("POST", "/lists/{list_id}/answers/apply", f"/lists/{sent}/answers/apply", form={}),
        a("POST", "/lists/{list_id}/answers/{answer_id}",
          f"/lists/{sent}/answers/{answer}", form={"action": "dismiss", "note": "scope"}),
    ]


def _remote_attacks(v: dict[str, Any]) -> list[Attack]:
    """Issue 21.4's routes: the victim's remote candidate decided (API and page, on the
    victim's record and on the attacker's own path), a pairs file imported onto the
    victim's list."""
    remote, rec, src = v["remote"], v["record"], v["source"]
    pairs = b"left_id,right_id,score,match_probability\nR1,SCOPE-1,0.9,0.9\n"
    onto = {"party": "scope", "list_id": str(src)}
    a = Attack
    return [
        a("POST", "/api/v1/pprl/remote/{candidate_id}/decision",
          f"/api/v1/pprl/remote/{remote}/decision", json={"verdict": "same"}),
        a("POST", "/children/{record_id}/remote/{candidate_id}/decide",
          f"/children/{rec}/remote/{remote}/decide", form={"verdict": "same"}),
        a("POST", "/api/v1/pprl/pairs", "/api/v1/pprl/pairs", form=onto, upload=pairs),
        a("POST", "/imports/pairs", "/imports/pairs", form=onto, upload=pairs),
    ]


def _keeping_attacks(v: dict[str, Any]) -> list[Attack]:
    """Issue 19's routes, against the victim's hold, retention rule, and the things one
    erases: a hold placed on the victim's case, record, list or document; the victim's
    hold lifted; an erasure previewed or made of each kind; the victim's rule put out of
    force."""
    hold, rule, rec, case = v["hold"], v["rule"], v["record"], v["case"]
    targets = {"case": case, "record": rec, "source": v["source"], "document": v["document"]}
    erasable = {"record": rec, "reporter": rec, "source": v["source"],
                "document": v["document"], "case_notes": case, "case_photo": case}
    placed = {"reference": "scope", "reason": "scope"}
    a = Attack
    return [
        *(a("POST", "/api/v1/holds", "/api/v1/holds",
            json={"target": target, "target_id": id_, **placed})
          for target, id_ in targets.items()),
        a("POST", "/api/v1/holds/{hold_id}/lift", f"/api/v1/holds/{hold}/lift",
          json={"reason": "scope"}),
        *(a("GET", "/api/v1/erasures/preview", f"/api/v1/erasures/preview?kind={k}&id={i}")
          for k, i in erasable.items()),
        *(a("POST", "/api/v1/erasures", "/api/v1/erasures",
            json={"kind": k, "id": i, "reason": "scope"}) for k, i in erasable.items()),
        a("POST", "/api/v1/retention/rules/{rule_id}/active",
          f"/api/v1/retention/rules/{rule}/active", json={"active": False}),
        *(a("POST", "/holds", "/holds", form={"target": target, "target_id": str(id_),
                                               **placed, "back": "/admin/holds"})
          for target, id_ in targets.items()),
        a("POST", "/holds/{hold_id}/lift", f"/holds/{hold}/lift",
          form={"reason": "scope", "back": "/admin/holds"}),
        *(a("GET", "/erase", f"/erase?kind={k}&id={i}") for k, i in erasable.items()),
        *(a("POST", "/erase", "/erase", form={"kind": k, "id": str(i), "reason": "scope"})
          for k, i in erasable.items()),
        a("POST", "/admin/retention/rules/{rule_id}", f"/admin/retention/rules/{rule}",
          form={}),
    ]


def _preview_attacks(v: dict[str, Any]) -> list[Attack]:
    """The import preview's routes (pages only: the API imports in one step), against the
    victim's upload waiting on its preview: read, imported with a mapping, cancelled."""
    token = v["preview"]
    a = Attack
    return [
        a("GET", "/imports/preview/{token}", f"/imports/preview/{token}"),
        a("POST", "/imports/preview/{token}", f"/imports/preview/{token}",
          form={"column_3": "last_known_place"}),
        a("POST", "/imports/preview/{token}/cancel", f"/imports/preview/{token}/cancel",
          form={}),
    ]


def _document_attacks(v: dict[str, Any]) -> list[Attack]:
    """The evidence documents' routes, against the victim's document."""
    doc = v["document"]
    a = Attack
    return [
        a("GET", "/api/v1/documents/{document_id}", f"/api/v1/documents/{doc}"),
        a("GET", "/api/v1/documents/{document_id}/original",
          f"/api/v1/documents/{doc}/original"),
        a("GET", "/api/v1/documents/{document_id}/working-copy",
          f"/api/v1/documents/{doc}/working-copy"),
        a("POST", "/api/v1/documents/{document_id}/attach",
          f"/api/v1/documents/{doc}/attach", json={"to": "inbox"}),
        a("POST", "/api/v1/documents/{document_id}/restriction",
          f"/api/v1/documents/{doc}/restriction", json={"roles": []}),
        a("GET", "/documents/{document_id}", f"/documents/{doc}"),
        a("GET", "/documents/{document_id}/original", f"/documents/{doc}/original"),
        a("GET", "/documents/{document_id}/working-copy", f"/documents/{doc}/working-copy"),
        a("POST", "/documents/{document_id}/attach", f"/documents/{doc}/attach",
          form={"to": "inbox"}),
        a("POST", "/documents/{document_id}/restrict", f"/documents/{doc}/restrict",
          form={}),
        a("POST", "/api/v1/cases/{case_id}/bundle", f"/api/v1/cases/{v['case']}/bundle",
          json={}),
        a("POST", "/cases/{case_id}/bundle", f"/cases/{v['case']}/bundle", form={}),
        *_mention_attacks(v),
    ]


def _mention_attacks(v: dict[str, Any]) -> list[Attack]:
    """The mentions' review routes, against a mention of the victim's child."""
    mention = v["mention"]
    a = Attack
    return [
        a("POST", "/api/v1/review/mentions/{mention_id}/confirm",
          f"/api/v1/review/mentions/{mention}/confirm"),
        a("POST", "/api/v1/review/mentions/{mention_id}/reject",
          f"/api/v1/review/mentions/{mention}/reject"),
        a("POST", "/review/mentions/{mention_id}/confirm",
          f"/review/mentions/{mention}/confirm", form={}),
        a("POST", "/review/mentions/{mention_id}/reject",
          f"/review/mentions/{mention}/reject", form={}),
    ]


def _statistics_attacks(v: dict[str, Any]) -> list[Attack]:
    """The releases of public statistics, against the victim's draft: read (its raw
    counts), published, withdrawn."""
    release = v["release"]
    api, page = "/api/v1/statistics/releases", "/statistics/releases"
    a = Attack
    return [
        a("GET", f"{api}/{{release_id}}", f"{api}/{release}"),
        a("POST", f"{api}/{{release_id}}/publish", f"{api}/{release}/publish"),
        a("POST", f"{api}/{{release_id}}/withdraw", f"{api}/{release}/withdraw"),
        a("GET", f"{page}/{{release_id}}", f"{page}/{release}"),
        a("POST", f"{page}/{{release_id}}/publish", f"{page}/{release}/publish", form={}),
        a("POST", f"{page}/{{release_id}}/withdraw", f"{page}/{release}/withdraw",
          form={}),
    ]


def _photograph_attacks(v: dict[str, Any]) -> list[Attack]:
    """The flagged photographs' routes, against the victim's flag, picture (inside a PDF)
    and that PDF's picture."""
    flag, photo, pdf = v["flag"], v["photo"], v["pdf"]
    a = Attack
    return [
        a("GET", "/api/v1/documents/{document_id}/pictures/{number}",
          f"/api/v1/documents/{pdf}/pictures/1"),
        a("GET", "/documents/{document_id}/pictures/{number}",
          f"/documents/{pdf}/pictures/1"),
        a("GET", "/api/v1/photographs/{photo_id}/image",
          f"/api/v1/photographs/{photo}/image"),
        a("POST", "/api/v1/photographs/flags/{flag_id}/confirm",
          f"/api/v1/photographs/flags/{flag}/confirm"),
        a("POST", "/api/v1/photographs/flags/{flag_id}/dismiss",
          f"/api/v1/photographs/flags/{flag}/dismiss"),
        a("GET", "/photographs/{photo_id}/image", f"/photographs/{photo}/image"),
        a("POST", "/photographs/flags/{flag_id}/confirm",
          f"/photographs/flags/{flag}/confirm", form={}),
        a("POST", "/photographs/flags/{flag_id}/dismiss",
          f"/photographs/flags/{flag}/dismiss", form={}),
    ]


def _casework_attacks(v: dict[str, Any]) -> list[Attack]:
    """The contact log's and the tasks' routes, against the victim's case and task."""
    case, task = v["case"], v["task"]
    contact = {"with_whom": "scope", "channel": "phone", "summary": "scope"}
    due = dt.datetime.now(dt.UTC).date().isoformat()
    a = Attack
    return [
        a("GET", "/api/v1/cases/{case_id}/contacts", f"/api/v1/cases/{case}/contacts"),
        a("POST", "/api/v1/cases/{case_id}/contacts", f"/api/v1/cases/{case}/contacts",
          json=contact),
        a("GET", "/api/v1/cases/{case_id}/tasks", f"/api/v1/cases/{case}/tasks"),
        a("POST", "/api/v1/cases/{case_id}/tasks", f"/api/v1/cases/{case}/tasks",
          json={"title": "scope", "due_on": due}),
        a("POST", "/api/v1/tasks/{task_id}/done", f"/api/v1/tasks/{task}/done"),
        a("POST", "/api/v1/tasks/{task_id}/reopen", f"/api/v1/tasks/{task}/reopen"),
        a("POST", "/cases/{case_id}/contacts", f"/cases/{case}/contacts",
          form={**contact, "at": "2026-01-05T10:30"}),
        a("POST", "/cases/{case_id}/tasks", f"/cases/{case}/tasks",
          form={"title": "scope", "due_on": due}),
        a("POST", "/tasks/{task_id}/done", f"/tasks/{task}/done", form={}),
        a("POST", "/tasks/{task_id}/reopen", f"/tasks/{task}/reopen", form={}),
    ]


def _action(route: APIRoute) -> Action | None:
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        action = getattr(dependant.call, "kinlink_action", None)
        if action is not None:
            return Action(action)
        stack.extend(dependant.dependencies)
    return None


def test_every_route_with_an_id_is_attacked(app: FastAPI) -> None:
    served = {(m, p) for m, p, _ in served_routes(app)}
    assert len(served) > 100, "the routes were not found: how FastAPI nests them changed"
    attacked = {(a.method, a.route) for a in _attacks(_IDS, 1)}
    with_id = {(m, p) for m, p in served if "{" in p and p not in EXEMPT}
    assert with_id - attacked == set(), "routes with an id nobody attacks"
    assert attacked - served == set(), "attacks on routes that do not exist"


_IDS = dict.fromkeys(("record", "case", "list", "sent_list", "channel", "source", "run",
                     "job", "answer", "low", "high", "other_case", "task",
                     "document", "mention", "preview", "flag", "photo", "pdf",
                     "release", "remote"), 1) | dict.fromkeys(("hold", "rule"), 1)


def _refusals(store: Store) -> int:
    with store.transaction() as session:
        return int(session.execute(select(func.count()).select_from(AuditEventRow).where(
            AuditEventRow.action.in_(REFUSALS))).scalar_one())


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = Base.metadata.tables
    with store.transaction() as session:
        return {name: sorted(tuple(str(c) for c in row) for row in session.execute(
            select(tables[name])).all()) for name in UNCHANGED}


def _send(person: Person, attack: Attack) -> int:
    kwargs: dict[str, Any] = {"follow_redirects": False}
    api = attack.path.startswith("/api/")
    if api:
        kwargs["headers"] = person.headers
    if attack.json is not None:
        kwargs["json"] = attack.json
    if attack.form is not None or attack.upload is not None:
        form = dict(attack.form or {})
        if not api:
            form["csrf_token"] = person.csrf
        kwargs["data"] = form
    if attack.upload is not None:
        kwargs["files"] = {"file": ("file.png" if attack.upload.startswith(b"\x89")
                                    else "answer.csv", attack.upload)}
    return int(person.client.request(attack.method, attack.path, **kwargs).status_code)


def _world(store: Store, settings: Settings, folder: Path) -> dict[str, AgencyWorld]:
    """Both agencies' data and an upload of each waiting on its preview (kept in the data
    directory); the second agency made as the ``second_agency`` fixture makes it, the
    documents in the app's content store."""
    other = AccountAdmin(store).create_agency("test", "NGO hotline").id
    return build(store, folder, other, Evidence.of(settings, store), settings)


@pytest.fixture
def store_world() -> WorldBuilder:
    """Each test's app starts on a copy of :func:`_world`, built once per session
    (:mod:`storecopies`)."""
    return _world


@pytest.fixture
def world(app: FastAPI, built_world: dict[str, AgencyWorld],
          sign_in: SignIn) -> dict[str, AgencyWorld]:
    """Both agencies' data (:func:`_world`), and an import job of each (jobs are kept in
    memory, so made for each test)."""
    services = app.state.services
    made = built_world
    for mine in made.values():
        uploader = sign_in(UserRole.SUPERVISOR, mine.agency_id)
        job = uploader.client.post("/api/v1/imports", headers=uploader.headers,
                                   files={"file": ("job.csv", b"record_id,surname\nJ-1,B\n")},
                                   data={"link": "false", "kind": "family_reports"})
        assert job.status_code == 202, job.text
        mine.ids["job"] = job.json()["id"]
    services.jobs.wait()
    return made


def test_no_agency_reaches_another_agencys_objects(
        app: FastAPI, sign_in: SignIn, world: dict[str, AgencyWorld]) -> None:
    store = app.state.services.store
    routes = {(m, p): r for m, p, r in served_routes(app)}
    before = _snapshot(store)
    failures: list[str] = []
    tried = 0
    for attacker, victim in (("A", "B"), ("B", "A")):
        own = world[attacker].agency_id
        people = {role: sign_in(role, own) for role in ROLES}
        for attack in _attacks(world[victim].ids, own):
            action = _action(routes[(attack.method, attack.route)])
            assert action is not None, attack.route
            for role in (r for r in ROLES if r in MATRIX[action]):
                audited = _refusals(store)
                status = _send(people[role], attack)
                tried += 1
                if status != 404:
                    failures.append(f"{attacker} {role} {attack.method} {attack.path}: "
                                    f"{status}")
                elif _refusals(store) <= audited:
                    failures.append(f"{attacker} {role} {attack.method} {attack.path}: "
                                    "refused, not audited")
    assert not failures, "\n".join(failures)
    assert tried > 150
    assert _snapshot(store) == before
    for mine in world.values():  # the fixture's job only: no refused preview was imported
        assert len(app.state.services.jobs.recent(mine.boss, limit=100)) == 1
    # The ids are real: each agency's own supervisor reads every one of them (the
    # previews too: neither imported nor cancelled by the other agency).
    for owner in ("A", "B"):
        boss = sign_in(UserRole.SUPERVISOR, world[owner].agency_id)
        for attack in _attacks(world[owner].ids, world[owner].agency_id):
            if attack.method == "GET" and "/exports/{token}" not in attack.route:
                assert _send(boss, attack) == 200, (owner, attack.path)


def _cli_attacks(v: dict[str, Any], folder: Path) -> list[list[str]]:
    photo = folder / "photo.png"
    photo.write_bytes(PNG)
    order = folder / "order.pdf"
    order.write_bytes(b"%PDF-1.4\n%%EOF\n")
    answer = folder / "answer.csv"
    answer.write_bytes(b"reference,status\nKL-AAAA-AAAA,found\n")
    pairs = folder / "pairs.csv"
    pairs.write_bytes(b"left_id,right_id,score,match_probability\nR1,SCOPE-1,0.9,0.9\n")
    rec, case, lst, sent = v["record"], v["case"], v["list"], v["sent_list"]
    return [
        ["records", "show", str(rec)],
        ["records", "withdraw-consent", str(rec), "--reason", "scope"],
        ["records", "correct", str(rec), "--set", "sex=ж", "--reason", "scope",
         "--version", "1"],
        ["records", "versions", str(rec)],
        ["children", "show", str(rec)],
        ["children", "identities", str(rec)],
        ["review", "decide", str(v["low"]), str(v["high"]), "same"],
        ["review", "undo", str(v["low"]), str(v["high"])],
        ["cases", "show", str(case)],
        ["cases", "claim", str(case)],
        ["cases", "assign", str(case), "nobody"],
        ["cases", "advance", str(case), "--to", "withdrawn", "--version", "1", "--reason",
         "scope", "--evidence", "documents", "--evidence-ref", "X-1"],
        ["channels", "track", str(v["channel"])],
        ["lists", "new", "--channel", str(v["channel"])],
        ["lists", "add", str(lst), str(case)],
        ["lists", "remove", str(lst), str(v["other_case"])],
        ["lists", "show", str(sent)],
        ["lists", "export", str(lst), "-o", str(folder / "out.zip")],
        ["lists", "send", str(lst), "--version", "1"],
        ["lists", "photo", str(case), str(photo)],
        ["answers", "import", str(sent), str(answer)],
        ["answers", "show", str(sent)],
        ["answers", "resolve", str(v["answer"]), "dismiss", "--note", "scope"],
        ["answers", "apply", str(sent)],
        ["contacts", "add", str(case), "--with", "scope", "--channel", "phone", "--summary",
         "scope"],
        ["contacts", "list", str(case)],
        ["tasks", "add", str(case), "--title", "scope", "--due",
         dt.datetime.now(dt.UTC).date().isoformat()],
        ["tasks", "list", "--case", str(case)],
        ["tasks", "done", str(v["task"])],
        ["tasks", "reopen", str(v["task"])],
        ["documents", "show", str(v["document"])],
        ["documents", "get", str(v["document"]), "-o", str(folder / "original.bin")],
        ["documents", "add", str(order), "--attach-to", f"case:{case}", "--collected-at",
         "2026-11-30T09:15+02:00", "--collected-by", "scope", "--how", "scan", "--from",
         "device:scope"],
        ["documents", "list", "--attached-to", f"case:{case}"],
        ["evidence", "bundle", str(case), "-o", str(folder / "bundle.zip")],
        ["stats", "publish", str(v["release"])],
        ["pprl", "decide", str(v["remote"]), "same"],
        ["pprl", "import-pairs", str(pairs), "--party", "scope", "--list", str(v["source"])],
    ]


ID_PARAMETERS = {"record", "first", "case", "channel", "list_id", "answer", "task",
                 "document", "release", "candidate"}
"""Parameters of commands that name an object by its id."""

CLI_EXEMPT = {("names", "explain"): "its two arguments are names to compare, not ids"}


def _commands() -> Iterator[tuple[tuple[str, ...], set[str]]]:
    from typer.main import get_command

    def walk(command: Any, prefix: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...],
                                                                      set[str]]]:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                yield from walk(sub, (*prefix, name))
        else:
            yield prefix, {p.name for p in command.params}

    yield from walk(get_command(cli_app), ())


def test_no_agency_reaches_another_agencys_objects_from_the_command_line(
        app: FastAPI, web_settings: Settings, world: dict[str, AgencyWorld], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = app.state.services.store
    covered = {tuple(c[:2]) for c in _cli_attacks(world["A"].ids, tmp_path)}
    taking_ids = {name for name, params in _commands() if params & ID_PARAMETERS}
    assert taking_ids - covered - set(CLI_EXEMPT) == set(), "commands with an id nobody attacks"
    monkeypatch.setenv("KINLINK_DATA_DIR", str(web_settings.data_dir))
    if web_settings.database_url:
        monkeypatch.setenv("KINLINK_DATABASE_URL", web_settings.database_url)
    else:
        monkeypatch.delenv("KINLINK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KINLINK_ROLE", "supervisor")
    runner = CliRunner()
    before = _snapshot(store)
    failures = []
    for attacker, victim in (("A", "B"), ("B", "A")):
        monkeypatch.setenv("KINLINK_AGENCY", str(world[attacker].agency_id))
        monkeypatch.setenv("KINLINK_USER", f"{attacker}-at-the-console")
        for args in _cli_attacks(world[victim].ids, tmp_path):
            audited = _refusals(store)
            result = runner.invoke(cli_app, args)
            said = result.output
            if result.exit_code == 0 or "there is no" not in said:
                failures.append(f"{attacker}: kinlink {' '.join(args)}: {result.exit_code} "
                                f"{said[-200:]!r}")
            elif _refusals(store) <= audited:
                failures.append(f"{attacker}: kinlink {' '.join(args)}: not audited")
    assert not failures, "\n".join(failures)
    assert _snapshot(store) == before
    for owner in ("A", "B"):  # the ids are real: the owner's commands read them
        monkeypatch.setenv("KINLINK_AGENCY", str(world[owner].agency_id))
        for args in _cli_attacks(world[owner].ids, tmp_path):
            if args[1] in ("show", "track", "identities"):
                assert runner.invoke(cli_app, args).exit_code == 0, (owner, args)




def test_flagged_photographs_are_listed_only_to_their_agency(
        app: FastAPI, sign_in: SignIn, world: dict[str, AgencyWorld]) -> None:
    """The same photograph is in both agencies' documents: each agency sees its own flag
    only, on the API and the page, and no flag joins the two agencies' pictures."""
    for name, mine in world.items():
        person = sign_in(UserRole.CASE_WORKER, mine.agency_id)
        listed = person.client.get("/api/v1/photographs/flags").json()
        assert [f["id"] for f in listed] == [mine.ids["flag"]], name
        page = person.client.get("/photographs").text
        other = world["B" if name == "A" else "A"]
        assert f'id="flag-{mine.ids["flag"]}"' in page
        assert f'id="flag-{other.ids["flag"]}"' not in page
