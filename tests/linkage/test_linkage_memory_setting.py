"""``KINLINK_DUCKDB_MEMORY`` bounds DuckDB wherever kinlink starts a linkage run: ``kinlink
link`` and ``kinlink dedupe`` (no store) and every link of a store (imports, ``kinlink
match``, corrections, registrations, answers); a wrong value stops the command with the
variable's name and what it expects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import kinlink.linkage.engine
import kinlink.matching.store
from kinlink.cli import app
from kinlink.config import Settings
from kinlink.demo import DemoConfig, generate, generate_linkage_pair
from kinlink.domain.records import SourceKind
from kinlink.ingest import ImportRequest, import_file
from kinlink.linkage import Engine, default_engine
from kinlink.linkage.splink_engine import SplinkEngine
from kinlink.matching import match_store
from kinlink.storage import open_store

runner = CliRunner()


def _limit(engine: Engine) -> int:
    """DuckDB's memory limit in bytes on a connection the engine configured."""
    assert isinstance(engine, SplinkEngine)
    con = duckdb.connect(":memory:")
    try:
        engine._configure(con)
        rows = con.execute("SELECT current_setting('memory_limit')").fetchall()
        number, unit = str(rows[0][0]).split()
        scale = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "KB": 10**3, "MB": 10**6,
                 "GB": 10**9}[unit]
        return int(float(number) * scale)
    finally:
        con.close()


def _near(shown: int, wanted: int) -> bool:
    """DuckDB shows its limit rounded to a tenth of a MiB or GiB."""
    return abs(shown - wanted) < 0.01 * wanted


def _spy(monkeypatch: pytest.MonkeyPatch, module: object) -> list[Engine]:
    """Record the engines ``module`` builds with the real :func:`default_engine`."""
    built: list[Engine] = []
    real: Callable[..., Engine] = default_engine

    def spying(**kwargs: object) -> Engine:
        engine = real(**kwargs)
        built.append(engine)
        return engine

    monkeypatch.setattr(module, "default_engine", spying)
    return built


def test_the_setting_is_read_from_the_environment_and_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KINLINK_DUCKDB_MEMORY", raising=False)
    assert Settings().duckdb_memory == "3GB"
    monkeypatch.setenv("KINLINK_DUCKDB_MEMORY", " 1.5 gib ")
    assert Settings().duckdb_memory == "1.5GiB"
    for wrong in ("lots", "3", "0GB", "-1GB", "3 GB RAM", ""):
        monkeypatch.setenv("KINLINK_DUCKDB_MEMORY", wrong)
        with pytest.raises(ValueError, match="must be a size above zero with its unit"):
            Settings()


@pytest.mark.slow
def test_kinlink_link_bounds_duckdb_by_the_setting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    generate_linkage_pair(left, right, 200, 11, tmp_path / "truth.csv")
    built = _spy(monkeypatch, kinlink.linkage.engine)  # the commands build it through chosen_engine
    monkeypatch.setenv("KINLINK_DUCKDB_MEMORY", "700MB")
    result = runner.invoke(app, ["link", str(left), str(right), "-o", str(tmp_path / "p.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "p.csv").stat().st_size > 0
    assert len(built) == 1
    assert _near(_limit(built[0]), 700 * 10**6)


def test_a_wrong_setting_stops_kinlink_link_saying_which_and_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_DUCKDB_MEMORY", "plenty")
    result = runner.invoke(app, ["link", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"),
                                 "-o", str(tmp_path / "p.csv")])
    assert result.exit_code == 2
    assert "KINLINK_DUCKDB_MEMORY: must be a size above zero" in " ".join(result.output.split())
    assert not (tmp_path / "p.csv").exists()


@pytest.mark.slow
def test_linking_a_store_bounds_duckdb_by_the_setting(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path / "data", database_url=None,
                                duckdb_memory="650MB"))
    try:
        files = generate(tmp_path / "demo", DemoConfig(children=120, seed=23))
        reports = next(f.path for f in files if f.kind == "family_reports")
        import_file(store, ImportRequest(path=reports, imported_by="tester",
                                         kind=SourceKind.FAMILY_REPORTS))
        with pytest.MonkeyPatch.context() as patch:
            built = _spy(patch, kinlink.matching.store)
            result = match_store(store, actor="tester")
        assert result.run_id is not None
        assert len(built) == 1
        assert _near(_limit(built[0]), 650 * 10**6)
    finally:
        store.dispose()
