"""The linkage model's page: what each finding weighs (a chart per field) and whether the
probabilities hold against people's decisions. JSON twin: ``/api/v1/model``."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from kinlink.accounts import SessionView
from kinlink.api.deps import allow
from kinlink.domain.permissions import Action
from kinlink.linkage import default_spec, model_card
from kinlink.matching import model_in_use
from kinlink.reports import check_scores
from kinlink.web import charts, i18n
from kinlink.web.forms import Svc
from kinlink.web.pages.common import pages
from kinlink.web.templating import request_language

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_LABEL = 26
"""Characters of an outcome's words shown beside its bar (the table has them whole)."""


_ENGINE = re.compile(r"^(?P<tool>\S+) (?P<version>\S+) on (?P<db>\S+) (?P<db_version>\S+)$")


def engine_words(engine: str, gettext: Callable[[str], str]) -> str:
    """The engine a model was trained with (``splink 5.0.0 on duckdb 2.0.1``, as the model
    keeps it) in the reader's words; names and versions as they are."""
    parts = _ENGINE.match(engine)
    if parts is None:
        return gettext("Trained with %(engine)s.") % {"engine": engine}
    return gettext("Trained with %(tool)s %(version)s on %(db)s %(db_version)s.") % \
        parts.groupdict()


def _short(text: str) -> str:
    return text if len(text) <= _LABEL else text[:_LABEL - 1].rstrip() + "…"


@router.get("/model", response_class=HTMLResponse)
def model_page(request: Request, svc: Svc,
               _view: Annotated[SessionView, Depends(allow(Action.MODEL_VIEW))]
               ) -> HTMLResponse:
    """The model the store's pairs are scored with, field by field, and its check. The
    rules a score never decides alone are listed once each: one rule covers several
    levels of a field (the siblings' rule, each kind of surname agreement) in the same
    words."""
    trained, kept = model_in_use(svc.store)
    card = model_card(default_spec(), trained)
    gettext = i18n.translations(request_language(request)).gettext
    fields = []
    for title, levels in groupby(card.levels, key=lambda level: level.comparison):
        shown = [level for level in levels if level.weight is not None]
        chart = charts.weights([(_short(gettext(lv.words)), lv.weight) for lv in shown],
                               gettext(title))
        fields.append((title, shown, chart))
    vetoes = list(dict.fromkeys(veto.words for veto in card.vetoes))
    return pages(request).render(request, "model.html", {
        "card": card, "kept": kept, "fields": fields, "check": check_scores(svc.store),
        "vetoes": vetoes, "engine": engine_words(card.engine, gettext),
        "json_twin": "/api/v1/model"})
