"""Cases: a reported child's case and its workflow, from the report to reunification.

Functions here work in the caller's transaction (a :class:`~kinlink.storage.Session`),
so that a use case can open a case in the transaction of the decision that found the
child, or move every case of a list in the transaction that sends it. Each change writes
its audit event in that same transaction.
"""

from kinlink.cases.workflow import CaseFile, advance, case_file, cases_of, open_missing

__all__ = ["CaseFile", "advance", "case_file", "cases_of", "open_missing"]
