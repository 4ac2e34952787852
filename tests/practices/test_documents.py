"""Every document a curated practice cites has its title, and the titles are those of the
seed documents."""

from __future__ import annotations

from tmo.practices.catalog import load_catalog
from tmo.practices.documents import DOCUMENTS, title

from ..conftest import SEEDS


def test_titles_cover_the_seed_documents() -> None:
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    assert seeds, f"no seed documents under {SEEDS}"
    assert set(DOCUMENTS) == seeds
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in DOCUMENTS)


def test_every_curated_practice_cites_a_titled_document() -> None:
    cited = {p.source.document for p in load_catalog().records if p.provenance == "curated"}
    assert cited
    assert cited <= set(DOCUMENTS)
    assert title("000_1fb4bd01747371e4.txt").startswith("IOM, IDM 2010: final report")
    assert title("a city council's own report") == "a city council's own report"
