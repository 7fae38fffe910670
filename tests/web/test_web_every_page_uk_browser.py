"""A walk in a real browser (Debian's chromium) through every page a person can reach,
in Ukrainian and in English (issue 16: "a browser walk through every page in Ukrainian
finds no English word outside a list of allowed ones").

The store is a case worker's first day (``tests/dayworld.py``: the demo lists linked, the
demo accounts, the day's lists) with a mediation list sent and answered and an upload
made on the page. Each role that sees different pages signs in speaking the language
walked: the case worker, the supervisor, the analyst, the mediation liaison and the
administrator; someone without a second factor sees the enrolment page.

Ukrainian: on every page the visible text (``inner_text("body")``) is split into words;
a word in Latin letters fails the walk unless it is the data's own (a value of the
store's records, lists, answers, file names, user names: what people typed or imported,
never the interface) or in ``ALLOWED`` (product names, units, codes). Text inside an
element whose ``lang`` is not Ukrainian (the "English" language button) or marked
``translate="no"`` is not the interface's Ukrainian and is left out.

English: lighter — the headings, the navigation, the buttons and labels carry no
Cyrillic word that is not the data's own.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect
from webhelpers import CHROMIUM, LiveServer, sign_in_page

from kinlink.domain.access import HOME_AGENCY_ID, Actor
from kinlink.domain.users import UserRole
from kinlink.server import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

ALLOWED = frozenset({
    "kinlink",  # the product's name
    "totp", "otpauth", "sha",  # the second factor's standard and its URI scheme; SHA-256
    "csv", "xlsx", "utf", "pdf", "png", "jpeg",  # file formats and encodings
    "tiff", "heic", "heif", "html", "mhtml", "warc", "docx",  # evidence document formats
    "duckdb", "splink", "sqlite", "postgresql", "api",  # the engines the model page names
    "kl",  # the references on mediation lists (KL-XXXX-XXXX)
    "e",  # the reference of an unforeseen failure (E-…)
    "m", "u",  # the model's m and u probabilities (standard names, on the model page)
    "kmu",  # the Ukrainian transliteration standard's name (KMU 2010)
    "icao", "bgn", "pcgn", "gost", "iso",  # other transliteration standards
    "mb", "kb", "gb",  # units
    "json", "zip",  # formats of a page's twin and of an export
    "abcdef", "qwerty",  # sequences a password may not be, as typed on a keyboard
    "surname",  # a list's column, named in the import's messages ("given_name, surname
    # or full_name"); the other columns' names have an underscore
    "aegis", "freeotp", "google", "authenticator",  # authenticator apps named on enrolment
    "bagit",  # the standard an evidence bundle follows (RFC 8493), named on /evidence/verify
    "phash", "dhash",  # the perceptual hashes' standard names, on /photographs
})
"""Latin words the Ukrainian interface may show: names of products, standards and
formats, units and codes — never a word of the interface."""

DATA_COLUMNS = {
    "records": ("record_id", "raw", "given_name", "surname", "patronymic", "full_name",
                "birth_place", "last_known_place", "source_text", "notes", "extra",
                "institution", "move_group"),
    "sources": ("title", "producer", "original_filename"),
    "reporters": ("name", "relationship", "contact"),
    "import_runs": ("original_filename",),
    "import_jobs": ("file",),
    "users": ("username",),
    "channels": ("name", "description"),
    "mediation_lists": ("note",),
    "answer_imports": ("file_name",),
    "answer_rows": ("values", "status_text"),
    "record_versions": ("fields",),
    "documents": ("filename", "from_person", "device", "source_url", "description"),
}
"""What people typed or imported, which pages show as it is (in any script); besides,
in every table, who did something (a column ``…_by`` or ``actor``: a user name)."""

TOUR = os.environ.get("KINLINK_TOUR", "")
"""A folder: the walk saves there a picture of each page of ``TOUR_PAGES`` in its
language (``scripts/tour-screenshots`` sets it; the tests leave it unset)."""
TOUR_PAGES = {
    "/login": "sign-in", "/login/second-factor": "second-factor",
    "/login/enrol": "enrol", "/account (choose a password)": "own-password",
    "/dashboard": "dashboard", "/search?q=Petrenko": "search",
    "/records/{record}": "record", "/records/new": "register",
    "/records/{record}/edit": "correct", "/records/{record}/versions/1": "version",
    "/children/{record}": "child", "/children/{record}/identities": "identities",
    "/review": "review", "/cases": "cases", "/cases/{case}": "case", "/tasks": "tasks",
    "/sources": "sources", "/model": "model", "/account": "account", "/imports": "imports",
    "/imports/preview/{token}": "import-preview", "/imports/jobs/{job}": "import-job",
    "/imports/{run}": "import-run",
    "/no-such-page": "not-found", "/admin/users": "not-allowed", "/channels": "channels",
    "/channels/{channel}": "channel", "/lists/new?channel={channel}": "list-new",
    "/lists/{list}": "list",
    "/lists/{list}/answers": "answers", "/admin/users (admin)": "admin-users",
    "/admin/users/{user} (admin)": "admin-user", "/admin/agencies (admin)": "agencies",
    "/documents": "documents", "/documents/new?case={case}": "document-new",
    "/documents/{document}": "document", "/review/mentions": "mentions",
    "/photographs": "photographs", "/evidence/verify": "evidence-verify",
    "/cases/{case}#bundle": "case-bundle",
    "/statistics/releases/{release}": "statistics-release", "/public": "public",
    "/admin/retention (admin)": "retention", "/erase?kind=record&id={record}": "erase",
}
"""The pages of the README's tour: the walk's name of each and its picture's."""

KEYS = re.compile(r"^(Alt|Ctrl|Shift)\+\w\W*$")
"""A key combination (Alt+R): keys are named as they are printed on the keyboard."""
SNAKE = re.compile(r"[A-Za-z]_[A-Za-z]|^KL-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
"""A name with an underscore (given_name) is a column's or a field's code; KL-… is
the reference of a child on a mediation list."""
LATIN = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]+")
"""Latin letters (the signs × and ÷ among them are not: "200 × 150")."""
CYRILLIC = re.compile(r"[\u0400-\u04FF]+")
UPLOAD = ("record_id,прізвище,ім'я,дата народження,стать,місце народження,де тепер\n"
          "K-1,Шевчук,Марія,05.2016,ж,Маріуполь,Таганрог\n"
          "K-2,Бойко,Ганна,31.02.2015,ж,Херсон,\n"
          "K-3,,,2014,ч,,\n")
"""A list to upload; its last header kinlink does not recognise (mapped on the preview)."""


TYPED = {"petrenko"}
"""What the walk types in Latin letters (a search), shown back as typed."""


def words(text: str, pattern: re.Pattern[str]) -> Counter[str]:
    """The words of ``pattern``'s script in ``text``, lower-cased; a token with a digit
    (a date, an id, a reference, a UUID), a key combination or an underscore is a code,
    not a word."""
    found: Counter[str] = Counter()
    for token in text.split():
        if not (any(char.isdigit() for char in token) or KEYS.match(token)
                or SNAKE.search(token)):
            found.update(word.lower() for word in pattern.findall(token))
    return found


def data_words(store: Any) -> set[str]:
    """Every word of the store's data values (``DATA_COLUMNS``), in any script."""
    from sqlalchemy import inspect, text

    found: set[str] = set()
    with store.transaction() as session:
        present = set(inspect(session.get_bind()).get_table_names())
        for table in sorted(present):
            known = [c["name"] for c in inspect(session.get_bind()).get_columns(table)]
            chosen = [c for c in known if c in DATA_COLUMNS.get(table, ())
                      or c.endswith("_by") or c == "actor"]
            if not chosen:
                continue
            quoted = ", ".join(f'"{c}"' for c in chosen)
            for row in session.execute(text(f"SELECT {quoted} FROM {table}")):
                for value in row:
                    for flat in _values(value):
                        found.update(w.lower() for w in LATIN.findall(flat))
                        found.update(w.lower() for w in CYRILLIC.findall(flat))
    return found


def _values(value: object) -> Iterator[str]:
    """The texts of a stored value; of a JSON object its values only (its keys are the
    list's column names, which the pages translate)."""
    if isinstance(value, str) and value[:1] in "[{":
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    elif value is not None:
        yield str(value)


@dataclass
class Account:
    username: str
    password: str
    secret: str


@dataclass
class World:
    """The live app and what the walk visits."""

    app: Any
    base: str
    language: str
    accounts: dict[UserRole, Account]
    newcomer: Account
    first: Account
    folder: Path = Path()
    ids: dict[str, int] = field(default_factory=dict)


def _mediation(store: Any, folder: Path) -> tuple[int, int]:
    """A channel and a list sent through it with an answer imported: their ids."""
    from kinlink.domain.cases import CaseStatus, EvidenceKind
    from kinlink.domain.mediation import ChannelKind, ExportFormat, ListField
    from kinlink.domain.records import Role as RecordRole
    from kinlink.usecases.answers import import_answers
    from kinlink.usecases.cases import advance_case, list_cases, read_case
    from kinlink.usecases.channels import create_channel
    from kinlink.usecases.lists import add_to_list, export_list, new_list, read_list, send_list

    worker = Actor("walk", UserRole.CASE_WORKER, HOME_AGENCY_ID)
    cases: list[int] = []
    for case in list_cases(store, worker, status=CaseStatus.REPORTED, limit=400):
        found = read_case(store, worker, case.id)
        if (not any(r.role == RecordRole.FOUND for r in found.records)
                or found.child.in_conflict):
            continue
        advance_case(store, worker, case.id, case.version, CaseStatus.LOCATED,
                     "у списку знайдених дітей")
        advance_case(store, worker, case.id, case.version + 1, CaseStatus.IDENTITY_VERIFIED,
                     "свідоцтво про народження", EvidenceKind.DOCUMENTS, f"BC-{case.id}")
        cases.append(case.id)
        if len(cases) == 3:
            break
    channel = create_channel(store, Actor("walk", UserRole.SUPERVISOR, HOME_AGENCY_ID),
                             "Посередник", ChannelKind.STATE_MEDIATOR,
                             [ListField.NAME_UK, ListField.NAME_RU, ListField.SEX,
                              ListField.BIRTH_DATE, ListField.BIRTH_PLACE])
    liaison = Actor("walk", UserRole.MEDIATOR_LIAISON, HOME_AGENCY_ID)
    draft = new_list(store, liaison, channel.id, "перший раунд").list
    add_to_list(store, liaison, draft.id, cases)
    export_list(store, liaison, draft.id, [ExportFormat.XLSX])
    send_list(store, liaison, draft.id, read_list(store, liaison, draft.id).list.version)
    sent = [(child.reference, child.values)
            for child in read_list(store, liaison, draft.id).children]
    rows = [["reference", "full_name", "birth_date", "status", "comment"]]
    for reference, values in sent[:2]:
        rows.append([reference, values.get(ListField.NAME_RU, ""),
                     values.get(ListField.BIRTH_DATE, ""), "найден", ""])
    rows.append(["", "СИДОРЕНКО Кирилл Павлович", "03.04.2011", "найден", ""])
    answer = folder / "answer.csv"
    with answer.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    import_answers(store, liaison, draft.id, answer.name, answer.read_bytes())
    return channel.id, draft.id


def _world(folder: Path, language: str) -> Iterator[World]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from dayworld import build_day
    from kinlink.usecases.cases import list_cases

    settings, made = build_day(folder, language=language)
    app = create_app(settings)
    services = app.state.services
    accounts: dict[UserRole, Account] = {}
    for account in made.created:
        accounts[account.user.role] = Account(account.user.username, account.password or "",
                                              account.totp_secret or "")
    for role in (UserRole.ADMIN, UserRole.ANALYST, UserRole.MEDIATOR_LIAISON):
        user = services.admin.create_user("walk", f"walk-{role.value.replace('_', '-')}",
                                          role, HOME_AGENCY_ID, language,
                                          with_second_factor=True)
        accounts[role] = Account(user.user.username, user.password or "",
                                 user.totp_secret or "")
    first = services.admin.create_user("walk", "walk-first", UserRole.CASE_WORKER,
                                       HOME_AGENCY_ID, language, with_second_factor=True)
    fresh = services.admin.create_user("walk", "walk-newcomer", UserRole.VIEWER,
                                       HOME_AGENCY_ID, language)
    store = services.store
    channel, listed = _mediation(store, folder)
    boss = Actor("walk", UserRole.SUPERVISOR, HOME_AGENCY_ID)
    first_cases = list(list_cases(store, boss, limit=2))
    case = first_cases[0]
    document = _document(services.evidence, boss, case.id)
    _mentioning(services.evidence, boss, case.sought_record_pk)
    _photographs(services.evidence, boss, [c.id for c in first_cases])
    with LiveServer(app) as server:
        world = World(app, server.url, language, accounts,
                      Account(fresh.user.username, fresh.password or "", ""),
                      Account(first.user.username, first.password or "",
                              first.totp_secret or ""), folder,
                      {"case": case.id, "record": case.sought_record_pk,
                       "channel": channel, "list": listed,
                       "user": fresh.user.id, "document": document})
        yield world
    services.jobs.shutdown()
    store.dispose()


def _document(evidence: Any, actor: Actor, case: int) -> int:
    """A scan kept on the case (its working copy made), as a family handed it over."""
    import io

    from PIL import Image

    from kinlink.domain.documents import Attachment, AttachmentKind
    from kinlink.usecases.documents import upload_document

    out = io.BytesIO()
    Image.new("RGB", (60, 80), "ivory").save(out, "PNG")
    return upload_document(evidence, actor, out.getvalue(), "свідоцтво.png",
                           Attachment(AttachmentKind.CASE, case),
                           {"collected_at": "2026-11-30T09:15+02:00",
                            "collected_by": "Ірина", "method": "scan",
                            "from_person": "бабуся", "languages": ["uk"],
                            "description": "свідоцтво про народження"}).id


def _mentioning(evidence: Any, actor: Actor, record: int) -> None:
    """A news page naming the case's sought child, kept in the inbox: its mention waits
    on ``/review/mentions``."""
    from kinlink.domain.documents import Attachment, AttachmentKind
    from kinlink.storage.tables import RecordRow
    from kinlink.usecases.documents import upload_document
    from kinlink.usecases.mentions import mention_queue

    with evidence.store.transaction() as session:
        row = session.get(RecordRow, record)
        name = f"{row.given_name} {row.surname}"
    page = (f"<html><body><p>За даними омбудсмана, з Маріуполя вивезли дитину: {name}."
            "</p></body></html>")
    upload_document(evidence, actor, page.encode(), "новини.html",
                    Attachment(AttachmentKind.INBOX, None),
                    {"collected_at": "2026-11-30T09:15+02:00", "collected_by": "Ірина",
                     "method": "download", "source_url": "https://example.org/news"})
    assert mention_queue(evidence, actor), "the news page names no child the walk can see"


def _photographs(evidence: Any, actor: Actor, cases: list[int]) -> None:
    """The same photograph (a PNG) on two cases, the second resized: a flag waits on
    ``/photographs``."""
    import io

    import numpy as np
    from PIL import Image

    from kinlink.domain.documents import Attachment, AttachmentKind
    from kinlink.usecases.documents import upload_document
    from kinlink.usecases.photo_flags import list_photo_flags

    small = np.random.default_rng(11).integers(0, 256, (6, 8, 3), dtype=np.uint8)
    large = Image.fromarray(small).resize((640, 480), Image.Resampling.BICUBIC)
    for case, size, name in zip(cases, ((320, 240), (200, 150)),
                                ("фото-родини.png", "фото-профілю.png"), strict=True):
        out = io.BytesIO()
        large.resize(size, Image.Resampling.LANCZOS).save(out, "PNG")
        upload_document(evidence, actor, out.getvalue(), name,
                        Attachment(AttachmentKind.CASE, case),
                        {"collected_at": "2026-11-30T09:15+02:00", "collected_by": "Ірина",
                         "method": "download", "source_url": "https://example.org/profile"})
    assert list_photo_flags(evidence, actor), "the resized photograph was not flagged"


@pytest.fixture(scope="module", params=["uk", "en"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    folder = tmp_path_factory.mktemp(f"walk-{request.param}")
    yield from _world(folder, request.param)


TEXT_OUTSIDE_OTHER_LANGUAGES = """(language) => {
  const body = document.body.innerText;
  const others = [...document.querySelectorAll('body [lang], body [translate="no"]')]
    .filter(el => el.getAttribute('translate') === 'no'
                  || !el.getAttribute('lang').toLowerCase().startsWith(language))
    .filter(el => !el.parentElement.closest('[lang]:not(html)') ||
                  el.parentElement.closest('[lang]:not(html)') === el);
  return [body, others.map(el => el.innerText)];
}"""

LIGHT_TEXT = """() => [...document.querySelectorAll(
  'h1, h2, h3, nav, button, label, th, title, summary, legend')]
  .filter(el => !el.closest('[lang]:not(html)') ||
                el.closest('[lang]:not(html)').lang === document.documentElement.lang)
  .filter(el => !el.closest('[translate="no"]'))
  .map(el => el.innerText || el.textContent)"""


def ui_words(page: Page, language: str, pattern: re.Pattern[str]) -> dict[str, str]:
    """The words of ``pattern``'s script the page shows in ``language``'s interface,
    each with the first line of text it is on."""
    if language == "uk":
        body, others = page.evaluate(TEXT_OUTSIDE_OTHER_LANGUAGES, language)
        found = words(body, pattern)
        for text in others:
            found.subtract(words(text, pattern))
        lines = body.splitlines()
    else:
        lines = [line for text in page.evaluate(LIGHT_TEXT) for line in text.splitlines()]
        found = Counter(word for line in lines for word in words(line, pattern))
    return {word: next((line.strip() for line in lines if word in words(line, pattern)), "")
            for word in +found}


class Walk:
    """Visits pages and keeps the foreign words found on each."""

    def __init__(self, world: World, language: str, page: Page) -> None:
        self.world, self.language, self.page = world, language, page
        self.pattern = LATIN if language == "uk" else CYRILLIC
        self.found: list[tuple[str, str, str]] = []
        self.seen: list[str] = []

    def look(self, name: str, *, loaded: bool = False) -> None:
        """Record the foreign words of the page open now (and, with ``KINLINK_TOUR``
        set, a picture of it for the README's tour). After a click or a key the walk
        waits for the network to rest (half a second without a request: the navigation
        the action started has ended); a page opened by ``goto`` is ``loaded`` already
        (its load event has fired, and no page fetches text after it)."""
        if not loaded:
            self.page.wait_for_load_state("networkidle")
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)
        self.seen.append(name)
        if TOUR and name in TOUR_PAGES:
            folder = Path(TOUR)
            folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(folder / f"{TOUR_PAGES[name]}-{self.language}.png"))
        for word, line in sorted(ui_words(self.page, self.language, self.pattern).items()):
            if word not in ALLOWED:
                self.found.append((name, word, line))

    def visit(self, path: str, name: str | None = None) -> None:
        """Open ``path`` (``{record}``… replaced by the world's ids) and look at it."""
        self.page.goto(f"{self.world.base}{path.format(**self.world.ids)}")
        self.look(name or path, loaded=True)


def sign_in(browser: Browser, world: World, role: UserRole) -> Page:
    account = world.accounts[role]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{world.base}/login")
    page.click(f"button[name=language][value={world.language}]")
    account.password = sign_in_page(page, world.base, account.username, account.password,
                                    account.secret)
    return page


def _verify_results(walk: Walk, page: Page) -> None:
    """The case's bundle made on its page, then checked on /evidence/verify: intact, and
    with one file removed (the findings in the reader's language)."""
    world = walk.world
    page.goto(f"{world.base}/cases/{world.ids['case']}#bundle")
    with page.expect_download() as made:
        page.click("#bundle-form button[type=submit]")
    bundle = world.folder / "bundle.zip"
    made.value.save_as(bundle)
    broken = world.folder / "broken.zip"
    with zipfile.ZipFile(bundle) as archive, zipfile.ZipFile(broken, "w") as changed:
        for info in archive.infolist():
            if not info.filename.endswith("case-history.jsonl"):
                changed.writestr(info, archive.read(info))
    for upload, name in ((bundle, "/evidence/verify (intact)"),
                         (broken, "/evidence/verify (altered)")):
        page.goto(f"{world.base}/evidence/verify")
        page.set_input_files("#v-file", str(upload))
        page.click("#verify-form button[type=submit]")
        page.wait_for_selector("#findings")
        walk.look(name)
    expect(page.locator("#finding-list")).to_contain_text("case-history.jsonl")


def _walk(world: World, browser: Browser) -> Walk:
    lang = world.language
    anonymous = browser.new_page(viewport={"width": 1280, "height": 900})
    walk = Walk(world, lang, anonymous)
    anonymous.goto(f"{world.base}/login")
    anonymous.click(f"button[name=language][value={lang}]")
    walk.look("/login")
    account = world.accounts[UserRole.CASE_WORKER]
    anonymous.fill("#username", account.username)
    anonymous.fill("#password", "wrong password")
    anonymous.keyboard.press("Enter")
    walk.look("/login (refused)")
    anonymous.goto(f"{world.base}/login")
    anonymous.fill("#username", world.newcomer.username)
    anonymous.fill("#password", world.newcomer.password)
    anonymous.keyboard.press("Enter")
    anonymous.wait_for_url("**/login/enrol")
    walk.look("/login/enrol")
    anonymous.close()

    account = world.first  # one who signs in for the first time
    second = browser.new_page(viewport={"width": 1280, "height": 900})
    walk.page = second
    second.goto(f"{world.base}/login")
    second.click(f"button[name=language][value={lang}]")
    second.fill("#username", account.username)
    second.fill("#password", account.password)
    second.keyboard.press("Enter")
    second.wait_for_url("**/login/second-factor")
    walk.look("/login/second-factor")
    second.fill("#code", pyotp.TOTP(account.secret).now())
    second.keyboard.press("Enter")
    second.wait_for_url("**/account")
    walk.look("/account (choose a password)")
    second.close()

    # the case worker: casework, search, review, registration, imports
    page = sign_in(browser, world, UserRole.CASE_WORKER)
    walk.page = page
    record = world.ids["record"]
    for path in ("/dashboard", "/search", "/search?q=Petrenko", "/search?q=Петренко+2014",
                 "/search?q=Петренко&born_from=2014&born_to=2013", "/records/{record}",
                 "/records/new", "/records/{record}/edit", "/children/{record}",
                 "/children/{record}/identities", "/review", "/review?record={record}",
                 "/cases", "/cases?q=Petrenko", "/cases/{case}", "/tasks",
                 "/sources", "/model", "/account", "/imports",
                 "/no-such-page", "/admin/users", "/records/999999", "/documents",
                 "/documents?attached_to=inbox&type=", "/documents/new?case={case}",
                 "/documents/{document}"):
        walk.visit(path)
    page.goto(f"{world.base}/records/{record}/edit")
    page.fill("#f-birth_place", "Запоріжжя")
    page.fill("#f-reason", "свідоцтво")
    page.click("#correct button[type=submit]")
    walk.visit("/records/{record}/versions/1")
    page.goto(f"{world.base}/imports")
    upload = world.folder / "знайдені-березень.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    page.set_input_files("#file", str(upload))
    page.select_option("#kind", "camp_list")
    page.click("form[action='/imports'] button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/preview/[\w-]+$"))
    page.select_option("#column_6", "last_known_place")
    walk.look("/imports/preview/{token}")
    page.click("#do-import")
    page.wait_for_url(re.compile(r"/imports/jobs/"))
    walk.look("/imports/jobs/{job}")
    page.wait_for_selector("a[href^='/imports/']:not([href^='/imports/jobs'])",
                           timeout=120000)
    page.locator("main a[href^='/imports/']:not([href^='/imports/jobs'])").first.click()
    page.wait_for_url(re.compile(r"/imports/\d+$"))
    walk.look("/imports/{run}")
    page.close()

    # the supervisor: mediation channels and lists
    page = sign_in(browser, world, UserRole.SUPERVISOR)
    walk.page = page
    for path in ("/channels", "/channels/{channel}", "/lists/new?channel={channel}",
                 "/lists/{list}", "/lists/{list}/answers"):
        walk.visit(path)
    for path in ("/dashboard", "/cases", "/cases/{case}"):
        walk.visit(path, f"{path} (supervisor)")
    for path in ("/cases/{case}#bundle", "/review/mentions", "/photographs",
                 "/evidence/verify"):
        walk.visit(path)
    _verify_results(walk, page)
    _statistics(walk, browser)

    # the liaison and the analyst see their own navigation
    for role in (UserRole.MEDIATOR_LIAISON, UserRole.ANALYST):
        page = sign_in(browser, world, role)
        walk.page = page
        for path in ("/dashboard", "/search", "/channels", "/lists/{list}",
                     "/lists/{list}/answers", "/model", "/account"):
            walk.visit(path, f"{path} ({role.value})")
        page.close()

    # the administrator
    page = sign_in(browser, world, UserRole.ADMIN)
    walk.page = page
    for path in ("/dashboard", "/admin/users", "/admin/users/{user}",
                 "/admin/agencies", "/account", "/cases", "/statistics/releases"):
        walk.visit(path, f"{path} (admin)")
    page.close()
    _keeping_walk(world, browser, walk)
    return walk


def _statistics(walk: Walk, browser: Browser) -> None:
    """The supervisor prepares a release of public statistics and publishes it; then
    someone who never signed in reads ``/public``."""
    page, world = walk.page, walk.world
    walk.visit("/statistics/releases")
    page.click("form[action='/statistics/releases'] button[type=submit]")
    page.wait_for_url(re.compile(r"/statistics/releases/\d+$"))
    walk.look("/statistics/releases/{release}")
    page.click("form[action$='/publish'] button[type=submit]")
    page.wait_for_url(re.compile(r"/statistics/releases/\d+$"))
    walk.look("/statistics/releases/{release} (published)")
    walk.visit("/statistics/releases", "/statistics/releases (one published)")
    page.close()
    anonymous = browser.new_page(viewport={"width": 1280, "height": 900})
    walk.page = anonymous
    anonymous.goto(f"{world.base}/login")
    anonymous.click(f"button[name=language][value={world.language}]")
    walk.visit("/public")
    anonymous.close()


def _newcomer(browser: Browser, world: World, role: UserRole) -> Page:
    """A new person of ``role``, signed in (a second sign-in of the walk's own person
    within one code's half-minute would have its code refused as used)."""
    made = world.app.state.services.admin.create_user(
        "walk", f"walk-keeper-{role.value}", role, HOME_AGENCY_ID, world.language,
        with_second_factor=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{world.base}/login")
    page.click(f"button[name=language][value={world.language}]")
    sign_in_page(page, world.base, made.user.username, made.password or "",
                 made.totp_secret or "")
    return page


def _keeping_walk(world: World, browser: Browser, walk: Walk) -> None:
    """Issue 19's pages: a hold on the case (placed by a supervisor), the holds' list, the
    erase confirmation of the case's record (the hold forbids it), the retention rules
    with their plan; the administrator's backups' list and retention page."""
    from kinlink.domain.retention import HoldTarget
    from kinlink.usecases.holds import place_hold

    place_hold(world.app.state.services.store,
               Actor("walk", UserRole.SUPERVISOR, HOME_AGENCY_ID), HoldTarget.CASE,
               world.ids["case"], "ПР-12/2026", "запит прокурора")
    page = _newcomer(browser, world, UserRole.SUPERVISOR)
    walk.page = page
    for path in ("/admin/holds", "/admin/retention", "/erase?kind=record&id={record}",
                 "/erase?kind=document&id={document}"):
        walk.visit(path)
    page.close()
    page = _newcomer(browser, world, UserRole.ADMIN)
    walk.page = page
    for path in ("/admin/backups", "/admin/retention"):
        walk.visit(path, f"{path} (admin)")
    page.close()


def test_every_page_speaks_only_the_readers_language(world: World, browser: Browser
                                                      ) -> None:
    walk = _walk(world, browser)
    assert len(walk.seen) > 40
    data = data_words(world.app.state.services.store) | TYPED
    by_word: dict[str, tuple[list[str], str]] = {}
    for page, word, line in walk.found:
        if word not in data:
            by_word.setdefault(word, ([], line))[0].append(page)
    assert not by_word, "foreign words (word: pages, the first line it is on):\n" + "\n".join(
        f"{word}: {', '.join(pages)} «{line[:120]}»"
        for word, (pages, line) in sorted(by_word.items()))
