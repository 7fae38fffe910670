"""Failures kinlink did not foresee, told without personal data.

A database that drops its connection in the middle of an import, a value too large for
the store: such an exception carries the rows it was writing. SQLAlchemy's message ends
with the statement's parameters (given name, surname, birth date, place), a PostgreSQL
error may quote a value in its ``DETAIL``, and the exceptions it was raised from
(``__cause__``, ``__context__``) and its notes carry the same. None of that may reach a
terminal, a log or a web page.

So every door ends an unexpected failure in :func:`record`, once: the command line's
``main``, the web application's outermost middleware, the background import jobs. The
person is told the exception's *type*, the *step* kinlink was at, and a *reference*
(``E-…``); the details go to ``REF.txt`` in the data directory's ``errors`` folder,
readable by its owner only (mode 0600), and hold only what helps a maintainer find the
fault in the code: the time, the step, the type of each exception of the chain and the
frames of its traceback (file, line, function, the line of code). Never an exception's
message, arguments, notes or a frame's local variables — where the values are.

The step is what the person asked kinlink to do, in plain words ("import: reading the
list"); a door names it when it starts (:func:`set_step`) and refines it as it goes.
"""

from __future__ import annotations

import datetime as dt
import linecache
import os
import secrets
import sys
import traceback
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Incident", "chain", "current_step", "record", "set_step",
           "type_name"]

_MAX_CHAIN = 8
_step: ContextVar[tuple[str, str | None] | None] = ContextVar("kinlink_step", default=None)


def set_step(words: str, advice: str | None = None) -> None:
    """Name the step the current command, request or job is at, and what to do if it
    fails there (no personal data in either)."""
    _step.set((words, advice))


def current_step() -> tuple[str, str | None] | None:
    """The step last named in this context and its advice, if any."""
    return _step.get()


@dataclass(frozen=True)
class Incident:
    """One unexpected failure as it may be told: the reference, the step, the types of
    the exceptions (outermost first), the detail file (``None``: not written) and what
    to do now."""

    reference: str
    step: str
    kinds: tuple[str, ...]
    detail: Path | None
    advice: str | None = None

    def summary(self) -> str:
        """The exception types in short, outermost first: ``OperationalError ←
        AdminShutdown``."""
        return " ← ".join(kind.rsplit(".", 1)[-1] for kind in self.kinds)

    def message(self, *, detail: bool = True) -> str:
        """What the person is told: what happened, at which step, what to do, the
        reference and (``detail``: at the command line) where the details are; free of
        personal data, like the file."""
        where = (f" The details (no personal data) are in {self.detail}."
                 if detail and self.detail else "")
        advice = f" {self.advice}." if self.advice else ""
        return (f"kinlink stopped unexpectedly during {self.step} ({self.summary()}).{advice}"
                f" Reference {self.reference}: give it to whoever looks after kinlink."
                + where)


def type_name(exc: BaseException) -> str:
    """``module.QualifiedName`` of ``exc``'s type (builtins without their module)."""
    kind = type(exc)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it came from, as Python prints them (outermost first):
    the explicit cause, else the context unless suppressed (``raise … from None``)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < _MAX_CHAIN:
        seen.add(id(current))
        yield current
        if current.__cause__ is not None:
            current = current.__cause__
        elif current.__suppress_context__:
            current = None
        else:
            current = current.__context__


def record(exc: BaseException, directory: Path | None, step: str | None = None,
           advice: str | None = None) -> Incident:
    """Give ``exc`` a reference and, if ``directory`` is given and writable, write its
    details to ``directory/REF.txt`` (mode 0600). The step and advice are those given,
    else the ones last named by :func:`set_step`. Never raises."""
    reference = "E-" + dt.datetime.now(dt.UTC).strftime("%Y%m%d") + "-" + secrets.token_hex(4)
    named = current_step()
    if step is None and named is not None:
        step, advice = named[0], advice or named[1]
    words = step or "work kinlink did not name"
    kinds = tuple(type_name(e) for e in chain(exc))
    detail = _write(directory, reference, _details(reference, words, exc)) if directory \
        else None
    return Incident(reference, words, kinds, detail, advice)


def _write(directory: Path, reference: str, text: str) -> Path | None:
    """Write ``text`` to a file only the owner may read; ``None`` if that fails."""
    path = directory / f"{reference}.txt"
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        return None
    return path


def _details(reference: str, step: str, exc: BaseException) -> str:
    """The detail file: types and frames only, innermost exception first like Python's
    own traceback — never a message, an argument, a note or a local variable."""
    from kinlink import __version__

    lines = [f"reference: {reference}",
             f"time: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
             f"step: {step}",
             f"kinlink: {__version__}; python: {sys.version.split()[0]}",
             "exception messages, arguments, notes and local variables are left out: "
             "they may hold personal data", ""]
    for position, link in enumerate(reversed(list(chain(exc)))):
        if position:
            lines.append("which led to:")
        lines.append(f"{type_name(link)}")
        lines += _frames(link)
        lines.append("")
    return "\n".join(lines)


def _frames(exc: BaseException) -> list[str]:
    """``File "…", line N, in function`` and the line of code, for each frame."""
    out: list[str] = []
    for frame in traceback.walk_tb(exc.__traceback__):
        code = frame[0].f_code
        line = frame[1]
        out.append(f'  File "{code.co_filename}", line {line}, in {code.co_name}')
        source = linecache.getline(code.co_filename, line).strip()
        if source:
            out.append(f"    {source}")
    return out
