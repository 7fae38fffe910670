"""What every command needs: settings, the store, the actor, consoles, error handling."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import typer
from pydantic import ValidationError
from rich.console import Console

from kinlink.config import Settings, locale_language
from kinlink.domain.access import Actor
from kinlink.errors import KinlinkError
from kinlink.i18n import recognised
from kinlink.linkage.tasks import Crowding
from kinlink.storage import Store, open_store
from kinlink.web.i18n import translations
from kinlink.web.messages import say

__all__ = ["acting", "actor", "crowding", "err_console", "fail", "friendly_errors", "language",
           "local_day", "local_time", "ntr", "out", "said", "settings", "store", "term", "tr"]

out = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


def settings() -> Settings:
    """Settings from the environment (``KINLINK_*``); a wrong one ends the command with
    the variable's name and what it expects (never the value: it may be a key)."""
    try:
        return Settings()
    except ValidationError as exc:
        raise fail("; ".join(_setting_error(e["loc"], e["msg"]) for e in exc.errors())
                   ) from None


def language() -> str:
    """The language the commands speak (``KINLINK_LANGUAGE``, else the locale's); the
    locale's when the settings themselves cannot be read (their error is said in it)."""
    try:
        return Settings().language
    except ValidationError:
        return locale_language()


def tr(text: str) -> str:
    """``text`` (English, extracted by ``scripts/translations``) in the reader's
    language: the same catalogue as the pages. Every line a command prints to a person
    goes through it (a whole sentence per message, named placeholders filled with
    ``.format``); machine-readable output (``--json``, CSV) does not. The commands'
    ``help=`` texts stay English on purpose: ``--help`` is not translated."""
    return translations(language()).gettext(text)


def ntr(singular: str, plural: str, count: int) -> str:
    """A sentence about ``count`` things in the reader's language, in the plural form the
    count asks for (Ukrainian has three: 1 справа, 2 справи, 5 справ); the placeholder
    ``{count}`` is filled by the caller (``ntr(…).format(count=n, …)``). Extracted by
    ``scripts/translations`` as ``ntr:1,2``."""
    return translations(language()).ngettext(singular, plural, count)


def said(message: str) -> str:
    """A service's message (or a stored English text a wording wrote) in the reader's
    language; any other text as it is."""
    return say(recognised(message), translations(language()).gettext)


def term(table: dict[str, str], code: object) -> str:
    """A code (a status, a role, a sex) by its label in the reader's language, from one
    of the pages' tables (:mod:`kinlink.web.labels`); an unknown code as it is."""
    text = table.get(str(code))
    return tr(text) if text else str(code)


def crowding(crowded: Crowding) -> str:
    """:meth:`Crowding.words` in the reader's language (empty when nothing was crowded)."""
    if not crowded.records:
        return ""
    return tr("{records} records each had more than {cap} look-alike candidates; only their "
              "{cap} strongest were kept for review ({dropped} weaker pairs left out). Such "
              "lists usually lack the fields that tell children apart (full birth dates, "
              "birthplaces, patronymics).").format(records=crowded.records, cap=crowded.cap,
                                                   dropped=crowded.dropped)


def _setting_error(where: tuple[int | str, ...], message: str) -> str:
    name = "KINLINK_" + "__".join(str(part).upper() for part in where)
    return f"{name}: {message.removeprefix('Value error, ')}"


def actor(config: Settings) -> str:
    """Who is acting, for the audit log: ``KINLINK_USER`` or the OS account."""
    return config.user or f"{getpass.getuser()}@cli"


def acting(config: Settings) -> Actor:
    """The person at the command line as the use cases see them: ``KINLINK_USER`` (or the
    OS account) in the role ``KINLINK_ROLE``, within what the agency ``KINLINK_AGENCY``
    sees (unset: the operator on the server, every agency's lists; what they create goes
    to the home agency)."""
    return Actor(actor(config), config.role, config.agency)


def local_time(moment: dt.datetime, config: Settings) -> str:
    """A stored moment as the commands print it: in the configured time zone (the pages'
    zone, ``KINLINK_TIMEZONE``, Europe/Kyiv by default), to the minute, with its offset
    (``2026-12-02 02:37 +02:00``), so a line copied elsewhere still says when. A naive
    moment is taken to be UTC, as kinlink stores them."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    local = aware.astimezone(ZoneInfo(config.timezone))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def local_day(moment: dt.datetime, config: Settings) -> str:
    """The calendar day of a stored moment in the configured time zone (``2026-12-02``):
    a list sent at 00:30 in Kyiv was sent that day, not the day before as UTC says."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(config.timezone)).date().isoformat()


@contextmanager
def store(config: Settings) -> Iterator[Store]:
    """Open the store for one command and close it afterwards."""
    opened = open_store(config)
    try:
        yield opened
    finally:
        opened.dispose()


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``message`` as an error and return the exit to raise."""
    err_console.print("[bold red]" + tr("Error:") + f"[/] {said(message)}")
    return typer.Exit(code)


def friendly_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn kinlink's own errors into a plain message and exit code 2, not a traceback."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except KinlinkError as exc:
            raise fail(exc.text) from None

    return wrapper
