"""Words a person reads, marked for translation wherever they are written.

``N_`` marks a message for extraction (``scripts/translations``) without translating
it; the web pages translate it where they show it (:mod:`kinlink.web.i18n` holds the
catalogues and the reader's formats). Any layer may mark its words this way, so that
the linkage specification's verdicts ("the same name …") reach a Ukrainian case worker
in Ukrainian, while files and logs keep the English they were written in.

A service's message with parameters is a :class:`Wording` (a stable code and an English
template marked with ``N_``) filled into a :class:`Message`. A message *is* its English
text (a ``str``: files, logs, the command line and stored rows keep working), and also
carries its code and parameters, so a page renders it in the reader's language and the
API answers the code and parameters. Parameters that are themselves codes (a status, an
evidence kind) are named in the wording's ``terms`` with their enum: the page shows their
labels, not the codes. Every wording is kept in :data:`WORDINGS`, by code, so a test can
check that each has its translation.
"""

from __future__ import annotations

import errno
import re
import string
from collections.abc import Iterable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

__all__ = ["N_", "WORDINGS", "Message", "Param", "Wording", "message_of", "os_problem",
           "placed", "placed_text", "recognised"]

Param = str | int | tuple[str, ...]
"""A parameter's value: a text, a number or a list of codes (shown joined by commas)."""

WORDINGS: dict[str, Wording] = {}
"""Every wording defined so far, by code (a module's wordings register when it is
imported)."""


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def _fields(template: str) -> frozenset[str]:
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f)


def _english(value: Param) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


class Wording:
    """One kind of message: a stable ``code``, its English ``template`` with named
    parameters (``{line}``), and which parameters are codes of which enum (``terms``).

    Calling it with the parameters gives the :class:`Message`.
    """

    def __init__(self, code: str, template: str,
                 terms: Mapping[str, type[StrEnum]] | None = None) -> None:
        if code in WORDINGS:
            raise ValueError(f"message code {code!r} is defined twice")
        self.code = code
        self.template = template
        self.terms: Mapping[str, type[StrEnum]] = dict(terms or {})
        self.fields = _fields(template)
        if not set(self.terms) <= self.fields:
            raise ValueError(f"message {code!r} names terms its template does not have")
        WORDINGS[code] = self

    def __call__(self, **params: Param) -> Message:
        """The message with these parameters (exactly the template's, or ValueError)."""
        if set(params) != self.fields:
            raise ValueError(f"message {self.code!r} takes {sorted(self.fields)}, "
                             f"was given {sorted(params)}")
        return Message(self, params)

    def __repr__(self) -> str:
        return f"Wording({self.code!r})"

    def read(self, text: str) -> Message | None:
        """The message whose English is ``text``, if this wording wrote it (stored texts
        written before messages kept their codes are read back this way)."""
        match = _pattern(self.template).fullmatch(text)
        if match is None:
            return None
        params: dict[str, Param] = {}
        for name, value in match.groupdict().items():
            listed = name in self.terms and ", " in value
            params[name] = tuple(value.split(", ")) if listed else value
        return Message(self, params)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(template: str) -> re.Pattern[str]:
    found = _PATTERNS.get(template)
    if found is None:
        parts, seen = [], set()
        for literal, name, _, _ in string.Formatter().parse(template):
            parts.append(re.escape(literal))
            if name:
                parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
                seen.add(name)
        found = _PATTERNS[template] = re.compile("".join(parts), re.DOTALL)
    return found


class Message(str):
    """A message in English (its ``str`` value) that remembers its :class:`Wording` and
    parameters, to be said again in another language."""

    wording: Wording
    params: Mapping[str, Param]

    def __new__(cls, wording: Wording, params: Mapping[str, Param]) -> Message:
        text = wording.template.format_map({k: _english(v) for k, v in params.items()})
        made = super().__new__(cls, text)
        made.wording = wording
        made.params = dict(params)
        return made

    @property
    def code(self) -> str:
        """The stable code of the message's wording."""
        return self.wording.code

    def api_params(self) -> dict[str, Any]:
        """The parameters as JSON values (lists of codes as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}

    def __reduce__(self) -> tuple[Any, ...]:
        return _restore, (self.wording.code, dict(self.params), str(self))


def _restore(code: str, params: dict[str, Param], text: str) -> str:
    wording = WORDINGS.get(code)
    return text if wording is None else wording(**params)


def recognised(text: str) -> str:
    """``text`` as the :class:`Message` of the wording that wrote it, when one did (a
    stored English text becomes translatable again); otherwise ``text`` unchanged."""
    if isinstance(text, Message):
        return text
    for wording in sorted(WORDINGS.values(), key=lambda w: -len(_literal(w.template))):
        if not wording.fields:
            if wording.template == text:
                return wording()
        elif _literal(wording.template).strip():
            found = wording.read(text)
            if found is not None:
                return found
    return text


def _literal(template: str) -> str:
    """A template's words without its parameters (the most specific wording is tried
    first)."""
    return "".join(literal for literal, _, _, _ in string.Formatter().parse(template))


_OS_WORDS = {
    errno.ENOENT: ("os.not_found", "file not found"),
    errno.EACCES: ("os.permission_denied", "permission denied"),
    errno.EPERM: ("os.permission_denied", "permission denied"),
    errno.ENOSPC: ("os.no_space", "no space left on the disk"),
    errno.EDQUOT: ("os.no_space", "no space left on the disk"),
    errno.EISDIR: ("os.is_directory", "it is a folder, not a file"),
}
_OS_NOT_FOUND = Wording("os.not_found", N_("file not found"))
_OS_PERMISSION_DENIED = Wording("os.permission_denied", N_("permission denied"))
_OS_NO_SPACE = Wording("os.no_space", N_("no space left on the disk"))
_OS_IS_DIRECTORY = Wording("os.is_directory", N_("it is a folder, not a file"))
_OS_OTHER = Wording("os.other", N_("system error {code}"))


def os_problem(exc: OSError) -> Message:
    """What went wrong with a file, said in words a page translates (not found,
    permission denied, no space, a folder); any other failure by its error's symbolic
    code (``EIO``), which the page names as it is — never the system's English text."""
    known = _OS_WORDS.get(exc.errno or 0)
    if known is not None:
        return WORDINGS[known[0]]()
    code = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return _OS_OTHER(code=code)


def message_of(exc: BaseException) -> str:
    """What an exception says: its :class:`Message` when it was raised with one (still a
    ``str``), else its text."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Message) else str(exc)


MOST_DECIMALS = 4
"""A percentage is never shown with more decimals than this (0.0001 %)."""


def placed(probability: float, marks: Iterable[float], least: int = 1) -> Decimal:
    """``probability`` as a percentage with the fewest decimals (``least`` at least) that keep
    it on its own side of every mark (a threshold) and of 0 and 100 %: 0.9989 against a
    threshold of 0.999 is 99.89, never 99.9, which would read as reaching it; 0.99999 is
    99.999, never 100. Past :data:`MOST_DECIMALS` the value is cut towards its side."""
    exact = Decimal(repr(probability)) * 100
    bounds = [Decimal(repr(m)) * 100 for m in (*marks, 0.0, 1.0)]

    def faithful(shown: Decimal) -> bool:
        return all((shown > b) - (shown < b) == (exact > b) - (exact < b) for b in bounds)

    for decimals in range(least, MOST_DECIMALS + 1):
        step = Decimal(1).scaleb(-decimals)
        shown = exact.quantize(step, ROUND_HALF_EVEN)
        if faithful(shown):
            return shown
    above = [b for b in bounds if b > exact]
    return exact.quantize(step, ROUND_FLOOR if above and shown >= min(above)
                          else ROUND_CEILING)


def placed_text(probability: float, marks: Iterable[float], least: int = 1) -> str:
    """:func:`placed` as the command line writes it: ``99.89%``, ``0.01%`` (never a
    four-decimal probability that reads as zero or as reaching a threshold)."""
    return f"{placed(probability, marks, least)}%"
