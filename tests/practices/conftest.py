"""Fixtures for the good-practice tests: a valid submission and an isolated TMO_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmo.practices.catalog import Catalog, load_catalog

HERE = Path(__file__).resolve().parent

VALID_SUBMISSION = """\
---
id: {id}
title: Municipal welcome desks for newly arrived families
countries: [PRT]
places: [Lisbon]
actors:
  - {{name: Lisbon City Council, type: local government}}
level: local
themes: [information and orientation, family support]
target_groups: [newly arrived migrant families]
years: [2011]
figures:
  - {{value: 3, unit: desks, what: welcome desks opened}}
source:
  document: submitted by the city
  section: annual report 2011
related: [prt-talude-childcare-education]
---
The city opened welcome desks where newly arrived families get advice on housing,
schools and health care in their own language, from staff who are migrants themselves.

For whom: migrant families in their first year in the city.

Result: three desks opened in the first year.
"""


def submission_text(practice_id: str = "prt-lisbon-welcome-desks") -> str:
    return VALID_SUBMISSION.format(id=practice_id)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def tmo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TMO_HOME", str(home))
    return home
