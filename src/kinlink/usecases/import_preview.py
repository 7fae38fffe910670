"""Import a list on the web in two steps: upload and preview, then import.

The upload (:func:`start_preview`) is checked and kept in a folder of its own under the
data directory's ``previews``, with what the person said about it; the preview shows
the first rows and, for each header, the field it maps to — recognised exactly as
``kinlink import`` recognises it (:func:`kinlink.listfiles.columns.build_column_map`),
after the mapping the agency saved for the list's producer. Headers kinlink does not
recognise can be mapped to a field there (or left out: their cells stay with the record
as extra columns, as at the command line). :func:`confirm_preview` saves the choices
for the producer (audited ``import.mapping_saved``: the fields, never the rows), hands the
file to the background import (:class:`~kinlink.usecases.jobs.ImportJobs`) with the
mapping, as ``kinlink import --mapping`` would, and deletes the preview's folder;
:func:`cancel_preview` deletes it. A preview is visible to its agency only: a token of
another agency's upload (or of none) is answered as missing, and the refusal audited
(``scope.refused``, kind ``import_preview``) like every other thing out of reach.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.config import Settings
from kinlink.domain.access import HOME_AGENCY_ID, Actor
from kinlink.domain.jobs import JobState
from kinlink.domain.permissions import Action, require
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import InputRefusedError, NotFoundError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.listfiles.columns import FIELDS, build_column_map, normalise_header
from kinlink.listfiles.readers import open_table
from kinlink.listfiles.uploads import check_upload
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.import_mappings import ImportMappingRepository
from kinlink.usecases.jobs import ImportJobs, UploadDescription, estimate_rows
from kinlink.usecases.scope import audit_refusal

_MAPPING_NEEDS = Wording("usecases.import_preview.mapping_needs", N_(
    "a mapping needs a producer and known fields"))
_FIELDS_ONLY = Wording("usecases.import_preview.fields_only", N_(
    "a column can be mapped to a field of the list format only"))
_NO_SUCH_UPLOAD = Wording("usecases.import_preview.no_such_upload", N_(
    "there is no such upload waiting to be imported"))

__all__ = ["PREVIEW_ROWS", "Column", "Preview", "cancel_preview", "confirm_preview",
           "read_preview", "save_mapping", "saved_mapping", "start_preview"]

PREVIEW_ROWS = 10
"""Rows shown on the preview."""
_ABOUT = "about.json"


@dataclass(frozen=True)
class Column:
    """One header of the file: the field it maps to (``None``: kept as an extra column)
    and whether kinlink recognised it by itself (``known``; otherwise it may be mapped
    on the page, and ``saved`` says the field came from the producer's saved mapping)."""

    index: int
    header: str
    field: str | None
    known: bool
    saved: bool = False


@dataclass(frozen=True)
class Preview:
    """An upload waiting for its import: what was said about it, its columns, its first
    rows and about how many rows it has."""

    token: str
    file: str
    about: UploadDescription
    columns: list[Column]
    rows: list[list[str]]
    estimate: int


def saved_mapping(store: Store, actor: Actor, producer: str | None) -> dict[str, str]:
    """The mapping the actor's agency saved for ``producer``'s lists (empty: none)."""
    require(actor, Action.IMPORTS_VIEW)
    key = _producer_key(producer)
    if not key:
        return {}
    with store.transaction() as session:
        return ImportMappingRepository(session).get(_agency(actor), key)


def save_mapping(store: Store, actor: Actor, producer: str, columns: dict[str, str]) -> None:
    """Keep ``columns`` (``{header: field}``) as the mapping of ``producer``'s lists for
    the actor's agency, audited with the fields mapped (no header, no row)."""
    require(actor, Action.IMPORTS_CREATE)
    key = _producer_key(producer)
    unknown = sorted(set(columns.values()) - set(FIELDS))
    if not key or unknown:
        raise InputRefusedError(_MAPPING_NEEDS(), "bad_mapping")
    normalised = {normalise_header(h): f for h, f in columns.items()}
    with store.transaction() as session:
        begin_write(session)
        ImportMappingRepository(session).put(_agency(actor), key, normalised, actor.name,
                                             dt.datetime.now(dt.UTC))
        append_event(session, AuditEvent(
            actor.name, AuditAction.IMPORT_MAPPING_SAVED, "agency", str(_agency(actor)),
            {"fields": sorted(set(normalised.values())), "columns": len(normalised)}))


def start_preview(store: Store, settings: Settings, actor: Actor, name: str, data: bytes,
                  about: UploadDescription) -> Preview:
    """Check the upload, keep it for its import and return its preview."""
    require(actor, Action.IMPORTS_CREATE)
    clean = check_upload(name, data, settings.limits)
    open_table(data, limits=settings.limits)  # refused now rather than after "Import"
    token = secrets.token_urlsafe(16)
    folder = _folder(settings, token)
    folder.mkdir(parents=True)
    (folder / clean).write_bytes(data)
    (folder / _ABOUT).write_text(json.dumps(_about_json(actor, clean, about)),
                                 encoding="utf-8")
    try:
        return read_preview(store, settings, actor, token)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def read_preview(store: Store, settings: Settings, actor: Actor, token: str) -> Preview:
    """The preview of an upload of the actor's agency; :class:`NotFoundError` otherwise."""
    require(actor, Action.IMPORTS_CREATE)
    file, about = _load(store, settings, actor, token)
    data = (_folder(settings, token) / file).read_bytes()
    table = open_table(data, limits=settings.limits)
    saved = saved_mapping(store, actor, about.producer)
    known = build_column_map(table.header).fields
    mapped = build_column_map(table.header, _without(saved, known, table.header)).fields
    by_index = {index: field for field, index in mapped.items()}
    columns = [Column(i, h, by_index.get(i), i in known.values(),
                      normalise_header(h) in saved and i not in known.values())
               for i, h in enumerate(table.header)]
    rows = [row.cells for _, row in zip(range(PREVIEW_ROWS), table.rows, strict=False)]
    return Preview(token, file, about, columns, rows, estimate_rows(data))


def confirm_preview(store: Store, settings: Settings, jobs: ImportJobs, actor: Actor,
                    token: str, chosen: dict[int, str]) -> JobState:
    """Import a previewed upload with the fields ``chosen`` for its unrecognised headers
    (``{column index: field}``, ``""``: leave the column out), saving them for the
    producer; the preview's folder is deleted once the job has its copy."""
    preview = read_preview(store, settings, actor, token)
    mapping = _mapping(preview, chosen)
    build_column_map([c.header for c in preview.columns], mapping)  # two columns, one field
    if preview.about.producer and any(not c.known for c in preview.columns):
        save_mapping(store, actor, preview.about.producer,
                     {c.header: mapping[normalise_header(c.header)] for c in preview.columns
                      if normalise_header(c.header) in mapping})
    data = (_folder(settings, token) / preview.file).read_bytes()
    about = dataclasses.replace(preview.about, mapping=mapping or None)
    state = jobs.submit(actor, preview.file, data, about)
    shutil.rmtree(_folder(settings, token), ignore_errors=True)
    return state


def cancel_preview(store: Store, settings: Settings, actor: Actor, token: str) -> None:
    """Forget an upload of the actor's agency that was previewed but not imported (its
    copy is deleted); :class:`NotFoundError` otherwise."""
    require(actor, Action.IMPORTS_CREATE)
    _load(store, settings, actor, token)
    shutil.rmtree(_folder(settings, token), ignore_errors=True)


def _mapping(preview: Preview, chosen: dict[int, str]) -> dict[str, str]:
    """``{normalised header: field}`` for the unrecognised headers given a field."""
    mapping: dict[str, str] = {}
    for column in preview.columns:
        if column.known:
            continue
        field = chosen.get(column.index, column.field or "")
        if field and field not in FIELDS:
            raise InputRefusedError(_FIELDS_ONLY(), "bad_mapping")
        if field:
            mapping[normalise_header(column.header)] = field
    return mapping


def _without(saved: dict[str, str], known: dict[str, int], header: list[str]
             ) -> dict[str, str]:
    """The saved mapping without headers recognised anyway and fields those take."""
    taken = {normalise_header(header[i]) for i in known.values()}
    return {h: f for h, f in saved.items() if h not in taken and f not in known}


def _about_json(actor: Actor, file: str, about: UploadDescription) -> dict[str, object]:
    return {"agency_id": _agency(actor), "file": file, "kind": about.kind.value,
            "role": about.role.value if about.role else None, "title": about.title,
            "producer": about.producer, "received_on": about.received_on.isoformat()
            if about.received_on else None, "link": about.link, "force": about.force}


def _load(store: Store, settings: Settings, actor: Actor, token: str
          ) -> tuple[str, UploadDescription]:
    """What was said about the upload ``token`` of the actor's agency; a missing one or
    another agency's is refused as missing and the refusal audited."""
    saved = _about(settings, token)
    if saved is None or saved.get("agency_id") != _agency(actor):
        audit_refusal(store, actor, OutOfReachError("import_preview", _token_digest(token)))
        raise NotFoundError(_NO_SUCH_UPLOAD())
    received = saved["received_on"]
    return str(saved["file"]), UploadDescription(
        SourceKind(saved["kind"]), Role(saved["role"]) if saved["role"] else None,
        saved["title"], saved["producer"],
        dt.date.fromisoformat(received) if received else None, bool(saved["link"]),
        bool(saved["force"]))


def _about(settings: Settings, token: str) -> dict[str, Any] | None:
    """The upload's ``about.json`` (``None``: no such upload, or not readable)."""
    if not _valid(token):
        return None
    try:
        saved = json.loads((_folder(settings, token) / _ABOUT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return saved if isinstance(saved, dict) else None


def _token_digest(token: str) -> str:
    """What the audit chain keeps of a refused token: a short digest that tells two
    attempts with the same token apart, never the token itself (it opens the upload for
    anyone of its agency for a day)."""
    if not _valid(token):
        return "?"
    return "sha256:" + hashlib.sha256(token.encode("ascii")).hexdigest()[:16]


def _valid(token: str) -> bool:
    return bool(token) and all(c.isalnum() or c in "-_" for c in token)


def _folder(settings: Settings, token: str) -> Path:
    if not _valid(token):
        raise NotFoundError(_NO_SUCH_UPLOAD())
    return settings.data_dir / "previews" / token


def _agency(actor: Actor) -> int:
    return actor.agency_id if actor.agency_id is not None else HOME_AGENCY_ID


def _producer_key(producer: str | None) -> str:
    return normalise_header(producer or "")[:300]
