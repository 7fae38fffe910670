"""The store of a case worker's first day (issue 15's done-means), shared by the walks
through the pages, the API and the command line.

What ``make run`` leaves: the demo lists imported, linked with the model trained on them,
and the cases opened; then the demo accounts (``kinlink users create-demo``). On top, the
lists of this day: a Russian camp list with Петренко Ярослав Олегович born 14.05.2014, and
two dozen other Петренко children reported missing from Херсон, so that a search for the
Latin "Petrenko" fills three pages of ten and Ярослав, last by name, is on the third.

The mother on the hotline knows only the year of birth (2014): her report and the camp
list's entry are a candidate pair for a person to confirm, not an automatic link; the
birth certificate she brings later gives the day, and the case worker corrects the
report with that reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kinlink.config import Settings
from kinlink.demo.generator import DemoConfig, generate
from kinlink.domain.access import HOME_AGENCY_ID, Actor
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest
from kinlink.storage import Store, open_store
from kinlink.usecases.demo_accounts import DemoAccounts, create_demo_accounts
from kinlink.usecases.importing import import_list
from kinlink.usecases.linking import link_store

OPERATOR = Actor("operator", UserRole.ADMIN, HOME_AGENCY_ID)
"""Who runs ``make run`` on the server (imports as the demo does, at the command line)."""
LISTS = Actor("operator", UserRole.SUPERVISOR, HOME_AGENCY_ID)

FOUND_RU = (
    "№,Фамилия,Имя,Отчество,Дата рождения,Место рождения,Пол\n"
    "1,Петренко,Ярослав,Олегович,14.05.2014,Херсон,м\n"
    "2,Сидоренко,Мария,Петровна,01.07.2013,Херсон,ж\n"
)
"""A camp list in Russian with the child the mother is looking for."""

OTHERS = ("Андрій", "Богдан", "Василь", "Віктор", "Геннадій", "Дмитро", "Захар", "Кирило",
          "Лев", "Максим", "Назар", "Олег", "Остап", "Павло", "Роман", "Сергій", "Степан",
          "Тарас", "Федір", "Юліан", "Юрій", "Андріан", "Борис", "Вадим")
REPORTS_UK = ("record_id,прізвище,ім'я,дата народження,стать,місце народження\n"
              + "".join(f"P-{i},Петренко,{name},{1 + i:02d}.0{1 + i % 9}.{2003 + i % 8},ч,"
                        "Херсон\n" for i, name in enumerate(OTHERS)))
"""Two dozen other Петренко children reported missing (born 2003–2010, none in 2014)."""

REPORT = {"surname": "Петренко", "given_name": "Ярослав", "patronymic": "Олегович",
          "sex": "M", "birth_date": "2014", "birth_place": "Херсон",
          "last_known_place": "Херсон", "event_date": "11.2022",
          "documents": "свідоцтво про народження",
          "reporter_name": "Петренко Олена", "reporter_relationship": "мати",
          "reporter_contact": "+380501234567"}
"""The mother's report as the case worker types it (only the year of birth)."""
BIRTH_DATE = "14.05.2014"
"""The day of birth the certificate shows, typed in the correction."""
LATIN = "Petrenko"


def build_day(folder: Path, settings: Settings | None = None, *,
              language: str = "uk") -> tuple[Settings, DemoAccounts]:
    """The day's store in ``folder`` (or on ``settings``' database): the demo lists linked,
    the demo accounts made (speaking ``language``), the day's two lists imported and
    linked with the kept model."""
    settings = settings or Settings(data_dir=folder / "data", database_url=None,
                                    cookie_secure=False)
    store = open_store(settings)
    try:
        for item in generate(folder / "demo", DemoConfig(children=300)):
            import_list(store, LISTS, ImportRequest(
                path=item.path, imported_by="operator", kind=SourceKind(item.kind),
                role=Role(item.role), title=item.title, producer=item.producer), link=False)
        link_store(store, LISTS)
        accounts = create_demo_accounts(store, OPERATOR, language)
        _import(store, folder / "camp-ru.csv", FOUND_RU, SourceKind.CAMP_LIST)
        _import(store, folder / "reports-uk.csv", REPORTS_UK, SourceKind.FAMILY_REPORTS)
    finally:
        store.dispose()
    return settings, accounts


def _import(store: Store, path: Path, text: str, kind: SourceKind) -> None:
    path.write_text(text, encoding="utf-8")
    import_list(store, LISTS, ImportRequest(path=path, imported_by="operator", kind=kind,
                                            received_on=dt.date(2026, 12, 1)))


def demo_worker(accounts: DemoAccounts) -> tuple[str, str, str]:
    """The demo case worker's username, generated password and second-factor secret."""
    made = next(a for a in accounts.created if a.user.role is UserRole.CASE_WORKER)
    return made.user.username, made.password or "", made.totp_secret or ""
