"""``kinlink documents``: evidence documents at the command line — keep a file with its
collection record, list what one reaches, read a document's record, hashes and chain of
custody, write its original to a file, and screen the documents again for children's
names. The same use cases as the pages and the API
(:mod:`kinlink.usecases.documents`), so every step is a custody event in the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kinlink.cli.context import (
    acting,
    err_console,
    fail,
    friendly_errors,
    local_time,
    out,
    settings,
    store,
)
from kinlink.config import Settings
from kinlink.domain.documents import (
    Attachment,
    AttachmentKind,
    CollectionMethod,
    Document,
    DocumentType,
)
from kinlink.errors import FieldsRefusedError
from kinlink.storage.photographs import StoredPhoto
from kinlink.usecases.documents import (
    DocumentPage,
    Evidence,
    document_page,
    download_original,
    list_documents,
    upload_document,
)
from kinlink.usecases.mentions import rescreen_documents
from kinlink.usecases.photo_flags import STATUSES, hash_existing_photographs, list_photo_flags

__all__ = ["documents_app"]

documents_app = typer.Typer(
    help="Evidence documents (scans, photographs, web captures) kept exactly as collected, "
         "with who collected them, when, from where and how; every read and download is a "
         "step of their chain of custody in the audit log.",
    no_args_is_help=True)

DocumentArg = Annotated[int, typer.Argument(help="The document's id.", show_default=False)]

_KINDS = {"case": AttachmentKind.CASE, "record": AttachmentKind.RECORD,
          "list": AttachmentKind.SOURCE}
_WORDS = {AttachmentKind.INBOX: "inbox", AttachmentKind.CASE: "case",
          AttachmentKind.RECORD: "record", AttachmentKind.SOURCE: "list"}
_OPTIONS = {"collected_at": "--collected-at", "collected_by": "--collected-by",
            "method": "--how", "source_url": "--from", "device": "--from",
            "from_person": "--from", "source": "--from", "languages": "--language",
            "description": "--description"}
"""The option that gives each field of the collection record."""
_ATTACH_HELP = "case:ID, record:ID or list:ID; inbox (or none): attached to nothing yet."


def _attachment(text: str | None, option: str = "--attach-to") -> Attachment:
    """``case:12``, ``record:7``, ``list:3`` or ``inbox`` as an :class:`Attachment`."""
    if text is None or text.strip() == "inbox":
        return Attachment(AttachmentKind.INBOX)
    kind, _, number = text.strip().partition(":")
    if kind not in _KINDS or not number.isdigit():
        raise typer.BadParameter("case:ID, record:ID, list:ID or inbox", param_hint=option)
    return Attachment(_KINDS[kind], int(number))


def _sources(given: list[str]) -> dict[str, object]:
    """``--from`` values as the collection record's URL, device and person."""
    found: dict[str, object] = {}
    for value in given:
        text = value.strip()
        if text.startswith(("http://", "https://", "ftp://")):
            field, named = "source_url", text
        elif text.startswith(("device:", "person:")):
            prefix, _, named = text.partition(":")
            field = "device" if prefix == "device" else "from_person"
        else:
            raise typer.BadParameter("a web address (http://, https://, ftp://), "
                                     "device:NAME or person:NAME", param_hint="--from")
        if field in found:
            raise typer.BadParameter("one web address, one device and one person at most",
                                     param_hint="--from")
        found[field] = named.strip()
    return found


def _where(attachment: Attachment) -> str:
    word = _WORDS[attachment.kind]
    return word if attachment.target_id is None else f"{word} {attachment.target_id}"


def _at(text: str, config: Settings) -> str:
    """A custody step's stored moment (ISO 8601 UTC) as the commands print moments."""
    try:
        return local_time(dt.datetime.fromisoformat(text), config)
    except ValueError:
        return text


@documents_app.command("add")
@friendly_errors
def documents_add_command(
    file: Annotated[Path, typer.Argument(
        help="The file as collected: PDF, JPEG, PNG, TIFF, HEIC/HEIF, HTML, MHTML, WARC, "
             "plain text "
             "or DOCX (told by its bytes, not its name).", show_default=False,
        exists=True, dir_okay=False, readable=True)],
    collected_at: Annotated[str, typer.Option(
        "--collected-at", help="When it was collected, with its time zone "
                               "(2026-11-30T09:15+02:00).", show_default=False)],
    collected_by: Annotated[str, typer.Option(
        "--collected-by", help="Who collected it.", show_default=False)],
    how: Annotated[CollectionMethod, typer.Option(
        "--how", help="How it was collected.", show_default=False)],
    sources: Annotated[list[str], typer.Option(
        "--from", help="Where it came from: a web address, device:NAME or person:NAME "
                       "(who handed it over); repeat for more than one.",
        show_default=False)],
    attach_to: Annotated[str | None, typer.Option(
        "--attach-to", help=_ATTACH_HELP, show_default=False)] = None,
    languages: Annotated[list[str] | None, typer.Option(
        "--language", help="A language of the document (uk, ru, en); repeat for more.",
        show_default=False)] = None,
    description: Annotated[str, typer.Option(
        "--description", help="What the document is.", show_default=False)] = "",
) -> None:
    """Keep a document exactly as it is, under its SHA-256, with its collection record,
    attached to a case, a record or a list you reach (or to nothing yet: the inbox).

    A photograph or scan also gets a working copy without its metadata (camera, place);
    the original is never changed. Audited: the upload starts the document's chain of
    custody."""
    config = settings()
    collection: dict[str, object] = {
        "collected_at": collected_at, "collected_by": collected_by, "method": how.value,
        "languages": [code.strip() for given in languages or [] for code in given.split(",")
                      if code.strip()],
        "description": description, **_sources(sources)}
    attachment = _attachment(attach_to)
    data = file.read_bytes()
    with store(config) as opened:
        try:
            made = upload_document(Evidence.of(config, opened), acting(config), data,
                                   file.name, attachment, collection)
        except FieldsRefusedError as refused:
            raise fail("the document was not kept: " + "; ".join(
                f"{_OPTIONS.get(name, name)}: {why}"
                for name, why in sorted(refused.fields.items()))) from None
    out.print(f"Document {made.id} kept ({made.doc_type.value.upper()}, {made.size} bytes), "
              f"attached to {_where(made.attachment)}.")
    out.print(f"SHA-256 {made.sha256}")


@documents_app.command("list")
@friendly_errors
def documents_list_command(
    attached_to: Annotated[str | None, typer.Option(
        "--attached-to", help="Only the documents of case:ID, record:ID or list:ID, or "
                              "those in the inbox.", show_default=False)] = None,
    doc_type: Annotated[DocumentType | None, typer.Option(
        "--type", help="Only documents of this type.", show_default=False)] = None,
) -> None:
    """The documents you reach, newest first, with their type, where they are attached,
    when they were collected and their SHA-256 (audited, with the count only)."""
    config = settings()
    kind: AttachmentKind | None = None
    target: int | None = None
    if attached_to is not None:
        chosen = _attachment(attached_to, "--attached-to")
        kind, target = chosen.kind, chosen.target_id
    with store(config) as opened:
        found = list_documents(Evidence.of(config, opened), acting(config), kind, target,
                               doc_type)
    if not found:
        out.print("No document here yet.")
        return
    table = Table("id", "file", "type", "attached to", "collected", "SHA-256",
                  title=f"Documents: {len(found)}", title_justify="left")
    for d in found:
        table.add_row(str(d.id), d.filename + (" (restricted)" if d.restricted else ""),
                      d.doc_type.value.upper(), _where(d.attachment),
                      local_time(d.collection.collected_at, config), d.sha256)
    out.print(table)


@documents_app.command("show")
@friendly_errors
def documents_show_command(document: DocumentArg) -> None:
    """A document's collection record, the SHA-256 of its original and of what was made
    from it, and its chain of custody (this read is its newest step: audited)."""
    config = settings()
    with store(config) as opened:
        page = document_page(Evidence.of(config, opened), acting(config), document)
    _print_record(page.document, config)
    _print_hashes(page, config)
    _print_custody(page, config)


def _print_record(doc: Document, config: Settings) -> None:
    c = doc.collection
    out.print(f"[bold]Document {doc.id}[/]: {doc.filename}")
    rows = [("type", f"{doc.doc_type.value.upper()} ({doc.doc_type.media_type}), "
                     f"{doc.size} bytes"),
            ("attached to", _where(doc.attachment)),
            ("restricted to", ", ".join(doc.restricted_to) or "not restricted"),
            ("collected at", local_time(c.collected_at, config)),
            ("collected by", c.collected_by), ("how", c.method.value),
            ("web address", c.source_url or ""), ("device", c.device or ""),
            ("handed over by", c.from_person or ""),
            ("languages", ", ".join(c.languages)), ("description", c.description),
            ("uploaded", f"{local_time(doc.uploaded_at, config)}, {doc.uploaded_by}")]
    table = Table("collection record", "", show_header=True, title_justify="left")
    for name, value in rows:
        if value:
            table.add_row(name, value)
    out.print(table)


def _print_hashes(page: DocumentPage, config: Settings) -> None:
    table = Table("what", "SHA-256", "made by", "made at", title="Hashes",
                  title_justify="left")
    table.add_row("original", page.document.sha256, "", "")
    for d in page.derived:
        table.add_row(d.kind.value.replace("_", " "), d.sha256,
                      f"{d.tool} {d.tool_version}", local_time(d.created_at, config))
    out.print(table)


def _print_custody(page: DocumentPage, config: Settings) -> None:
    table = Table("#", "when", "who", "what", title="Chain of custody", title_justify="left")
    for e in page.custody:
        table.add_row(str(e.seq), _at(e.at, config), e.actor, e.action)
    out.print(table)


@documents_app.command("get")
@friendly_errors
def documents_get_command(
    document: DocumentArg,
    output: Annotated[Path, typer.Option(
        "-o", "--output", help="The file to write the original to (not overwritten).",
        show_default=False, dir_okay=False)],
) -> None:
    """Write a document's original to a file, byte for byte as it was kept (checked
    against its SHA-256 first: an altered original is refused). Audited as a download."""
    config = settings()
    if output.exists():
        raise fail("the output file exists already: choose another name")
    with store(config) as opened:
        served = download_original(Evidence.of(config, opened), acting(config), document)
    with output.open("xb") as written:
        written.write(served.data)
    out.print(f"Original of document {document} written ({len(served.data)} bytes), "
              f"SHA-256 {served.sha256}.")


def _picture(p: StoredPhoto) -> str:
    if p.document_id is None:
        return f"case {p.case_id} (its photograph)"
    page = f", page {p.page}" if p.page else ""
    return f"document {p.document_id}{page}, picture {p.picture + 1}"


@documents_app.command("photos")
@friendly_errors
def documents_photos_command(
    status: Annotated[list[str] | None, typer.Option(
        "--status", help="waiting (the default), confirmed or dismissed; repeat for more.",
        show_default=False)] = None,
) -> None:
    """Photographs flagged as the same across documents and case photographs (your
    agency's, both pictures in reach), oldest first, with the two hashes' distances. A
    flag is for a person to look at on the page /photographs: nothing is linked.
    Audited, with the count only."""
    chosen = tuple(status or ["waiting"])
    for given in chosen:
        if given not in STATUSES:
            raise typer.BadParameter("waiting, confirmed or dismissed", param_hint="--status")
    config = settings()
    with store(config) as opened:
        found = list_photo_flags(Evidence.of(config, opened), acting(config), chosen)
    if not found:
        out.print("No photograph flagged.")
        return
    table = Table("flag", "new picture", "held before", "pHash", "dHash", "status",
                  title=f"Photographs flagged as the same: {len(found)}",
                  title_justify="left")
    for view in found:
        f = view.flag
        table.add_row(str(f.id), _picture(f.new), _picture(f.old),
                      f"{f.phash_distance}/64", f"{f.dhash_distance}/64", f.status)
    out.print(table)


@documents_app.command("hash-photos")
@friendly_errors
def documents_hash_photos_command() -> None:
    """Hash the pictures of the documents and case photographs kept before photographs
    were hashed (those of your agency; the operator: all), flagging each near one held
    already, as an upload does. Safe to repeat. Audited, with the counts."""
    config = settings()
    with store(config) as opened, Progress(
            TextColumn("hashing photographs"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err_console, transient=True) as bars:
        task = bars.add_task("hashing", total=None)

        def step(done: int, total: int) -> None:
            bars.update(task, completed=done, total=total)

        result = hash_existing_photographs(Evidence.of(config, opened), acting(config), step)
    out.print(f"Hashed {result.documents} documents and {result.case_photos} case "
              f"photographs; {result.flags} new flags.")
@documents_app.command("rescreen")
@friendly_errors
def documents_rescreen_command(
    again: Annotated[bool, typer.Option(
        "--all", help="Extract every document's text anew first (after installing "
                      "Tesseract, say), not only the texts of documents that have none.")
                     ] = False,
) -> None:
    """Screen your agency's documents again for the names of the children its records
    describe (sought and found): a document without a text is read first; only mentions
    not seen before go to review (audited per document)."""
    config = settings()
    with store(config) as opened:
        screened, added = rescreen_documents(Evidence.of(config, opened), acting(config),
                                             again=again)
    out.print(f"Documents screened: {screened}; new mentions waiting for review: {added}.")
