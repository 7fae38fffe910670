"""An import leaves PostgreSQL statistics of every table a child's window is read from,
the few rows of ``sources`` included (issue 15: without them the planner walked every
record of the finished lists instead of the birth index). SQLite has nothing to refresh
and imports the same."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from kinlink.demo.generator import DemoConfig, generate
from kinlink.domain.records import Role, SourceKind
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import Store
from kinlink.storage.tables import RecordRow


def test_an_import_leaves_statistics_of_its_lists(store: Store, tmp_path: Path) -> None:
    item = {f.path.name: f for f in generate(tmp_path, DemoConfig(children=20, seed=3))}[
        "family_reports.csv"]
    import_file(store, ImportRequest(path=item.path, imported_by="tester",
                                     kind=SourceKind(item.kind), role=Role(item.role)))
    with store.transaction() as session:
        assert session.execute(select(func.count()).select_from(RecordRow)).scalar_one()
        if session.get_bind().dialect.name != "postgresql":
            return
        analysed = dict(session.execute(text(
            "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname IN ('sources', 'records', 'search_keys')")).all())
    assert analysed == {"sources": True, "records": True, "search_keys": True}
