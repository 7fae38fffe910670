"""One term per concept (issue 16, docs/glossary.md): the Ukrainian catalogue uses the
glossary's term and none of the synonyms it lists under "not"; permissions, the first
agency and the model's engine line are words in the reader's language."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from fastapi import FastAPI
from webhelpers import SignIn

from kinlink.domain.permissions import MATRIX
from kinlink.domain.users import UserRole
from kinlink.web.i18n import LOCALE_DIR

GLOSSARY = Path(__file__).parents[2] / "docs" / "glossary.md"
SYNONYMS = {  # a stem of a word the glossary refuses: the concept and its one term
    r"\bсоціальн\w* працівник": "case worker: кейс-менеджер",
    r"\bустанов": "agency: організація",
    r"\bагенці": "agency: організація",
    r"\bсупервіз": "supervisor: керівник",
    r"\bрецензент": "reviewer: перевіряльник",
    r"\bзаяв(?!ник)": "report: звернення",
    r"\bмедіатор": "mediator: посередник",
    r"\bкейс\b(?!-)": "case: справа",
}
INSTITUTION = {"the mother, a school, an office"}
"""Messages where the word is not the concept (an office one contacts is an установа)."""


def test_the_glossary_names_every_refused_synonym() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    for term in ("кейс-менеджер", "організація", "керівник", "перевіряльник", "звернення",
                 "посередник", "справа"):
        assert f"| {term}" in text or f" {term} |" in text, term


def test_the_catalogue_uses_one_term_per_concept() -> None:
    with (LOCALE_DIR / "uk" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    found = [(stem, message.id, message.string) for message in catalogue
             if message.id and message.id not in INSTITUTION
             for stem in SYNONYMS
             if re.search(stem, str(message.string), re.IGNORECASE)]
    assert found == []


def test_the_account_page_names_permissions_in_words(app: FastAPI, sign_in: SignIn) -> None:
    allowed = {a.value for a, roles in MATRIX.items() if UserRole.CASE_WORKER in roles}
    for language, words in (("en", "Search records"), ("uk", "Шукати записи")):
        page = sign_in(UserRole.CASE_WORKER, language=language).client.get("/account").text
        block = page.split('id="permissions">')[1].split("</ul>")[0]
        items = re.findall(r"<li>(.*?) <code", block)
        assert len(items) == len(allowed)
        assert words in items
        assert not any("." in item for item in items)  # words, not codes


def test_the_first_agency_and_the_engine_are_shown_in_the_readers_language(
        app: FastAPI, sign_in: SignIn) -> None:
    admin = sign_in(UserRole.ADMIN, language="uk").client
    assert "Головна організація" in admin.get("/admin/users").text
    assert "<td>Головна організація</td>" in admin.get("/admin/agencies").text
    english = sign_in(UserRole.ADMIN).client.get("/admin/agencies").text
    assert "Home agency" in english
    model = sign_in(UserRole.SUPERVISOR, language="uk").client.get("/model").text
    assert re.search(r"Навчена за допомогою splink [\d.]+ на duckdb [\d.]+\.", model)
