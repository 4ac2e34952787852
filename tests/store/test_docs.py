"""Docs that cannot drift: docs/store.md is generated from the schema."""

from tmo.store.schema import markdown

from ..conftest import REPO


def test_store_doc_matches_the_schema() -> None:
    committed = (REPO / "docs" / "store.md").read_text(encoding="utf-8")
    assert committed == markdown(), (
        "docs/store.md is stale: regenerate with "
        "python -c \"from tmo.store.schema import markdown; "
        "open('docs/store.md','w').write(markdown())\""
    )
