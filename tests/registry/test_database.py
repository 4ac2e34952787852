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


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_a_registry_that_holds_registrations(
        backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine, text

    from tmo.registry import tallies
    from tmo.registry.database import _alembic, transaction

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    else:
        pg = request.getfixturevalue("pg_registry")
        admin = create_engine(pg.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("DROP DATABASE IF EXISTS upgrade_test"))
            c.execute(text("CREATE DATABASE upgrade_test"))
        admin.dispose()
        url = pg.url.set(database="upgrade_test").render_as_string(hide_password=False)
    made = engine(url)
    with made.connect() as c:  # the first schema, with two registrations in it
        command.upgrade(_alembic(c), "r0001")
        c.commit()
        c.execute(text("INSERT INTO missions (id, name, city, host) VALUES (1, 'M', '', 'GBR')"))
        for i, (name, sex) in enumerate([("Ána Phiri", "female"), ("Bo Zulu", None)], 1):
            c.execute(text("INSERT INTO users (id, email, role, created_at, language) "
                           "VALUES (:i, :e, 'registrant', '2026-01-01', 'en')"),
                      {"i": i, "e": f"u{i}@x.org"})
            c.execute(text(
                "INSERT INTO registrations (id, user_id, name, residence, mission_id, sex, "
                "intends_return, intends_invest, intends_mentor, intends_vote, synthetic, "
                "created_at, updated_at) VALUES (:i, :i, :n, 'GBR', 1, :s, TRUE, FALSE, "
                "FALSE, FALSE, FALSE, '2026-01-01', '2026-01-01')"),
                {"i": i, "n": name, "s": sex})
        c.commit()
    migrate(made)
    assert revision(made) == head()
    with made.connect() as c:
        keys = c.execute(text("SELECT name_key FROM registrations ORDER BY id")).scalars()
        assert list(keys) == ["ána phiri", "bo zulu"]
    with transaction(made) as s:
        migrated = tallies.read(s)
        tallies.rebuild(s)
        assert migrated == tallies.read(s)
    assert migrated["GBR"][("total", "")] == 2
    assert migrated["GBR"][("sex", "female")] == 1
    assert migrated["GBR"][("intends_return", "1")] == 2
    made.dispose()
