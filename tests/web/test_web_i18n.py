"""Languages: every message of the pages is translated into Ukrainian, the committed
``.mo`` matches its ``.po``, dates keep their precision in each convention, and the
language can be switched before and after sign-in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import SignIn

from kinlink.domain.dates import PartialDate
from kinlink.domain.users import UserRole
from kinlink.web import i18n

WEB = Path(i18n.__file__).parent
CATALOGUE = WEB / "locale" / "uk" / "LC_MESSAGES"


def _extracted() -> set[str]:
    found = extract_from_dir(
        str(WEB), method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None})
    return {message if isinstance(message, str) else message[0]
            for _file, _line, message, _comments, _context in found}


def test_every_message_has_a_ukrainian_translation() -> None:
    with (CATALOGUE / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id: m.string for m in catalogue if m.id}
    missing = sorted(m for m in _extracted() if not translated.get(m))
    assert not missing, "run scripts/translations and translate: " + "; ".join(missing)


def _same(text: object) -> object:
    """A message's id or string as comparable: a plural one (a tuple in the ``.po``, a
    list read back from the ``.mo``) as a tuple."""
    return tuple(text) if isinstance(text, list | tuple) else text


def test_the_compiled_catalogue_is_up_to_date() -> None:
    with (CATALOGUE / "messages.po").open("rb") as handle:
        source = {_same(m.id): _same(m.string) for m in read_po(handle) if m.id and m.string}
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        compiled = {_same(m.id): _same(m.string) for m in read_mo(handle) if m.id}
    assert compiled == source, "run scripts/translations to compile messages.mo"


def test_partial_dates_keep_their_precision_in_each_convention() -> None:
    assert i18n.partial_date(PartialDate(2014, 3, 12), "uk") == "12.03.2014"
    assert i18n.partial_date(PartialDate(2014, 3), "uk") == "03.2014"
    assert i18n.partial_date(PartialDate(2014), "uk") == "2014"
    assert i18n.partial_date(PartialDate(2014, 3, 12), "en") == "12 Mar 2014"
    assert i18n.partial_date(PartialDate(2014, 3), "en") == "Mar 2014"
    assert i18n.partial_date(PartialDate(2014), "en") == "2014"
    assert i18n.partial_date(None, "en") == "—"
    moment = dt.datetime(2026, 11, 26, 10, 5, tzinfo=dt.UTC)
    assert i18n.timestamp(moment, "uk", "Europe/Kyiv") == "26.11.2026 12:05"
    assert i18n.timestamp(moment, "en", "UTC") == "26 Nov 2026 10:05"
    assert i18n.best_language("en-GB,en;q=0.9") == "en"
    assert i18n.best_language("ru-RU") == "uk"
    assert i18n.best_language(None) == "uk"


def test_switching_language_before_and_after_sign_in(app: FastAPI, sign_in: SignIn) -> None:
    client = TestClient(app)
    page = client.get("/login", headers={"accept-language": "en"})
    assert "Sign in" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client.post("/language", data={"language": "uk", "csrf_token": token.group(1)})
    assert "Увійти" in client.get("/login", headers={"accept-language": "en"}).text
    person = sign_in(UserRole.CASE_WORKER, language="en")
    assert "Search for a child" in person.client.get("/search").text
    switched = person.client.post("/account/language", follow_redirects=False,
                                  data={"language": "uk", "csrf_token": person.csrf,
                                        "back": "/dashboard"})
    assert switched.headers["location"] == "/dashboard"
    assert "Пошук дитини" in person.client.get("/search").text
    assert person.client.get("/api/v1/me").json()["language"] == "uk"
    assert person.client.post("/account/language", follow_redirects=False, data={
        "language": "en", "csrf_token": person.csrf, "back": "//evil.example"}
    ).headers["location"] == "/search"
