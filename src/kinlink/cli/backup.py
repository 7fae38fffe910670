"""``kinlink backup`` and ``kinlink restore``: the whole store in one sealed file, and back.

``kinlink backup FILE`` is short for ``kinlink backup create FILE`` (the group takes a
first word that is not one of its commands for the file), so that the scheduled line
stays as short as ``kinlink backup --to-dir /srv/backups --keep 14 --key-file K``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer import _click as click
from typer.core import TyperGroup

from kinlink.backups import Manifest, SealKey, new_key_file, read_key
from kinlink.cli.context import (
    acting,
    err_console,
    fail,
    friendly_errors,
    ntr,
    out,
    settings,
    store,
    tr,
)
from kinlink.storage.engine import redacted_url
from kinlink.usecases.backups import back_up, back_up_rotating, restore_backup, verify_backup

__all__ = ["app", "restore_command"]


class _BackupGroup(TyperGroup):
    """``kinlink backup FILE …`` runs ``kinlink backup create FILE …``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["create", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_BackupGroup,
    help="Back up the whole store — the database as of one moment and every document's "
         "bytes — into one encrypted file with a manifest of counts and hashes, while "
         "kinlink keeps running; check a backup; make a key file. `kinlink backup FILE` "
         "is `kinlink backup create FILE`. Restore with `kinlink restore`. "
         "Administrators (KINLINK_ROLE=admin). See docs/operations.md.",
    no_args_is_help=True)

PassphraseFile = Annotated[Path | None, typer.Option(
    "--passphrase-file", help="A file whose first line is the passphrase (at least 16 "
    "characters); its key is derived with scrypt. Give this or --key-file.",
    show_default=False, exists=True, dir_okay=False)]
KeyFile = Annotated[Path | None, typer.Option(
    "--key-file", help="A key file made by `kinlink backup new-key` (256 random bits). "
    "Give this or --passphrase-file.", show_default=False, exists=True, dir_okay=False)]


def _key(passphrase_file: Path | None, key_file: Path | None) -> SealKey:
    if (passphrase_file is None) == (key_file is None):
        raise fail(tr("give exactly one of --passphrase-file and --key-file"))
    if key_file is not None:
        return read_key(key_file, key_file=True)
    assert passphrase_file is not None
    return read_key(passphrase_file, key_file=False)


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A Rich bar on the error console, fed by the use cases' steps."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task(tr("starting"), total=None)

        def step(what: str, done: int, total: int) -> None:
            bar.update(task, description=tr(what), completed=done, total=total or None)

        yield step


def _summary(manifest: Manifest) -> str:
    """What a backup holds, in one line (counts, schema, engine, audit head, who made it
    when), in the reader's language."""
    head = manifest.audit_head
    words = (tr("tables: {tables}, rows: {rows}, documents: {documents}, schema "
                "{schema}, {engine}, audit head {head} ({events} events), made {made} by "
                "{who}") if head else
             tr("tables: {tables}, rows: {rows}, documents: {documents}, schema "
                "{schema}, {engine}, no audit head, made {made} by {who}"))
    return words.format(tables=len(manifest.tables), rows=sum(manifest.tables.values()),
                        documents=len(manifest.documents), schema=manifest.schema_revision,
                        engine=manifest.engine, head=head.id if head else "",
                        events=head.events if head else 0, made=manifest.created_at,
                        who=manifest.created_by)


@app.command("create")
@friendly_errors
def create_command(
    file: Annotated[Path | None, typer.Argument(
        help="Where to write the backup (an existing file is replaced only once the new "
             "one is complete).", show_default=False)] = None,
    passphrase_file: PassphraseFile = None,
    key_file: KeyFile = None,
    to_dir: Annotated[Path | None, typer.Option(
        "--to-dir", help="Instead of FILE: write kinlink-YYYYMMDDTHHMMSSZ.kbk into this "
        "folder (for a timer or cron).", show_default=False, file_okay=False)] = None,
    keep: Annotated[int, typer.Option(
        help="With --to-dir: keep the newest N backups there, delete older ones (only "
             "files named kinlink-….kbk).", min=1)] = 7,
) -> None:
    """Back up the store while it runs: SQLite through its online backup API,
    PostgreSQL with pg_dump from one snapshot, plus every document's bytes, encrypted
    (AES-256-GCM) into one file. Its manifest holds the schema version, every table's
    row count, the audit head and every document's SHA-256; the backup is audited
    (store.backed_up). Keep the key apart from the file."""
    if (file is None) == (to_dir is None):
        raise fail(tr("give either FILE or --to-dir"))
    key = _key(passphrase_file, key_file)
    config = settings()
    with store(config) as opened, _progress() as step:
        made = (back_up(opened, config, acting(config), file, key, step) if file is not None
                else back_up_rotating(opened, config, acting(config), to_dir or Path(),
                                      keep, key, step))
    out.print(tr("Backup written to {file}: {summary}.").format(
        file=made.path, summary=_summary(made.manifest)))
    out.print(tr("SHA-256 of the file: {sha256}").format(sha256=made.sha256))
    missing = len(made.manifest.missing_documents)
    if missing:
        out.print("[yellow]" + tr("Warning") + "[/]: " + ntr(
            "{count} document's bytes are missing or altered in the evidence store and are "
            "not in the backup.",
            "{count} documents' bytes are missing or altered in the evidence store and are "
            "not in the backup.", missing).format(count=missing))
    for path in made.pruned:
        out.print(tr("Deleted the older backup {file}.").format(file=path.name))


@app.command("verify")
@friendly_errors
def verify_command(
    file: Annotated[Path, typer.Argument(help="The backup file.", show_default=False,
                                         exists=True, dir_okay=False)],
    passphrase_file: PassphraseFile = None,
    key_file: KeyFile = None,
) -> None:
    """Check a backup without a store and without writing anything: the key opens it,
    no byte was changed, and every file matches the manifest's size and SHA-256.
    Exits with code 2 when it does not."""
    key = _key(passphrase_file, key_file)
    with _progress() as step:
        manifest = verify_backup(file, key, step)
    out.print(tr("[green]The backup is intact[/]: {summary}.").format(
        summary=_summary(manifest)))


@app.command("new-key")
@friendly_errors
def new_key_command(
    file: Annotated[Path, typer.Argument(help="Where to write the key (must not exist).",
                                         show_default=False)],
) -> None:
    """Make a random 256-bit backup key file (mode 0600). Keep a copy apart from the
    backups — another person or office: without it no backup it sealed can be opened."""
    try:
        new_key_file(file)
    except FileExistsError:
        raise fail(tr("{file} exists already: a key file is never overwritten").format(
            file=file)) from None
    out.print(tr("Backup key written to {file}. Keep a copy apart from the backups.").format(
        file=file))


@friendly_errors
def restore_command(
    file: Annotated[Path, typer.Argument(help="The backup file.", show_default=False,
                                         exists=True, dir_okay=False)],
    into: Annotated[str, typer.Option(
        "--into", help="The database URL to restore into (sqlite:///path or "
        "postgresql+psycopg://…), of the backup's engine. Documents go into this "
        "KINLINK_DATA_DIR.", show_default=False)],
    passphrase_file: PassphraseFile = None,
    key_file: KeyFile = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Overwrite a store that holds tables (otherwise refused).")
    ] = False,
) -> None:
    """Restore a backup made by `kinlink backup` into a store of the same engine.

    Refused before the target is touched: a wrong key, a changed byte, a schema newer
    than this kinlink, another engine, a file or table that does not match the
    manifest, a target that is not empty without --replace. Afterwards every session
    ends and the restore is recorded in the audit log, so `kinlink audit verify`
    reports it as a restore. The audit keys (KINLINK_DATA_DIR/keys) are not in the
    backup: copy them from their own escrow. Administrators (KINLINK_ROLE=admin)."""
    key = _key(passphrase_file, key_file)
    config = settings()
    with _progress() as step:
        done = restore_backup(config, acting(config), file, key, into, replace=replace,
                              progress=step)
    out.print(tr("Restored into {url}: {summary}.").format(url=redacted_url(into),
                                                          summary=_summary(done.manifest)))
    if done.upgraded_from:
        out.print(tr("The schema was upgraded from {revision}.").format(
            revision=done.upgraded_from))
    out.print(ntr("{count} session ended; the restore is audit event {event}.",
                  "{count} sessions ended; the restore is audit event {event}.",
                  done.sessions_ended).format(count=done.sessions_ended, event=done.event_id))

