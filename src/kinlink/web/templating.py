"""Render pages: one Jinja2 environment per language, with gettext and our formats.

Each environment has the ``jinja2.ext.i18n`` extension with its language's catalogue
installed (so ``{% trans %}`` and ``_()`` translate), autoescaping on and undefined
names as errors. Templates get the signed-in session (``view``, or ``None``), the CSRF
token for their forms, ``can(action)`` from the permission matrix, the navigation, and
filters for partial dates, times, numbers and code labels in the reader's convention,
every service's :class:`~kinlink.i18n.Message` printed in the reader's language (the
environment's ``finalize``),
and ``list_title(title, kind)`` (the title of a list the registration form made, in the
reader's language).

Before sign-in, forms carry a token that is also set as a cookie (double submit); after
sign-in they carry the session's token.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from kinlink.accounts import SessionView
from kinlink.api.context import Services
from kinlink.domain.permissions import Action, allowed
from kinlink.domain.records import SourceKind
from kinlink.i18n import Message
from kinlink.web import i18n, labels, verdicts
from kinlink.web.messages import say

__all__ = ["LANG_COOKIE", "NAV", "NavItem", "Pages", "list_title", "request_language"]

LANG_COOKIE = "kinlink-lang"


@dataclass(frozen=True)
class NavItem:
    """An entry of the navigation: where, its label, the action it needs, its key."""

    path: str
    label: str
    action: Action
    key: str
    shown: bool = True


NAV = (
    NavItem("/search", i18n.N_("Search"), Action.RECORDS_SEARCH, "s"),
    NavItem("/records/new", i18n.N_("Register"), Action.RECORDS_REGISTER, "n"),
    NavItem("/dashboard", i18n.N_("Dashboard"), Action.DASHBOARD_VIEW, "d"),
    NavItem("/imports", i18n.N_("Imports"), Action.IMPORTS_VIEW, "i"),
    NavItem("/sources", i18n.N_("Lists"), Action.SOURCES_VIEW, "l"),
    NavItem("/review", i18n.N_("Review"), Action.REVIEW_VIEW, "r"),
    NavItem("/cases", i18n.N_("Cases"), Action.CASES_VIEW, "c"),
    NavItem("/tasks", i18n.N_("My tasks"), Action.CASES_WORK, "t"),
    NavItem("/documents", i18n.N_("Documents"), Action.DOCUMENTS_VIEW, "e"),
    NavItem("/channels", i18n.N_("Mediation"), Action.MEDIATION_VIEW, "m"),
    NavItem("/model", i18n.N_("Model"), Action.MODEL_VIEW, "o"),
    NavItem("/statistics/releases", i18n.N_("Statistics"), Action.STATISTICS_PUBLISH, "p"),
    NavItem("/admin/users", i18n.N_("Administration"), Action.ADMIN_USERS, "a"),
    NavItem("/admin/holds", i18n.N_("Holds and retention"), Action.HOLDS_VIEW, "k"),
)


def request_language(request: Request) -> str:
    """The reader's language: their session's, else the cookie's, else the browser's."""
    view = getattr(request.state, "session_view", None)
    if isinstance(view, SessionView) and view.language in i18n.LANGUAGES:
        return view.language
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    return i18n.best_language(request.headers.get("accept-language"))


def list_title(title: str | None, kind: str | None, gettext: Callable[[str], str]) -> str:
    """A list's title as a page shows it: a list the registration form made (kind
    ``form``) under the words of :data:`kinlink.web.labels.FORM_TITLES` translated by
    ``gettext`` (the title is kept as an internal label, the same in every language);
    any other list under the title it was given, as it was given (``—``: none)."""
    if title is None:
        return "—"
    if kind == SourceKind.FORM.value:
        words = labels.FORM_TITLES.get(title)
        if words is not None:
            return gettext(words)
    return title


class Pages:
    """The templates, ready in every language."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._environments = {lang: self._environment(lang) for lang in i18n.LANGUAGES}

    def _environment(self, language: str) -> Environment:
        catalogue = i18n.translations(language)

        def finalize(value: Any) -> Any:
            return say(value, catalogue.gettext) if isinstance(value, Message) else value

        env = Environment(loader=PackageLoader("kinlink.web", "templates"), autoescape=True,
                          extensions=["jinja2.ext.i18n"], undefined=StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, finalize=finalize)
        env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
        zone = self._services.settings.timezone

        def said(value: str | None) -> str | None:
            """A stored or plain English text in the reader's language: the catalogue's
            entry for it (a plain text marked ``N_`` somewhere), else a
            wording's message recognised from its English, else as it is."""
            if not value:
                return value
            if not isinstance(value, Message):
                translated = catalogue.gettext(value)
                if translated != value:
                    return translated
            found = i18n.recognised(value)
            return say(found, catalogue.gettext) if isinstance(found, Message) else value

        def label(table: str, code: str | None) -> str:
            if code is None:
                return "—"
            text = getattr(labels, table).get(code)
            return catalogue.gettext(text) if text else code

        env.filters.update(
            pdate=lambda v: i18n.partial_date(v, language),
            cdate=lambda v: i18n.calendar_date(v, language),
            when=lambda v: i18n.timestamp(v, language, zone),
            when_zoned=lambda v: i18n.timestamp(v, language, zone, zone_shown=True),
            num=lambda v: i18n.number(v, language),
            said=said)
        def verdict(field: Any) -> verdicts.VerdictWords:
            return verdicts.verdict_words(field.field, field.level, field.words,
                                          catalogue.gettext, getattr(field, "args", None))

        def shown(field: str, value: str | None) -> str:
            return verdicts.shown_value(field, value, language, catalogue.gettext)

        def agency(name: str | None) -> str:
            if name is None:
                return "—"
            return catalogue.gettext(name) if name == labels.DEFAULT_AGENCY else name

        def titled(title: str | None, kind: str | None) -> str:
            return list_title(title, None if kind is None else str(kind), catalogue.gettext)

        def percent(probability: float, marks: Sequence[float] = (), least: int = 1) -> str:
            return i18n.percent(probability, marks, language, least)

        env.globals.update(label=label, verdict=verdict, said=catalogue.gettext, shown=shown,
                           percent=percent,
                           list_title=titled, agency=agency,
                           language=language, languages=i18n.LANGUAGES)
        return env

    def render(self, request: Request, name: str, context: Mapping[str, Any] | None = None,
               status_code: int = 200) -> HTMLResponse:
        """The page ``name`` for this request, in the reader's language."""
        language = request_language(request)
        view = getattr(request.state, "session_view", None)
        full = view if isinstance(view, SessionView) and view.stage == "full" else None
        pre = None
        if not isinstance(view, SessionView):
            pre = request.cookies.get(self._services.pre_cookie) or secrets.token_urlsafe(32)
        values: dict[str, Any] = {
            "request": request, "view": full, "half": view if full is None else None,
            "csrf": view.csrf_token if isinstance(view, SessionView) else pre,
            "can": (lambda action: full is not None and allowed(full.role, Action(action))),
            "nav": [n for n in NAV if n.shown and full and not full.must_change_password
                    and allowed(full.role, n.action)],
            "path": request.url.path, "json_twin": None,
        }
        values.update(context or {})
        html = self._environments[language].get_template(name).render(values)
        response = HTMLResponse(html, status_code=status_code)
        if pre is not None and request.cookies.get(self._services.pre_cookie) != pre:
            response.set_cookie(self._services.pre_cookie, pre, httponly=True,
                                secure=self._services.settings.cookie_secure,
                                samesite="strict", path="/")
        return response
