"""The domain's enums are the only vocabulary, and every member people see has words in
English and Ukrainian."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from enum import StrEnum

import pytest

import kinlink.domain
from kinlink.web.i18n import translations
from kinlink.web.labels import LABELLED

NOT_SHOWN = {
    "Precision": "a partial date's precision is shown by how the date is written",
    "AnswerAction": "each way to settle an answer is a button with its own words",
    "SourceState": "a source still being imported is shown to nobody",
    "DocumentType": "a document's type is shown by its format's name (PDF, PNG…), plain "
                    "text in words (labels.DOC_TYPES)",
    "DerivedKind": "a derived artefact is shown by what it is on the document page (the "
                   "working copy, the text), never by its kind",
}


def _domain_enums() -> dict[str, type[StrEnum]]:
    found: dict[str, type[StrEnum]] = {}
    for info in pkgutil.iter_modules(kinlink.domain.__path__, "kinlink.domain."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (inspect.isclass(value) and issubclass(value, StrEnum)
                    and value.__module__ == info.name):
                found[value.__name__] = value
    return found


def test_every_enum_of_the_domain_has_a_table_of_labels() -> None:
    labelled = {enum.__name__ for enum, _ in LABELLED}
    missing = set(_domain_enums()) - labelled - set(NOT_SHOWN)
    assert not missing, f"give these enums a table in kinlink.web.labels: {sorted(missing)}"


@pytest.mark.parametrize(("enum", "table"), LABELLED, ids=[e.__name__ for e, _ in LABELLED])
def test_every_member_has_a_label_in_english_and_ukrainian(
        enum: type[StrEnum], table: dict[str, str]) -> None:
    assert set(table) == {member.value for member in enum}
    ukrainian = translations("uk")
    for member in enum:
        english = table[member.value]
        assert english.strip()
        assert ukrainian.gettext(english) != english, f"{enum.__name__}.{member.name}"
