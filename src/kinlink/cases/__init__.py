"""Cases: a reported child's case and its workflow, from the report to reunification.

Functions here work in the caller's transaction (a :class:`~kinlink.storage.Session`),
so that a use case can open a case in the transaction of the decision that found the
child, or move every case of a list in the transaction that sends it. Each change writes
its audit event in that same transaction. Opening every missing case of the store is
planned in one read and written in batches (:mod:`kinlink.cases.opening`).
"""

from kinlink.cases.opening import MissingCase, missing_cases, open_for_child, open_planned
from kinlink.cases.workflow import CaseFile, advance, case_file, cases_of, histories

__all__ = ["CaseFile", "MissingCase", "advance", "case_file", "cases_of", "histories",
           "missing_cases", "open_for_child", "open_planned"]
