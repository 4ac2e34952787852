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


def test_indicator_doc_matches_the_definitions() -> None:
    from tmo.indicators.definitions import markdown as indicators_markdown

    committed = (REPO / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert committed == indicators_markdown(), "docs/indicators.md is stale: regenerate it"


def test_every_cli_command_is_in_the_readme() -> None:
    import click

    from tmo.cli import cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = cli.list_commands(click.Context(cli))
    assert len(names) >= 14
    for name in names:
        assert f"`tmo {name}" in readme, name
