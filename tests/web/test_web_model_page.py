"""The model page (issue 16): when the kept model was trained, in the reader's time zone
and format with the zone shown (the page showed ISO UTC) and with its offset in the
API; each rule a score never decides alone listed once (one line was repeated four
times)."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import FastAPI
from sqlalchemy import update
from webhelpers import SignIn

from kinlink.domain.users import UserRole
from kinlink.linkage import default_spec
from kinlink.linkage.model import packaged_model
from kinlink.storage.linkage import LinkageRepository
from kinlink.storage.linkage_tables import LinkageModelRow

TRAINED = dt.datetime(2026, 12, 2, 0, 37, 52, tzinfo=dt.UTC)
"""02:37 in Kyiv (winter, UTC+2), the day the page showed as 2026-12-02T00:37:52."""


def _keep_a_model(app: FastAPI) -> None:
    model = packaged_model()
    assert model is not None
    with app.state.services.store.transaction() as session:
        row = LinkageRepository(session).add_model(model.to_dict(), default_spec().to_dict(),
                                                   120, "duckdb", "operator")
        session.execute(update(LinkageModelRow).where(LinkageModelRow.id == row.id)
                        .values(trained_at=TRAINED))


def _items(html: str, list_id: str) -> list[str]:
    block = html.split(f'<ul id="{list_id}">')[1].split("</ul>")[0]
    return re.findall(r"<li>(.*?)</li>", block)


def test_the_model_page_gives_the_training_time_in_the_readers_zone(
        app: FastAPI, sign_in: SignIn) -> None:
    _keep_a_model(app)
    english = sign_in(UserRole.SUPERVISOR).client
    page = english.get("/model").text
    assert "trained by operator at 2 Dec 2026 02:37 UTC+02:00 on 120 records" in page
    assert "2026-12-02T00:37" not in page
    ukrainian = sign_in(UserRole.SUPERVISOR, language="uk").client.get("/model").text
    assert "02.12.2026 02:37 UTC+02:00" in ukrainian
    data = english.get("/api/v1/model").json()
    assert data["trained_by"] == "operator"
    assert dt.datetime.fromisoformat(data["trained_at"]) == TRAINED
    assert data["trained_at"].endswith(("Z", "+00:00"))


def test_each_rule_a_score_never_decides_alone_is_listed_once(
        app: FastAPI, sign_in: SignIn) -> None:
    vetoes = default_spec().vetoes
    distinct = list(dict.fromkeys(v.words for v in vetoes))
    assert len(distinct) < len(vetoes)  # several levels share one rule's words
    for language in ("en", "uk"):
        page = sign_in(UserRole.SUPERVISOR, language=language).client.get("/model").text
        shown = _items(page, "vetoes")
        assert len(shown) == len(set(shown)) == len(distinct)
