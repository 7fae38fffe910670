"""Public statistics with disclosure control (issue 18): pure code, no storage, no web.

:mod:`.facts` is what is counted (one fact per case, nothing that names it),
:mod:`.release` builds a protected release, :mod:`.solver` is our port to the
linear-programming solver, :mod:`.attack` is the attacker that checks a release. The rules
and why: ``docs/statistics.md``.
"""

from kinlink.statistics.facts import CaseFact
from kinlink.statistics.release import (
    CellStatus,
    Preview,
    PublishedCell,
    PublishedTable,
    Release,
    build_release,
    prepare_release,
)

__all__ = ["CaseFact", "CellStatus", "Preview", "PublishedCell", "PublishedTable", "Release",
           "build_release", "prepare_release"]
