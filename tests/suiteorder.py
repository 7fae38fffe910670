"""The order in which the suite hands its files to the xdist workers (used by
``tests/conftest.py``)."""

from __future__ import annotations

LONGEST_FILES = (
    "tests/web/test_web_upload_safety.py", "tests/web/test_web_schema.py",
    "tests/web/test_web_imports.py", "tests/web/test_agency_scope.py",
    "tests/web/test_web_every_page_uk_browser.py", "tests/linkage/test_linkage_spark.py",
    "tests/web/test_web_import_browser.py", "tests/web/test_import_doors.py",
    "tests/ingest/test_kill.py", "tests/web/test_web_review.py",
    "tests/web/test_web_permissions.py", "tests/web/test_web_search.py",
    "tests/web/test_web_mediation.py", "tests/web/test_serve_workers.py",
)
"""The files that take longest (30–100 s each with two workers, 2026-12-07), longest
first: the suite hands them out first (``pytest_collection_modifyitems`` in conftest.py)."""
