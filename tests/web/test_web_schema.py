"""Schemathesis against the OpenAPI schema: generated calls to every operation, valid
and invalid, must never get a server error, and every answer must match its documented
status, content type and schema (security.md §8 target 1, bounded here to a few
examples per operation so the suite stays quick; raise ``MAX_EXAMPLES`` locally).
The administration operations are called as an administrator, the others as a
supervisor."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from webhelpers import Person, Seed, SignIn

from kinlink.domain.users import UserRole

MAX_EXAMPLES = int(os.environ.get("KINLINK_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Caller:
    """Signed-in people for generated calls: an administrator for ``/admin``, a
    supervisor for the rest. Signs in again if a call ended the session (a generated
    password reset or role change may hit the caller)."""

    def __init__(self, sign_in: SignIn) -> None:
        self._sign_in = sign_in
        self.people: dict[UserRole, Person] = {
            role: sign_in(role) for role in (UserRole.SUPERVISOR, UserRole.ADMIN)}

    def kwargs(self, path: str) -> dict[str, Any]:
        role = UserRole.ADMIN if path.startswith("/api/v1/admin") else UserRole.SUPERVISOR
        if self.people[role].client.get("/api/v1/me").status_code == 401:
            self.people[role] = self._sign_in(role)
        person = self.people[role]
        return {"headers": person.headers,
                "cookies": {"kinlink": person.client.cookies.get("kinlink")}}


@pytest.fixture
def caller(sign_in: SignIn, seed: Seed) -> Caller:
    seed()
    return Caller(sign_in)


def _operations(app: FastAPI) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app).exclude(
        path="/api/v1/auth/logout")
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_calls_never_fail(app: FastAPI, caller: Caller, mode: GenerationMode) -> None:
    failures: list[str] = []
    for operation in _operations(app):

        @given(case=operation.as_strategy(mode))
        @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                             suppress_health_check=list(HealthCheck), database=None)
        def call(case: Any) -> None:
            response = case.call(**caller.kwargs(case.path))
            case.validate_response(response, checks=CHECKS)

        try:
            call()
        except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
            continue
        except Exception as exc:  # collected: one report for every operation
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
        app.state.services.jobs.wait()
    assert not failures, "\n\n".join(failures)
