"""Services' messages: every wording raised anywhere in kinlink has its Ukrainian
translation, taking the same parameters; the catalogue has no empty or fuzzy entry; a
message is its English text and keeps its code and parameters (through pickling and
through a stored English text read back)."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
import string
from enum import StrEnum
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import kinlink
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.i18n import WORDINGS, Message, Wording, recognised
from kinlink.web import i18n
from kinlink.web.labels import LABELLED
from kinlink.web.messages import say

CATALOGUE = Path(i18n.__file__).parent / "locale" / "uk" / "LC_MESSAGES" / "messages.po"


def _every_wording() -> dict[str, Wording]:
    """Import every module of kinlink (so each registers its wordings); ``__main__``
    would run the command line."""
    for module in pkgutil.walk_packages(kinlink.__path__, "kinlink."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return dict(WORDINGS)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _catalogue() -> dict[str, tuple[str, bool]]:
    with CATALOGUE.open("rb") as handle:
        return {m.id: (m.string, m.fuzzy) for m in read_po(handle) if isinstance(m.id, str)
                and m.id}


def test_every_wording_has_a_ukrainian_translation_with_its_parameters() -> None:
    wordings = _every_wording()
    assert len(wordings) >= 60  # the import's, the workflow's, the name engine's, …
    catalogue = _catalogue()
    missing = sorted(w.template for w in wordings.values() if not catalogue.get(
        w.template, ("", False))[0])
    assert not missing, "run scripts/translations and translate: " + "; ".join(missing)
    unfit = sorted(w.code for w in wordings.values()
                   if _fields(catalogue[w.template][0]) != w.fields)
    assert not unfit, f"translations with other parameters than their English: {unfit}"


def test_no_entry_of_the_catalogue_is_empty_or_fuzzy() -> None:
    entries = _catalogue()
    assert sorted(k for k, (v, _) in entries.items() if not v) == []
    assert sorted(k for k, (_, fuzzy) in entries.items() if fuzzy) == []


def test_every_term_of_a_wording_has_labels() -> None:
    labelled = {kind for kind, _ in LABELLED}
    terms = {kind for w in _every_wording().values() for kind in w.terms.values()}
    assert terms
    assert terms <= labelled


def _sample(wording: Wording) -> dict[str, str | int | tuple[str, ...]]:
    values: dict[str, str | int | tuple[str, ...]] = {}
    for number, name in enumerate(sorted(wording.fields), start=7):
        kind: type[StrEnum] | None = wording.terms.get(name)
        values[name] = tuple(list(kind)[:2]) if kind else f"v{number}x"
    return values


def test_each_stored_english_text_is_read_back_as_its_message() -> None:
    for code, wording in _every_wording().items():
        message = wording(**_sample(wording))
        back = recognised(str(message))
        assert isinstance(back, Message), code
        assert back.code == code
        assert str(back) == str(message)
    assert recognised("written by a person, not a wording") == (
        "written by a person, not a wording")


def test_a_message_is_its_english_and_keeps_its_code_and_parameters() -> None:
    from kinlink.domain.cases import NEEDS_EVIDENCE

    message = NEEDS_EVIDENCE(current=CaseStatus.LOCATED, target=CaseStatus.IDENTITY_VERIFIED,
                             kinds=(EvidenceKind.DNA, EvidenceKind.DOCUMENTS))
    assert message == "located → identity_verified needs evidence: one of dna, documents"
    assert message.api_params() == {"current": "located", "target": "identity_verified",
                                    "kinds": ["dna", "documents"]}
    again = pickle.loads(pickle.dumps(message))
    assert isinstance(again, Message)
    assert again.code == "case.needs_evidence"
    uk = say(message, i18n.translations("uk").gettext)
    assert uk == ("перехід «місцеперебування встановлено» → «особу підтверджено» потребує "
                  "доказу: одного з таких — ДНК, документи")
    assert say(message, i18n.translations("en").gettext) == (
        "located → identity verified needs evidence: one of DNA, documents")


def test_a_wording_refuses_wrong_parameters_and_a_code_twice() -> None:
    from kinlink.domain.dates import NO_SUCH_DAY

    with pytest.raises(ValueError, match="takes"):
        NO_SUCH_DAY(day=31)
    with pytest.raises(ValueError, match="defined twice"):
        Wording(NO_SUCH_DAY.code, "again")


def test_a_translation_that_does_not_fit_falls_back_to_english() -> None:
    from kinlink.domain.dates import NO_SUCH_DAY

    broken = {NO_SUCH_DAY.template: "дня {den} немає"}.get
    message = NO_SUCH_DAY(day=31, month=2)
    assert say(message, lambda s: broken(s) or s) == "day 31 does not exist in month 2"
