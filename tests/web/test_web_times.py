"""Every moment the JSON API gives has a time zone (RFC 3339, as its schema says).

SQLite gives stored times back naive; ``/api/v1/cases`` and ``/api/v1/children`` showed
them without an offset (found by schemathesis). Every GET endpoint of the API is called
on a store with data in every table the permission test seeds (cases, children, runs,
sources, users, mediation lists, answers), on SQLite and PostgreSQL, and every date-time
in every answer must carry one.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from test_web_permissions import _calls, _seeded
from webhelpers import Person, Seed, SignIn

from kinlink.domain.permissions import MATRIX
from kinlink.domain.users import UserRole

MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


def _moments(value: Any, where: str) -> list[tuple[str, str]]:
    """Every (place, text) in ``value`` that is a date and time."""
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _moments(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [m for i, v in enumerate(value) for m in _moments(v, f"{where}[{i}]")]
    if isinstance(value, str) and MOMENT.match(value):
        return [(where, value)]
    return []


MISSING = "999999"
"""The id the permission matrix gives routes it reaches without a real object."""

_FILES = ("/original", "/working-copy", "/image")
"""The routes that give a document's or a photograph's bytes, never JSON."""


def test_every_datetime_the_api_gives_has_an_offset(app: FastAPI, sign_in: SignIn,
                                                     seed: Seed, second_agency: int) -> None:
    ids = _seeded(app, sign_in, seed, second_agency)
    people: dict[UserRole, Person] = {}
    found: list[tuple[str, str]] = []
    for call in _calls(ids):
        if call.method != "GET" or not call.path.startswith("/api/") \
                or call.path.endswith(".csv"):
            continue
        role = next(r for r in (UserRole.ADMIN, UserRole.SUPERVISOR, *UserRole)
                    if r in MATRIX[call.action])
        person = people.get(role) or people.setdefault(role, sign_in(role))
        answer = person.client.get(call.path)
        if "/exports/" in call.path or "/pictures/" in call.path \
                or call.path.endswith(_FILES):
            continue  # a download: a file, not JSON
        if MISSING in call.path:
            continue  # the matrix asks about an object that does not exist: 404, no dates
        assert answer.status_code == 200, (call.path, answer.text)
        found += _moments(answer.json(), call.path)
    naive = [(where, text) for where, text in found if not OFFSET.search(text)]
    assert naive == []
    places = {where.split("[")[0].split(".")[0] for where, _ in found}
    for endpoint in ("/api/v1/cases", f"/api/v1/children/{ids['record']}", "/api/v1/imports",
                     "/api/v1/sources", "/api/v1/admin/users"):
        assert endpoint in places, f"no date-time seen in {endpoint}: {sorted(places)}"
