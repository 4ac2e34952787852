"""Fixtures of the registry's tests: every test taking `made` runs twice, on SQLite and
on PostgreSQL (one throwaway cluster for the session, a fresh database per test copied
from a migrated template)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from tmo.registry import accounts, organisation
from tmo.registry.access import SYSTEM, Actor
from tmo.registry.database import engine, migrate, transaction
from tmo.registry.models import Base
from tmo.skills import models as _skills  # noqa: F401  # its tables join Base.metadata
from tmo.skills import saved as _saved  # noqa: F401  # saved searches join it too

from .postgres import cluster

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_registry() -> Iterator[Engine]:
    """The session's PostgreSQL cluster with one migrated database `registry`, emptied
    before each test (`fresh`)."""
    with cluster() as url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("CREATE DATABASE registry"))
        admin.dispose()
        made = engine(str(make_url(url).set(database="registry")))
        migrate(made)
        yield made
        made.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("registry_template") / "registry.sqlite"
    made = engine(f"sqlite:///{path}")
    migrate(made)
    made.dispose()
    return path


def fresh(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if backend == "sqlite":
        path = tmp_path / "registry.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return engine(f"sqlite:///{path}")
    made: Engine = request.getfixturevalue("pg_registry")
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with made.begin() as c:
        c.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return made


@pytest.fixture(params=BACKENDS)
def made(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty registry on SQLite or PostgreSQL."""
    e = fresh(request.param, request, tmp_path)
    yield e
    if request.param == "sqlite":
        e.dispose()


BASE = "https://registry.test"


@pytest.fixture
def world(made: Engine) -> dict[str, object]:
    """A registry of Zambia with two missions (London: GBR and IRL; Pretoria: ZAF), an
    administrator, an officer of each mission and an analyst (all with known passwords,
    verified)."""
    with transaction(made) as s:
        organisation.set_origin(s, "ZMB", "Zambia")
        london = organisation.add_mission(s, SYSTEM, "High Commission in London", "GBR",
                                          residences=["GBR", "IRL"], city="London")
        pretoria = organisation.add_mission(s, SYSTEM, "High Commission in Pretoria", "ZAF",
                                            residences=["ZAF"], city="Pretoria")
        admin = accounts.create_admin(s, "admin@registry.test", "admin password 1")
    people = {}
    for role, mission, email in (("officer", london, "london@registry.test"),
                                 ("officer", pretoria, "pretoria@registry.test"),
                                 ("analyst", None, "analyst@registry.test")):
        with transaction(made) as s:
            user = accounts.invite(s, Actor(admin, "admin"), email, role,
                                   mission_id=mission, base_url=BASE)
            token = _link(s, user).split("token=")[1]
            accounts.accept(s, token, f"{role} password 1")
        people[email.split("@")[0]] = Actor(user, role, mission)
    return {"made": made, "london_mission": london, "pretoria_mission": pretoria,
            "admin": Actor(admin, "admin"), **people}


def _link(session, user_id: int) -> str:
    from sqlalchemy import select

    from tmo.registry.models import Mail

    body = session.scalars(select(Mail.body).where(Mail.user_id == user_id)
                           .order_by(Mail.id.desc())).first()
    return next(w for w in body.split() if "token=" in w)


def link(made: Engine, user_id: int) -> str:
    """The last link mailed to a user (the outbox)."""
    with transaction(made) as s:
        return _link(s, user_id)


@pytest.fixture(autouse=True)
def quick_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost in the tests of behaviour (sign-in, registration), to
    keep them fast; tests/registry/test_passwords.py checks the real parameters."""
    if request.module.__name__.endswith("test_passwords"):
        return
    from argon2 import PasswordHasher, Type

    from tmo.registry import passwords

    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=8,
                                                            parallelism=1, type=Type.ID))


@pytest.fixture(scope="session")
def published_registry(fixture_store: Path, tmp_path_factory: pytest.TempPathFactory
                       ) -> dict[str, Any]:
    """A copy of the fixture store into which an SQLite registry of MDA (60 synthetic
    registrants, every one with a synthetic skills profile) published its aggregates
    through the command line: made once for tests/registry/test_publication.py and
    test_skills_publication.py (each used to make its own, 15 to 50 s)."""
    from click.testing import CliRunner

    from tmo.cli import cli
    from tmo.profiles.context import build_profile
    from tmo.registry import aggregates, demo
    from tmo.skills import aggregates as skills
    from tmo.skills import demo as skills_demo
    from tmo.store.query import connect

    where = tmp_path_factory.mktemp("published")
    store = where / "tmo.duckdb"
    shutil.copy(fixture_store, store)
    url = f"sqlite:///{where / 'registry.sqlite'}"
    made = engine(url)
    migrate(made)
    con = connect(store)
    try:
        demo.populate(made, con, "MDA", 60, seed=3)
    finally:
        con.close()
    skills_demo.fill(made, share=1.0)
    done = CliRunner().invoke(cli, ["registry", "publish-aggregates", "--registry", url,
                                    "--db", str(store)])
    assert done.exit_code == 0, done.output
    return {"store": store, "made": made, "output": done.output,
            "expected": aggregates.registered_by_residence(made),
            "skills": skills.composition(made), "profile": build_profile(store, "MDA")}
