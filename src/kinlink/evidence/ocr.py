"""Optical character recognition by Tesseract, the only module that calls it.

Tesseract is an optional program (Debian's ``tesseract-ocr`` with the ``-ukr`` and
``-rus`` language packs; ``scripts/ensure-tesseract`` installs them): kinlink runs
without it, and reading a scan then stops with a :class:`ConfigurationError` that says
what to install. The binary is found on ``PATH`` at every call (never remembered at
import), its version and language packs are asked once per binary.

Images go to Tesseract on its standard input and the text comes back on its standard
output: no copy of a document is written to a temporary file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kinlink.errors import ConfigurationError, FileRefusedError
from kinlink.i18n import N_, Wording

__all__ = ["DEFAULT_LANGUAGES", "Tesseract", "tesseract"]

DEFAULT_LANGUAGES = ("ukr", "rus", "eng")
"""The languages a scan is read in unless told otherwise (Tesseract's codes)."""

PAGE_SECONDS = 300
"""The longest one page may take to read before it is given up."""

_MISSING = Wording("evidence.ocr.missing", N_(
    "reading scans needs Tesseract, which is not installed: install Debian's "
    "tesseract-ocr with tesseract-ocr-ukr and tesseract-ocr-rus (scripts/ensure-tesseract)"))
_NO_LANGUAGE = Wording("evidence.ocr.no_language", N_(
    "Tesseract has no language pack for {languages}: install {packages} "
    "(scripts/ensure-tesseract)"))
_UNUSABLE = Wording("evidence.ocr.unusable", N_(
    "Tesseract does not answer as expected (exit status {status}): reinstall tesseract-ocr"))
_FAILED = Wording("evidence.ocr.failed", N_(
    "Tesseract could not read page {page} (exit status {status})"))
_TOO_SLOW = Wording("evidence.ocr.too_slow", N_(
    "Tesseract took longer than {seconds} seconds to read page {page}; it was stopped"))

_LANGUAGE = re.compile(r"[A-Za-z]{3,}(?:_[A-Za-z]+)*")
_VERSION = re.compile(r"tesseract\s+v?(\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class Tesseract:
    """An installed Tesseract: where it is, its version and its language packs."""

    path: str
    version: str
    languages: frozenset[str]

    def read(self, image: bytes, languages: Sequence[str], *, page: int = 1) -> str:
        """The text Tesseract reads in ``image`` (PNG, JPEG or TIFF bytes) in
        ``languages``; page ``page`` only names the page in an error."""
        self._check(languages)
        try:
            done = subprocess.run(
                [self.path, "stdin", "stdout", "-l", "+".join(languages)],
                input=image, capture_output=True, timeout=PAGE_SECONDS, check=False,
                env=_environment())
        except subprocess.TimeoutExpired:
            raise FileRefusedError(_TOO_SLOW(seconds=PAGE_SECONDS, page=page)) from None
        if done.returncode != 0:
            raise FileRefusedError(_FAILED(page=page, status=done.returncode))
        return done.stdout.decode("utf-8", errors="replace")

    def _check(self, languages: Sequence[str]) -> None:
        if not languages or any(not _LANGUAGE.fullmatch(lang) for lang in languages):
            raise ValueError("languages must be Tesseract language codes")
        missing = tuple(lang for lang in languages if lang not in self.languages)
        if missing:
            packages = tuple(f"tesseract-ocr-{lang.replace('_', '-').lower()}"
                             for lang in missing)
            raise ConfigurationError(_NO_LANGUAGE(languages=missing, packages=packages))


def tesseract() -> Tesseract:
    """The Tesseract on ``PATH``, or a :class:`ConfigurationError` saying what to install."""
    path = shutil.which("tesseract")
    if path is None:
        raise ConfigurationError(_MISSING())
    return _describe(os.path.realpath(path))


@lru_cache(maxsize=4)
def _describe(path: str) -> Tesseract:
    version = _ask(path, "--version")
    languages = _ask(path, "--list-langs")
    found = _VERSION.search(version)
    return Tesseract(
        path=path,
        version=found.group(1) if found else "unknown",
        languages=frozenset(line.strip() for line in languages.splitlines()[1:]
                            if line.strip()),
    )


def _ask(path: str, option: str) -> str:
    try:
        done = subprocess.run([path, option], capture_output=True, timeout=30, check=False,
                              env=_environment())
    except (OSError, subprocess.TimeoutExpired):
        raise ConfigurationError(_UNUSABLE(status=-1)) from None
    if done.returncode != 0:
        raise ConfigurationError(_UNUSABLE(status=done.returncode))
    # Older versions print the version on standard error.
    return (done.stdout or done.stderr).decode("utf-8", errors="replace")


def _environment() -> dict[str, str]:
    """Tesseract's environment: one thread per page (the server reads pages side by side
    and has few cores), everything else as kinlink was given."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}
