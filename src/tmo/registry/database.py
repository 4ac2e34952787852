"""Where the registry lives and how it is opened: a database URL (SQLite in WAL mode by
default, beside the statistics store; PostgreSQL via `TMO_REGISTRY_URL` or `--registry`),
its schema made and upgraded by the Alembic migrations shipped in this package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tmo.errors import InputError, NotFound, TmoError

MIGRATIONS = Path(__file__).with_name("migrations")
ENV = "TMO_REGISTRY_URL"
URL_HINT = ("pass --registry sqlite:///PATH or postgresql://USER@HOST/DB "
            f"(or set {ENV})")
INIT_HINT = "run `tmo registry init` first (with the same --registry URL)"


def default_url(store: Path) -> str:
    """The embedded registry: a SQLite file beside the statistics store."""
    return f"sqlite:///{store.parent / 'registry.sqlite'}"


def resolve_url(url: str | None, store: Path) -> str:
    """Explicit URL > `TMO_REGISTRY_URL` > the SQLite file beside the store."""
    return url or os.environ.get(ENV) or default_url(store)


def _driver(url: str) -> Any:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InputError(f"registry URL {url!r} is not a database URL", hint=URL_HINT) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(f"registry URL {parsed.render_as_string(hide_password=True)!r}: "
                         f"{parsed.get_backend_name()} is not supported", hint=URL_HINT)
    return parsed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: readers never block the writer; synchronous FULL: an acknowledged commit
    # survives a crash; secure_delete: erased rows are overwritten, not left in free pages
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                   "secure_delete=ON", "busy_timeout=30000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def engine(url: str) -> Engine:
    """An engine on the registry at `url` (nothing is created or connected yet)."""
    parsed = _driver(url)
    if parsed.get_backend_name() == "sqlite":
        made = create_engine(parsed, connect_args={"timeout": 30,
                                                   "check_same_thread": False})
        event.listen(made, "connect", _sqlite_pragmas)
        # SQLAlchemy's pysqlite driver defers BEGIN; make it real so writes serialise
        event.listen(made, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return made
    return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)


def where(made: Engine) -> str:
    """The registry's URL without its password, for messages."""
    return made.url.render_as_string(hide_password=True)


def _alembic(connection: Any) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest migration's revision."""
    found = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert found is not None
    return found


def migrate(made: Engine) -> None:
    """Create or upgrade the registry's schema to the newest migration."""
    if made.url.get_backend_name() == "sqlite" and made.url.database:
        Path(made.url.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        with made.connect() as connection:
            command.upgrade(_alembic(connection), "head")
            connection.commit()
    except OperationalError as exc:
        raise _unreachable(made, exc) from exc


def revision(made: Engine) -> str | None:
    """The schema revision the registry is at (None: never initialised)."""
    if made.url.get_backend_name() == "sqlite" and made.url.database \
            and not Path(made.url.database).is_file():
        return None  # do not create an empty file by looking
    try:
        with made.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise _unreachable(made, exc) from exc


def require_current(made: Engine) -> Engine:
    """`made`, if its schema is the newest; else one clear error."""
    at = revision(made)
    if at is None:
        raise NotFound(f"no registry at {where(made)}", hint=INIT_HINT)
    if at != head():
        raise TmoError(f"the registry at {where(made)} has schema {at}, this tmo needs "
                       f"{head()}", hint="run `tmo registry init` to upgrade it")
    return made


def _unreachable(made: Engine, exc: SQLAlchemyError) -> TmoError:
    first = str(exc.orig if hasattr(exc, "orig") else exc).strip().splitlines()[0]
    return TmoError(f"cannot open the registry at {where(made)}: {first}", hint=URL_HINT)


@contextmanager
def transaction(made: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises (what the
    block committed itself before raising, e.g. a counted failed attempt, stays)."""
    session = sessionmaker(made, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
