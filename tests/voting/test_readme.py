"""The README's first results for voting run as written, on the real store: the Moldova
plan from UN DESA stocks and the synthetic pre-registrations, as a page with its map and
assumptions and the voter information in four languages, every page saying the
registrations are synthetic."""

from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import CliRunner

from tmo.cli import cli

from ..conftest import REPO


def readme_voting_commands() -> list[list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## First results", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [shlex.split(line, comments=True) for line in block.splitlines()
            if line.startswith(".venv/bin/tmo voting ")]


def test_the_readme_moldova_plan_runs_as_written(store, tmp_path, monkeypatch):
    commands = readme_voting_commands()
    assert len(commands) == 1
    args = commands[0][1:]  # after .venv/bin/tmo
    assert args[:3] == ["voting", "plan", "MDA"]
    # paths in the command are relative to the repository, as the README is run there
    args = [str(REPO / a) if (REPO / a).is_file() else a for a in args]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*args, "--db", str(store)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in Path(tmp_path).iterdir())
    assert written == ["MDA-info.en.html", "MDA-info.es.html", "MDA-info.fr.html",
                       "MDA-info.ro.html", "MDA-stations.html"]
    plan = (tmp_path / "MDA-stations.html").read_text(encoding="utf-8")
    assert "<strong>Synthetic data.</strong>" in plan
    assert 'class="chart plan-map"' in plan
    assert "Assumptions and where each figure comes from" in plan
    for lang, label in (("en", "Synthetic data"), ("fr", "Données synthétiques"),
                        ("es", "Datos sintéticos"), ("ro", "Date sintetice")):
        page = (tmp_path / f"MDA-info.{lang}.html").read_text(encoding="utf-8")
        assert f"<strong>{label}</strong>" in page, lang
    assert "94 stations in 49 countries" in result.stderr  # as docs/voting.md's figures
