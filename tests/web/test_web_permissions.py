"""The permission matrix, every endpoint × every role (security.md AUTHZ-01, AUTHZ-07).

:data:`CALLS` names one request per route of the app, with the action the route must
declare. For each role the matrix allows, the request must get past authorisation (no
401/403); for every other role it must get 403 and leave an ``access.refused`` audit
event. A route missing from :data:`CALLS` or :data:`PUBLIC`, or one that declares no
action (or another one), fails the test: no route escapes the matrix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import select
from webhelpers import REVIEW_FOUND, Seed, SignIn, served_routes

from kinlink.domain.access import Actor, Principal
from kinlink.domain.documents import Attachment, AttachmentKind
from kinlink.domain.mediation import ChannelKind, ListField
from kinlink.domain.permissions import MATRIX, Action
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.matching.store import match_store
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import list_cases, open_missing_cases
from kinlink.usecases.casework import add_task
from kinlink.usecases.channels import create_channel
from kinlink.usecases.documents import upload_document
from kinlink.usecases.lists import new_list
from kinlink.usecases.review import review_queue
from kinlink.usecases.sources import list_runs

LIST = "record_id,surname,given_name\nP-1,Petrenko,Taras\nP-2,,\n"


@dataclass(frozen=True)
class Call:
    """One request to one route, and the action that route must declare."""

    method: str
    path: str
    action: Action
    route: str = ""
    json: Any = None
    form: dict[str, str] | None = None
    upload: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return self.route or self.path


def _calls(ids: dict[str, Any]) -> list[Call]:
    user, agency, record, run, source = (ids[k] for k in ("user", "agency", "record", "run",
                                                          "source"))
    job, low, high, case = ids["job"], ids["low"], ids["high"], ids["case"]
    u = "/api/v1/admin/users"
    pair = {"a": low, "b": high}
    return [
        Call("GET", "/api/v1/me", Action.ACCOUNT_SELF),
        Call("PUT", "/api/v1/me/language", Action.ACCOUNT_SELF, json={"language": "en"}),
        Call("POST", "/api/v1/me/password", Action.ACCOUNT_SELF,
             json={"current": "not it", "new": "a new long passphrase"}),
        Call("GET", "/api/v1/search?q=Petrenko", Action.RECORDS_SEARCH, "/api/v1/search"),
        Call("GET", f"/api/v1/records/{record}", Action.RECORDS_READ,
             "/api/v1/records/{record_id}"),
        Call("GET", "/api/v1/sources", Action.SOURCES_VIEW),
        Call("POST", "/api/v1/records", Action.RECORDS_REGISTER,
             json={"role": "found", "fields": {}}),
        Call("POST", f"/api/v1/records/{record}/consent/withdrawal", Action.RECORDS_CONSENT,
             "/api/v1/records/{record_id}/consent/withdrawal", json={"reason": "by {role}"}),
        Call("POST", f"/api/v1/records/{record}/corrections", Action.RECORDS_CORRECT,
             "/api/v1/records/{record_id}/corrections",
             json={"fields": {}, "reason": "by {role}", "expected_version": 1}),
        Call("GET", f"/api/v1/records/{record}/versions/1", Action.RECORDS_READ,
             "/api/v1/records/{record_id}/versions/{number}"),
        Call("POST", f"/api/v1/sources/{source}/shares", Action.SOURCES_SHARE,
             "/api/v1/sources/{source_id}/shares", json={"agency_id": agency}),
        Call("DELETE", f"/api/v1/sources/{source}/shares/{agency}", Action.SOURCES_SHARE,
             "/api/v1/sources/{source_id}/shares/{agency_id}"),
        Call("GET", "/api/v1/imports", Action.IMPORTS_VIEW),
        Call("POST", "/api/v1/imports", Action.IMPORTS_CREATE, upload=True),
        Call("GET", f"/api/v1/imports/jobs/{job}", Action.IMPORTS_VIEW,
             "/api/v1/imports/jobs/{job_id}"),
        Call("POST", f"/api/v1/imports/jobs/{job}/cancel", Action.IMPORTS_CREATE,
             "/api/v1/imports/jobs/{job_id}/cancel"),
        Call("GET", f"/api/v1/imports/{run}", Action.IMPORTS_VIEW, "/api/v1/imports/{run_id}"),
        Call("GET", f"/api/v1/imports/{run}/errors.csv", Action.IMPORTS_VIEW,
             "/api/v1/imports/{run_id}/errors.csv"),
        Call("GET", f"/api/v1/imports/{run}/rejected.csv", Action.IMPORTS_VIEW,
             "/api/v1/imports/{run_id}/rejected.csv"),
        Call("GET", "/api/v1/dashboard", Action.DASHBOARD_VIEW),
        Call("GET", u, Action.ADMIN_USERS),
        Call("POST", u, Action.ADMIN_USERS,
             json={"username": "new-{role}", "role": "viewer", "agency_id": 1}),
        Call("GET", f"{u}/{user}", Action.ADMIN_USERS, u + "/{user_id}"),
        Call("PATCH", f"{u}/{user}", Action.ADMIN_USERS, u + "/{user_id}",
             json={"language": "en"}),
        Call("POST", f"{u}/{user}/reset-second-factor", Action.ADMIN_USERS,
             u + "/{user_id}/reset-second-factor"),
        Call("POST", f"{u}/{user}/unlock", Action.ADMIN_USERS, u + "/{user_id}/unlock"),
        Call("POST", f"{u}/{user}/reset-password", Action.ADMIN_USERS,
             u + "/{user_id}/reset-password"),
        Call("GET", "/api/v1/admin/agencies", Action.ADMIN_AGENCIES),
        Call("POST", "/api/v1/admin/agencies", Action.ADMIN_AGENCIES,
             json={"name": "Agency of {role}"}),
        Call("PATCH", f"/api/v1/admin/agencies/{agency}", Action.ADMIN_AGENCIES,
             "/api/v1/admin/agencies/{agency_id}", json={"name": "Renamed by {role}"}),
        Call("GET", f"/api/v1/children/{record}", Action.CHILD_VIEW,
             "/api/v1/children/{record_id}"),
        Call("GET", f"/api/v1/children/{record}/identities", Action.CHILD_VIEW,
             "/api/v1/children/{record_id}/identities"),
        Call("GET", "/api/v1/review/queue", Action.REVIEW_VIEW),
        Call("GET", "/api/v1/review/waiting", Action.REVIEW_VIEW),
        Call("POST", "/api/v1/review/decisions", Action.REVIEW_DECIDE,
             json={**pair, "verdict": "unsure", "note": "by {role}"}),
        Call("POST", "/api/v1/review/undo", Action.REVIEW_DECIDE, json=pair),
        Call("GET", "/api/v1/cases", Action.CASES_VIEW),
        Call("GET", "/api/v1/cases.csv", Action.CASES_VIEW),
        Call("GET", "/api/v1/work", Action.CASES_VIEW),
        Call("POST", f"/api/v1/cases/{case}/owner", Action.CASES_ASSIGN,
             "/api/v1/cases/{case_id}/owner", json={"user_id": None}),
        Call("POST", f"/api/v1/cases/{case}/claim", Action.CASES_WORK,
             "/api/v1/cases/{case_id}/claim"),
        Call("GET", f"/api/v1/cases/{case}", Action.CASES_VIEW, "/api/v1/cases/{case_id}"),
        Call("POST", f"/api/v1/cases/{case}/transitions", Action.CASES_TRANSITION,
             "/api/v1/cases/{case_id}/transitions",
             json={"version": 1, "target": "withdrawn", "reason": "test by {role}"}),
        # pages
        Call("GET", f"/children/{record}", Action.CHILD_VIEW, "/children/{record_id}"),
        Call("GET", "/model", Action.MODEL_VIEW),
        Call("GET", "/api/v1/model", Action.MODEL_VIEW),
        Call("GET", f"/children/{record}/identities", Action.CHILD_VIEW,
             "/children/{record_id}/identities"),
        Call("GET", "/review", Action.REVIEW_VIEW),
        Call("POST", "/review/decide", Action.REVIEW_DECIDE,
             form={"low": str(low), "high": str(high), "verdict": "unsure"}),
        Call("POST", "/review/undo", Action.REVIEW_DECIDE,
             form={"low": str(low), "high": str(high)}),
        Call("POST", f"/children/{low}/identities/decide", Action.REVIEW_DECIDE,
             "/children/{record_id}/identities/decide",
             form={"candidate": str(high), "verdict": "unsure"}),
        Call("GET", "/cases", Action.CASES_VIEW),
        Call("POST", f"/cases/{case}/claim", Action.CASES_WORK, "/cases/{case_id}/claim",
             form={"back": "/cases"}),
        Call("POST", f"/cases/{case}/owner", Action.CASES_ASSIGN, "/cases/{case_id}/owner",
             form={"user_id": ""}),
        Call("GET", f"/cases/{case}", Action.CASES_VIEW, "/cases/{case_id}"),
        Call("POST", f"/cases/{case}/advance", Action.CASES_TRANSITION,
             "/cases/{case_id}/advance",
             form={"version": "1", "target": "withdrawn", "reason": "test by {role}"}),
        Call("GET", "/search?q=Petrenko", Action.RECORDS_SEARCH, "/search"),
        Call("GET", f"/records/{record}", Action.RECORDS_READ, "/records/{record_id}"),
        Call("GET", "/sources", Action.SOURCES_VIEW),
        Call("GET", "/records/new", Action.RECORDS_REGISTER),
        Call("POST", "/records/new", Action.RECORDS_REGISTER, form={"role": "found"}),
        Call("GET", f"/records/{record}/edit", Action.RECORDS_CORRECT,
             "/records/{record_id}/edit"),
        Call("POST", f"/records/{record}/edit", Action.RECORDS_CORRECT,
             "/records/{record_id}/edit", form={"version": "1", "reason": "by {role}"}),
        Call("POST", f"/records/{record}/consent/withdraw", Action.RECORDS_CONSENT,
             "/records/{record_id}/consent/withdraw", form={"reason": "by {role}"}),
        Call("GET", f"/records/{record}/versions/1", Action.RECORDS_READ,
             "/records/{record_id}/versions/{number}"),
        Call("POST", f"/sources/{source}/share", Action.SOURCES_SHARE,
             "/sources/{source_id}/share", form={"agency_id": str(agency)}),
        Call("GET", "/imports", Action.IMPORTS_VIEW),
        Call("POST", "/imports", Action.IMPORTS_CREATE, upload=True),
        Call("POST", "/imports/pairs", Action.IMPORTS_CREATE, upload=True,
             form={"list_id": str(source), "party": "Matrix party"}),
        Call("POST", "/api/v1/pprl/pairs", Action.IMPORTS_CREATE, upload=True,
             form={"list_id": str(source), "party": "Matrix party"}),
        Call("POST", "/api/v1/pprl/remote/999999/decision", Action.REVIEW_DECIDE,
             "/api/v1/pprl/remote/{candidate_id}/decision", json={"verdict": "unsure"}),
        Call("POST", f"/children/{record}/remote/999999/decide", Action.REVIEW_DECIDE,
             "/children/{record_id}/remote/{candidate_id}/decide",
             form={"verdict": "unsure"}),
        Call("GET", "/imports/preview/nosuch", Action.IMPORTS_CREATE,
             "/imports/preview/{token}"),
        Call("POST", "/imports/preview/nosuch", Action.IMPORTS_CREATE,
             "/imports/preview/{token}", form={}),
        Call("POST", "/imports/preview/nosuch/cancel", Action.IMPORTS_CREATE,
             "/imports/preview/{token}/cancel", form={}),
        Call("GET", f"/imports/jobs/{job}", Action.IMPORTS_VIEW, "/imports/jobs/{job_id}"),
        Call("POST", f"/imports/jobs/{job}/cancel", Action.IMPORTS_CREATE,
             "/imports/jobs/{job_id}/cancel", form={}),
        Call("GET", f"/imports/{run}", Action.IMPORTS_VIEW, "/imports/{run_id}"),
        Call("GET", "/dashboard", Action.DASHBOARD_VIEW),
        Call("GET", "/account", Action.ACCOUNT_SELF),
        Call("POST", "/account/password", Action.ACCOUNT_SELF,
             form={"current": "not it", "new": "a new long passphrase"}),
        Call("GET", "/admin/users", Action.ADMIN_USERS),
        Call("POST", "/admin/users", Action.ADMIN_USERS,
             form={"username": "page-{role}", "role": "viewer", "agency_id": "1"}),
        Call("GET", f"/admin/users/{user}", Action.ADMIN_USERS, "/admin/users/{user_id}"),
        Call("POST", f"/admin/users/{user}", Action.ADMIN_USERS, "/admin/users/{user_id}",
             form={"role": "viewer", "agency_id": "1", "language": "en"}),
        Call("POST", f"/admin/users/{user}/reset-second-factor", Action.ADMIN_USERS,
             "/admin/users/{user_id}/reset-second-factor", form={}),
        Call("POST", f"/admin/users/{user}/unlock", Action.ADMIN_USERS,
             "/admin/users/{user_id}/unlock", form={}),
        Call("POST", f"/admin/users/{user}/reset-password", Action.ADMIN_USERS,
             "/admin/users/{user_id}/reset-password", form={}),
        Call("GET", "/admin/agencies", Action.ADMIN_AGENCIES),
        Call("POST", "/admin/agencies", Action.ADMIN_AGENCIES, form={"name": "Page {role}"}),
        Call("POST", f"/admin/agencies/{agency}", Action.ADMIN_AGENCIES,
             "/admin/agencies/{agency_id}", form={"name": "Page renamed {role}"}),
        *_mediation_calls(ids),
        *_casework_calls(ids),
        *_document_calls(ids),
        *_photograph_calls(ids),
    ]


def _photograph_calls(ids: dict[str, Any]) -> list[Call]:
    """The flagged photographs' routes (a flag and a picture that may not exist: an
    allowed role is answered 404, never 401 or 403)."""
    flag, photo = ids.get("flag", 1), ids.get("photo", 1)
    doc = ids.get("document", 1)
    return [
        Call("GET", f"/api/v1/documents/{doc}/pictures/1", Action.DOCUMENTS_VIEW,
             "/api/v1/documents/{document_id}/pictures/{number}"),
        Call("GET", f"/documents/{doc}/pictures/1", Action.DOCUMENTS_VIEW,
             "/documents/{document_id}/pictures/{number}"),
        Call("GET", "/api/v1/photographs/flags", Action.DOCUMENTS_VIEW),
        Call("POST", f"/api/v1/photographs/flags/{flag}/confirm", Action.DOCUMENTS_ADD,
             "/api/v1/photographs/flags/{flag_id}/confirm"),
        Call("POST", f"/api/v1/photographs/flags/{flag}/dismiss", Action.DOCUMENTS_ADD,
             "/api/v1/photographs/flags/{flag_id}/dismiss"),
        Call("GET", f"/api/v1/photographs/{photo}/image", Action.DOCUMENTS_VIEW,
             "/api/v1/photographs/{photo_id}/image"),
        Call("GET", "/photographs", Action.DOCUMENTS_VIEW),
        Call("POST", f"/photographs/flags/{flag}/confirm", Action.DOCUMENTS_ADD,
             "/photographs/flags/{flag_id}/confirm", form={}),
        Call("POST", f"/photographs/flags/{flag}/dismiss", Action.DOCUMENTS_ADD,
             "/photographs/flags/{flag_id}/dismiss", form={}),
        Call("GET", f"/photographs/{photo}/image", Action.DOCUMENTS_VIEW,
             "/photographs/{photo_id}/image"),
    ]


def _document_calls(ids: dict[str, Any]) -> list[Call]:
    """The evidence documents' routes, on a document attached to the seeded case."""
    doc, case = ids.get("document", 1), ids["case"]
    collected = {"collected_at": "2026-11-30T09:15+02:00", "collected_by": "by {role}",
                 "method": "scan", "device": "matrix scanner"}
    return [
        Call("GET", "/api/v1/documents", Action.DOCUMENTS_VIEW),
        Call("POST", "/api/v1/documents", Action.DOCUMENTS_ADD, form=collected, upload=True),
        Call("GET", f"/api/v1/documents/{doc}", Action.DOCUMENTS_VIEW,
             "/api/v1/documents/{document_id}"),
        Call("GET", f"/api/v1/documents/{doc}/original", Action.DOCUMENTS_VIEW,
             "/api/v1/documents/{document_id}/original"),
        Call("GET", f"/api/v1/documents/{doc}/working-copy", Action.DOCUMENTS_VIEW,
             "/api/v1/documents/{document_id}/working-copy"),
        Call("POST", f"/api/v1/documents/{doc}/attach", Action.DOCUMENTS_ADD,
             "/api/v1/documents/{document_id}/attach", json={"to": "case", "id": case}),
        Call("POST", f"/api/v1/documents/{doc}/restriction", Action.DOCUMENTS_RESTRICT,
             "/api/v1/documents/{document_id}/restriction", json={"roles": []}),
        # pages
        Call("GET", "/documents", Action.DOCUMENTS_VIEW),
        Call("GET", f"/documents/new?case={case}", Action.DOCUMENTS_ADD, "/documents/new"),
        Call("POST", "/documents/new", Action.DOCUMENTS_ADD, form=collected, upload=True),
        Call("GET", f"/documents/{doc}", Action.DOCUMENTS_VIEW, "/documents/{document_id}"),
        Call("GET", f"/documents/{doc}/original", Action.DOCUMENTS_VIEW,
             "/documents/{document_id}/original"),
        Call("GET", f"/documents/{doc}/working-copy", Action.DOCUMENTS_VIEW,
             "/documents/{document_id}/working-copy"),
        Call("POST", f"/documents/{doc}/attach", Action.DOCUMENTS_ADD,
             "/documents/{document_id}/attach", form={"to": "case", "target": str(case)}),
        Call("POST", f"/documents/{doc}/restrict", Action.DOCUMENTS_RESTRICT,
             "/documents/{document_id}/restrict", form={}),
        # evidence bundles
        Call("POST", f"/api/v1/cases/{case}/bundle", Action.EVIDENCE_BUNDLE,
             "/api/v1/cases/{case_id}/bundle", json={}),
        Call("POST", "/api/v1/evidence/verify", Action.DOCUMENTS_VIEW, upload=True),
        Call("POST", f"/cases/{case}/bundle", Action.EVIDENCE_BUNDLE, "/cases/{case_id}/bundle",
             form={}),
        Call("GET", "/evidence/verify", Action.DOCUMENTS_VIEW),
        Call("POST", "/evidence/verify", Action.DOCUMENTS_VIEW, upload=True),
        *_mention_calls(ids),
    ]


def _mention_calls(ids: dict[str, Any]) -> list[Call]:
    """The mentions' review routes (a decided or missing mention answers 409 or 404,
    past authorisation either way)."""
    mention = ids.get("mention", 1)
    return [
        Call("GET", "/api/v1/review/mentions", Action.REVIEW_VIEW),
        Call("POST", f"/api/v1/review/mentions/{mention}/confirm", Action.REVIEW_DECIDE,
             "/api/v1/review/mentions/{mention_id}/confirm"),
        Call("POST", f"/api/v1/review/mentions/{mention}/reject", Action.REVIEW_DECIDE,
             "/api/v1/review/mentions/{mention_id}/reject"),
        Call("GET", "/review/mentions", Action.REVIEW_VIEW),
        Call("POST", f"/review/mentions/{mention}/confirm", Action.REVIEW_DECIDE,
             "/review/mentions/{mention_id}/confirm", form={}),
        Call("POST", f"/review/mentions/{mention}/reject", Action.REVIEW_DECIDE,
             "/review/mentions/{mention_id}/reject", form={}),
    ]


def _casework_calls(ids: dict[str, Any]) -> list[Call]:
    case, task = ids["case"], ids["task"]
    contact = {"with_whom": "by {role}", "channel": "phone", "summary": "matrix {role}"}
    due = dt.datetime.now(dt.UTC).date().isoformat()
    return [
        Call("GET", f"/api/v1/cases/{case}/contacts", Action.CASES_VIEW,
             "/api/v1/cases/{case_id}/contacts"),
        Call("POST", f"/api/v1/cases/{case}/contacts", Action.CASES_WORK,
             "/api/v1/cases/{case_id}/contacts", json=contact),
        Call("GET", f"/api/v1/cases/{case}/tasks", Action.CASES_VIEW,
             "/api/v1/cases/{case_id}/tasks"),
        Call("POST", f"/api/v1/cases/{case}/tasks", Action.CASES_WORK,
             "/api/v1/cases/{case_id}/tasks", json={"title": "by {role}", "due_on": due}),
        Call("POST", f"/api/v1/tasks/{task}/done", Action.CASES_WORK,
             "/api/v1/tasks/{task_id}/done"),
        Call("POST", f"/api/v1/tasks/{task}/reopen", Action.CASES_WORK,
             "/api/v1/tasks/{task_id}/reopen"),
        Call("GET", "/api/v1/tasks", Action.CASES_WORK),
        # pages
        Call("POST", f"/cases/{case}/contacts", Action.CASES_WORK, "/cases/{case_id}/contacts",
             form={**contact, "at": "2026-01-05T10:30"}),
        Call("POST", f"/cases/{case}/tasks", Action.CASES_WORK, "/cases/{case_id}/tasks",
             form={"title": "page {role}", "due_on": due}),
        Call("POST", f"/tasks/{task}/done", Action.CASES_WORK, "/tasks/{task_id}/done",
             form={}),
        Call("POST", f"/tasks/{task}/reopen", Action.CASES_WORK, "/tasks/{task_id}/reopen",
             form={}),
        Call("GET", "/tasks", Action.CASES_WORK),
    ]


def _mediation_calls(ids: dict[str, Any]) -> list[Call]:
    channel, listed, case, answer = ids["channel"], ids["list"], ids["case"], ids["answer"]
    token = "t" * 43
    lists, pages = f"/api/v1/lists/{listed}", f"/lists/{listed}"
    return [
        Call("GET", "/api/v1/channels", Action.MEDIATION_VIEW),
        Call("POST", "/api/v1/channels", Action.MEDIATION_CHANNELS,
             json={"name": "Channel of {role}", "kind": "ngo", "fields": ["name_uk"]}),
        Call("GET", f"/api/v1/channels/{channel}", Action.MEDIATION_VIEW,
             "/api/v1/channels/{channel_id}"),
        Call("GET", "/api/v1/candidates", Action.MEDIATION_LISTS),
        Call("POST", "/api/v1/lists", Action.MEDIATION_LISTS,
             json={"channel": channel, "note": "by {role}"}),
        Call("GET", lists, Action.MEDIATION_VIEW, "/api/v1/lists/{list_id}"),
        Call("POST", f"{lists}/children", Action.MEDIATION_LISTS,
             "/api/v1/lists/{list_id}/children", json={"cases": [case]}),
        Call("DELETE", f"{lists}/children/{case}", Action.MEDIATION_LISTS,
             "/api/v1/lists/{list_id}/children/{case_id}"),
        Call("POST", f"{lists}/exports", Action.MEDIATION_LISTS,
             "/api/v1/lists/{list_id}/exports", json={"formats": ["csv"]}),
        Call("GET", f"{lists}/exports/{token}", Action.MEDIATION_LISTS,
             "/api/v1/lists/{list_id}/exports/{token}"),
        Call("POST", f"{lists}/send", Action.MEDIATION_LISTS, "/api/v1/lists/{list_id}/send",
             json={"version": 1}),
        Call("POST", f"{lists}/answers", Action.MEDIATION_ANSWERS,
             "/api/v1/lists/{list_id}/answers", upload=True),
        Call("GET", f"{lists}/answers", Action.MEDIATION_VIEW,
             "/api/v1/lists/{list_id}/answers"),
        Call("POST", f"{lists}/answers/apply", Action.MEDIATION_ANSWERS,
             "/api/v1/lists/{list_id}/answers/apply"),
        Call("POST", f"/api/v1/answers/{answer}/resolve", Action.MEDIATION_ANSWERS,
             "/api/v1/answers/{answer_id}/resolve",
             json={"action": "dismiss", "note": "by {role}"}),
        Call("POST", f"/api/v1/cases/{case}/photo", Action.MEDIATION_PHOTOS,
             "/api/v1/cases/{case_id}/photo", upload=True),
        # pages
        Call("GET", "/channels", Action.MEDIATION_VIEW),
        Call("POST", "/channels", Action.MEDIATION_CHANNELS,
             form={"name": "Page channel {role}", "kind": "ngo", "fields": "name_uk"}),
        Call("GET", f"/channels/{channel}", Action.MEDIATION_VIEW, "/channels/{channel_id}"),
        Call("GET", f"/lists/new?channel={channel}", Action.MEDIATION_LISTS, "/lists/new"),
        Call("POST", "/lists/new", Action.MEDIATION_LISTS, form={"channel": str(channel)}),
        Call("GET", pages, Action.MEDIATION_VIEW, "/lists/{list_id}"),
        Call("POST", f"{pages}/add", Action.MEDIATION_LISTS, "/lists/{list_id}/add",
             form={"case": str(case)}),
        Call("POST", f"{pages}/remove", Action.MEDIATION_LISTS, "/lists/{list_id}/remove",
             form={"case": str(case)}),
        Call("POST", f"{pages}/export", Action.MEDIATION_LISTS, "/lists/{list_id}/export",
             form={"formats": "csv"}),
        Call("GET", f"{pages}/exports/{token}", Action.MEDIATION_LISTS,
             "/lists/{list_id}/exports/{token}"),
        Call("POST", f"{pages}/send", Action.MEDIATION_LISTS, "/lists/{list_id}/send",
             form={"version": "1"}),
        Call("GET", f"{pages}/answers", Action.MEDIATION_VIEW, "/lists/{list_id}/answers"),
        Call("POST", f"{pages}/answers", Action.MEDIATION_ANSWERS, "/lists/{list_id}/answers",
             upload=True),
        Call("POST", f"{pages}/answers/apply", Action.MEDIATION_ANSWERS,
             "/lists/{list_id}/answers/apply", form={}),
        Call("POST", f"{pages}/answers/{answer}", Action.MEDIATION_ANSWERS,
             "/lists/{list_id}/answers/{answer_id}", form={"action": "dismiss", "note": "x"}),
        Call("POST", f"/cases/{case}/photo", Action.MEDIATION_PHOTOS, "/cases/{case_id}/photo",
             upload=True),
        *_statistics_calls(),
        *_keeping_calls(case),
    ]


def _keeping_calls(case: int) -> list[Call]:
    """Keeping and letting go (issue 19): holds, erasure, retention, backups (erasures and
    lifts name id 999999, which does not exist: an allowed role gets 404, past
    authorisation, and nothing is erased)."""
    missing = 999999
    hold = {"target": "case", "target_id": case, "reference": "ORDER {role}",
            "reason": "matrix"}
    return [
        Call("GET", "/api/v1/holds", Action.HOLDS_VIEW),
        Call("POST", "/api/v1/holds", Action.HOLDS_MANAGE, json=hold),
        Call("POST", f"/api/v1/holds/{missing}/lift", Action.HOLDS_MANAGE,
             "/api/v1/holds/{hold_id}/lift", json={"reason": "matrix"}),
        Call("GET", f"/api/v1/erasures/preview?kind=record&id={missing}", Action.DATA_ERASE,
             "/api/v1/erasures/preview"),
        Call("POST", "/api/v1/erasures", Action.DATA_ERASE,
             json={"kind": "record", "id": missing, "reason": "matrix"}),
        Call("GET", "/api/v1/retention/rules", Action.RETENTION_VIEW),
        Call("POST", "/api/v1/retention/rules", Action.RETENTION_MANAGE,
             json={"group": "notes", "anchor": "case_closed", "keep_days": 9000}),
        Call("POST", "/api/v1/retention/rules/999999/active", Action.RETENTION_MANAGE,
             "/api/v1/retention/rules/{rule_id}/active", json={"active": True}),
        Call("GET", "/api/v1/retention/plan", Action.RETENTION_MANAGE),
        Call("POST", "/api/v1/retention/run", Action.RETENTION_MANAGE),
        Call("GET", "/api/v1/backups", Action.STORE_BACKUP),
        # pages
        Call("GET", "/admin/holds", Action.HOLDS_VIEW),
        Call("POST", "/holds", Action.HOLDS_MANAGE,
             form={k: str(v) for k, v in hold.items()}),
        Call("POST", f"/holds/{missing}/lift", Action.HOLDS_MANAGE, "/holds/{hold_id}/lift",
             form={"reason": "matrix"}),
        Call("GET", f"/erase?kind=record&id={missing}", Action.DATA_ERASE, "/erase"),
        Call("POST", "/erase", Action.DATA_ERASE,
             form={"kind": "record", "id": str(missing), "reason": "matrix"}),
        Call("GET", "/admin/retention", Action.RETENTION_VIEW),
        Call("POST", "/admin/retention/rules", Action.RETENTION_MANAGE,
             form={"group": "notes", "anchor": "case_closed", "keep_days": "9000"}),
        Call("POST", "/admin/retention/rules/999999", Action.RETENTION_MANAGE,
             "/admin/retention/rules/{rule_id}", form={"active": "true"}),
        Call("POST", "/admin/retention/run", Action.RETENTION_MANAGE, form={}),
        Call("GET", "/admin/backups", Action.STORE_BACKUP),
    ]


def _statistics_calls() -> list[Call]:
    """Public statistics (issue 18): the preparers' routes (release 999999 does not exist:
    an allowed role gets 404, never 401 or 403)."""
    api, page, missing = "/api/v1/statistics", "/statistics", 999999
    return [
        Call("GET", f"{api}/releases", Action.STATISTICS_PUBLISH),
        Call("POST", f"{api}/releases", Action.STATISTICS_PUBLISH, json={"as_of": "2020-01-01"}),
        Call("GET", f"{api}/releases/{missing}", Action.STATISTICS_PUBLISH,
             f"{api}/releases/{{release_id}}"),
        Call("POST", f"{api}/releases/{missing}/publish", Action.STATISTICS_PUBLISH,
             f"{api}/releases/{{release_id}}/publish", json={}),
        Call("POST", f"{api}/releases/{missing}/withdraw", Action.STATISTICS_PUBLISH,
             f"{api}/releases/{{release_id}}/withdraw", json={}),
        Call("PUT", f"{api}/public", Action.STATISTICS_SWITCH, json={"enabled": False}),
        Call("GET", f"{page}/releases", Action.STATISTICS_PUBLISH),
        Call("POST", f"{page}/releases", Action.STATISTICS_PUBLISH, form={}),
        Call("GET", f"{page}/releases/{missing}", Action.STATISTICS_PUBLISH,
             f"{page}/releases/{{release_id}}"),
        Call("POST", f"{page}/releases/{missing}/publish", Action.STATISTICS_PUBLISH,
             f"{page}/releases/{{release_id}}/publish", form={}),
        Call("POST", f"{page}/releases/{missing}/withdraw", Action.STATISTICS_PUBLISH,
             f"{page}/releases/{{release_id}}/withdraw", form={}),
        Call("POST", f"{page}/public", Action.STATISTICS_SWITCH, form={"enabled": "off"}),
    ]


PUBLIC = {
    ("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("GET", "/login/second-factor"),
    ("POST", "/login/second-factor"), ("GET", "/login/enrol"), ("POST", "/login/enrol"),
    ("POST", "/logout"), ("POST", "/language"), ("POST", "/account/language"),
    ("POST", "/api/v1/auth/login"), ("POST", "/api/v1/auth/second-factor"),
    ("GET", "/api/v1/auth/enrolment"), ("POST", "/api/v1/auth/enrolment"),
    ("POST", "/api/v1/auth/logout"), ("GET", "/api/openapi.json"), ("GET", "/favicon.ico"),
    ("GET", "/public"), ("GET", "/api/v1/public/statistics"),
    ("GET", "/api/v1/public/statistics.csv"),
}
"""Routes before or around sign-in: they need no role (the second-factor ones need half
a session, logout and the language switch the session's CSRF token; the icon a browser
asks for on its own, before anyone signs in; the public statistics, which are for anyone)."""


def _declared(route: APIRoute) -> set[Action]:
    found: set[Action] = set()
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        action = getattr(dependant.call, "kinlink_action", None)
        if action is not None:
            found.add(action)
        stack.extend(dependant.dependencies)
    return found


def _send(person: Any, call: Call) -> int:
    role = person.role.value
    kwargs: dict[str, Any] = {"follow_redirects": False}
    if call.json is not None:
        kwargs["json"] = {k: v.replace("{role}", role) if isinstance(v, str) else v
                          for k, v in call.json.items()}
    if call.path.startswith("/api/"):
        kwargs["headers"] = person.headers
    if call.form is not None or call.upload:
        form = {k: v.replace("{role}", role) for k, v in (call.form or {}).items()}
        if not call.path.startswith("/api/"):
            form["csrf_token"] = person.csrf
        kwargs["data"] = form
    if call.upload:
        kwargs["files"] = {"file": (f"list-{role}.csv", LIST.encode(), "text/csv")}
    response = person.client.request(call.method, call.path, **kwargs)
    return int(response.status_code)


def _seeded(app: FastAPI, sign_in: SignIn, seed: Seed, second_agency: int) -> dict[str, Any]:
    services = app.state.services
    seed()
    source = seed(LIST, "with-errors.csv")
    victim = services.admin.create_user("test", "victim", UserRole.VIEWER, 1)
    uploader = sign_in(UserRole.CASE_WORKER)
    job = uploader.client.post("/api/v1/imports", headers=uploader.headers,
                               files={"file": ("job.csv", b"record_id,surname\nJ-1,Bondar\n")},
                               data={"link": "false", "kind": "list"})  # linked below
    services.jobs.wait()
    runs = list_runs(services.store,
                     Principal(uploader.user_id, uploader.username, uploader.role, 1).acting)
    seed(REVIEW_FOUND, "found.csv", SourceKind.ADOPTION_REGISTRY)
    match_store(services.store, actor="test")
    boss = Actor("test", UserRole.SUPERVISOR)
    open_missing_cases(services.store, boss)
    item = review_queue(services.store, boss, limit=1)[0]
    channel = create_channel(services.store, boss, "Matrix channel", ChannelKind.NGO,
                             [ListField.NAME_UK])
    listed = new_list(services.store, boss, channel.id).list
    case = list_cases(services.store, boss)[0].id
    task = add_task(services.store, boss, case, "Matrix task", dt.datetime.now(dt.UTC).date())
    document = upload_document(
        services.evidence, boss, b"%PDF-1.4\n%%EOF\n", "order.pdf",
        Attachment(AttachmentKind.CASE, case),
        {"collected_at": "2026-11-30T09:15+02:00", "collected_by": "matrix",
         "method": "scan", "device": "matrix scanner"})
    return {"user": victim.user.id, "agency": second_agency, "record": 1, "source": source,
            "run": min(r.id for r in runs if r.source_id == source), "job": job.json()["id"],
            "low": item.low.id, "high": item.high.id,
            "case": list_cases(services.store, boss)[0].id, "channel": channel.id,
            "list": listed.id, "answer": 999_999, "task": task.id, "document": document.id}


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    calls = _calls({"user": 1, "agency": 1, "record": 1, "run": 1, "source": 1, "job": "j",
                    "low": 1, "high": 2, "case": 1, "channel": 1, "list": 1, "answer": 1,
                    "task": 1})
    by_route = {(c.method, c.template): c.action for c in calls}
    problems = []
    served = list(served_routes(app))
    assert len(served) > 100, "the routes were not found: how FastAPI nests them changed"
    for method, path, route in served:
        key = (method, path)
        declared = _declared(route)
        if key in PUBLIC:
            if declared:
                problems.append(f"{key} is public but declares {declared}")
        elif key not in by_route:
            problems.append(f"{key} is in neither CALLS nor PUBLIC")
        elif declared != {by_route[key]}:
            problems.append(f"{key} declares {declared}, expected {by_route[key]}")
    assert not problems, "\n".join(problems)
    assert set(Action) == set(MATRIX)


def test_every_role_on_every_endpoint(app: FastAPI, sign_in: SignIn, seed: Seed,
                                      second_agency: int) -> None:
    ids = _seeded(app, sign_in, seed, second_agency)
    mismatches = []
    for role in UserRole:
        person = sign_in(role)
        for call in _calls(ids):
            status = _send(person, call)
            allowed = role in MATRIX[call.action]
            if allowed and status in (401, 403):
                mismatches.append(f"{role.value} {call.method} {call.path}: {status}, allowed")
            if not allowed and status != 403:
                mismatches.append(f"{role.value} {call.method} {call.path}: {status}, not 403")
        app.state.services.jobs.wait()
    assert not mismatches, "\n".join(mismatches)
    with app.state.services.store.transaction() as session:
        refused = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "access.refused")).scalars().all()
    expected = sum(1 for role in UserRole for c in _calls(ids) if role not in MATRIX[c.action])
    assert len(refused) == expected
    assert all(set(e.details) == {"action", "role"} for e in refused)
    assert {e.entity_id for e in refused} <= {c.template for c in _calls(ids)}


def test_unauthenticated_requests_get_401_or_the_sign_in_page(
        app: FastAPI, seed: Seed, second_agency: int) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(app)
    ids = {"user": 1, "agency": second_agency, "record": 1, "run": 1, "source": 1, "job": "j",
           "low": 1, "high": 2, "case": 1, "channel": 1, "list": 1, "answer": 1,
           "task": 1}
    for call in _calls(ids):
        response = client.request(call.method, call.path, follow_redirects=False,
                                  json=call.json, headers={"X-CSRF-Token": "x"})
        if call.path.startswith("/api/"):
            assert response.status_code in (401, 422), call.path
        else:
            assert response.status_code in (303, 422), call.path
            if response.status_code == 303:
                assert response.headers["location"] == "/login"
