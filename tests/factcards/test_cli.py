"""tmo facts, tmo claims check, tmo words check on the fixture store: formats, exit codes,
errors as one line and a hint."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tmo.cli import cli


def run(args: list[str], store: Path | None = None, stdin: str | None = None):
    env = {"TMO_DB": str(store)} if store else {}
    return CliRunner().invoke(cli, args, input=stdin, env=env)


def test_facts_in_each_format(fixture_store: Path) -> None:
    text = run(["facts", "MDA", "--lang", "es"], fixture_store)
    assert text.exit_code == 0, text.output
    assert "8.000 migrantes internacionales" in text.output
    doc = json.loads(run(["facts", "Moldavie", "--format", "json"], fixture_store).output)
    assert doc["cards"][0]["figure"]["value"] == 8000
    assert run(["facts", "world", "--format", "svg"], fixture_store).output.startswith("<svg")
    assert "<section" in run(["facts", "DEU", "--format", "html"], fixture_store).output
    bad = run(["facts", "Atlantis"], fixture_store)
    assert bad.exit_code == 1
    assert "no country, UN region or world named 'Atlantis'" in bad.output
    assert "hint:" in bad.output


def test_claims_check_exit_codes(fixture_store: Path) -> None:
    ok = run(["claims", "check", "There are 8,000 immigrants in Moldova.", "--format",
              "json"], fixture_store)
    assert ok.exit_code == 0
    answer = json.loads(ok.output)
    assert (answer["verdict"], answer["figure"]["value"]) == ("accurate", 8000)
    assert answer["source"]
    text = run(["claims", "check", "Il y a 16 000 immigrés en Moldavie."], fixture_store)
    assert text.output.startswith("FAUX: ")
    unread = run(["claims", "check", "Migrants are stealing our jobs."], fixture_store)
    assert unread.exit_code == 2
    assert "CANNOT BE CHECKED: no number found" in unread.output


def test_words_check_on_stdin_and_files(tmp_path: Path) -> None:
    flagged = run(["words", "check", "-"], stdin="Police held 40 illegal immigrants.\n")
    assert flagged.exit_code == 1
    assert flagged.output.startswith("<stdin>:1:16: en.illegal_person:")
    clean = run(["words", "check", "-"], stdin="Refugees and migrants arrived.\n")
    assert (clean.exit_code, clean.output) == (0, "")
    page = tmp_path / "article.txt"
    page.write_text("Les clandestins sont arrivés.", encoding="utf-8")
    out = run(["words", "check", str(page), "--lang", "fr", "--format", "json"])
    assert out.exit_code == 1
    assert json.loads(out.output)["flags"][0]["rule"] == "fr.clandestins"
    (tmp_path / "latin1.txt").write_bytes("clandestin\xe9".encode("latin-1"))
    bad = run(["words", "check", str(tmp_path / "latin1.txt")])
    assert "not UTF-8 text (byte 10)" in bad.output
    assert "hint: convert it to UTF-8" in bad.output
