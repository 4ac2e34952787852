"""The registry's own database: migrations that match the models, SQLite in WAL mode,
clear one-line errors for a bad URL or an uninitialised registry, and no
immigration-status field anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from tmo.errors import InputError, NotFound
from tmo.registry.database import engine, head, migrate, require_current, resolve_url, revision
from tmo.registry.models import Base


def test_migrations_build_exactly_the_models(made: Engine) -> None:
    with made.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    assert revision(made) == head()


def test_no_field_anywhere_records_immigration_status(made: Engine) -> None:
    columns = [c["name"] for t in inspect(made).get_table_names()
               for c in inspect(made).get_columns(t)]
    assert "residence" in columns  # the check reads the real schema
    assert not [c for c in columns if "status" in c or "visa" in c or "permit" in c
                or "legal" in c or "document" in c]


def test_sqlite_runs_in_wal_mode_with_durable_commits(tmp_path: Path) -> None:
    made = engine(f"sqlite:///{tmp_path / 'r.sqlite'}")
    migrate(made)
    with made.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_default_is_sqlite_beside_the_store(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TMO_REGISTRY_URL", raising=False)
    assert resolve_url(None, tmp_path / "tmo.duckdb") == \
        f"sqlite:///{tmp_path / 'registry.sqlite'}"
    monkeypatch.setenv("TMO_REGISTRY_URL", "postgresql://u@h/db")
    assert resolve_url(None, tmp_path / "tmo.duckdb") == "postgresql://u@h/db"
    assert resolve_url("sqlite:///x", tmp_path / "tmo.duckdb") == "sqlite:///x"


def test_postgresql_urls_use_psycopg() -> None:
    assert engine("postgresql://u:secret@h/db").url.drivername == "postgresql+psycopg"


@pytest.mark.parametrize("url", ["not a url", "mysql://u@h/db", "oracle://x"])
def test_an_unusable_url_is_one_line(url: str) -> None:
    with pytest.raises(InputError) as err:
        engine(url)
    assert "\n" not in str(err.value)
    assert err.value.hint


def test_an_uninitialised_registry_says_how_to_make_one(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite"
    with pytest.raises(NotFound, match="no registry at") as err:
        require_current(engine(f"sqlite:///{path}"))
    assert "tmo registry init" in (err.value.hint or "")
    assert not path.exists()  # looking creates nothing
