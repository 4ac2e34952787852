"""The `practices` click group, driven in process with CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.practices.conftest import submission_text
from tmo.cli.practices import practices
from tmo.errors import CountryNotFound, InputError, NotFound


@pytest.fixture
def run(tmo_home: Path, monkeypatch):
    monkeypatch.setenv("TMO_SEMANTIC", "0")
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(practices, list(args), terminal_width=160)

    return invoke


def test_search_json(run) -> None:
    result = run("search", "how can citizens abroad vote?", "--format", "json", "--limit", "3")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert len(hits) == 3
    assert {"id", "title", "countries", "themes", "summary", "source", "score"} <= set(hits[0])
    assert {h["id"] for h in hits[:2]} == {"mda-out-of-country-voting", "ecu-out-of-country-voting"}


def test_search_table_and_filters(run) -> None:
    result = run("search", "diaspora", "--country", "URY", "--theme", "remittances")
    assert result.exit_code == 0
    assert "ury-postal-remittances" in result.output
    assert "fulltext search" in result.output
    nothing = run("search", "xylophonezzz").output
    assert "No close match for 'xylophonezzz'" in nothing
    assert "66 good practices" in " ".join(nothing.split())  # the scope, wrapped by rich


def test_search_below_the_floor_says_so_in_the_question_language(run) -> None:
    """French question, French answer; JSON keeps its list (empty) on stdout and says
    why on stderr."""
    table = run("search", "recette de la paella")
    assert table.exit_code == 0
    assert "Aucune pratique proche de « recette de la paella »" in " ".join(table.output.split())
    result = run("search", "¿cuál es la receta de la paella?", "--format", "json")
    assert json.loads(result.stdout) == []
    assert result.stderr.startswith(
        "Ninguna práctica se acerca a «¿cuál es la receta de la paella?»")


def test_search_in_french_and_spanish(run) -> None:
    for question in ("comment les citoyens à l'étranger peuvent-ils voter ?",
                     "¿Cómo pueden votar los ciudadanos que viven en el extranjero?"):
        hits = json.loads(run("search", question, "--format", "json", "--limit", "2").stdout)
        assert {h["id"] for h in hits} == {"mda-out-of-country-voting",
                                           "ecu-out-of-country-voting"}


def test_search_errors_are_tmo_errors(run) -> None:
    result = run("search", "vote", "--country", "ZZZ")
    assert isinstance(result.exception, CountryNotFound)
    result = run("search", "vote", "--mode", "hybrid")
    assert isinstance(result.exception, InputError)
    assert run("search", "vote", "--level", "city").exit_code == 2  # click's own choice check


def test_list_json_is_an_array_of_records(run) -> None:
    result = run("list", "--format", "json")
    records = json.loads(result.output)
    assert len(records) == 66
    assert {"id", "title", "countries", "places", "actors", "level", "themes", "target_groups",
            "years", "figures", "source", "related", "body"} <= set(records[0])
    moroccan = json.loads(run("list", "--country", "MAR", "--format", "json").output)
    assert {r["id"] for r in moroccan} == {
        "mar-consular-network-services", "mar-national-migrants-day",
        "mar-summer-camps-second-generation",
    }
    table = run("list", "--theme", "remittances", "--level", "regional").output
    assert "ury-postal-remittances" in table


def test_show(run) -> None:
    result = run("show", "ury-departamento-20")
    assert result.exit_code == 0
    assert "Departamento 20" in result.output
    assert "more than 40 councils" in result.output
    data = json.loads(run("show", "ury-departamento-20", "--format", "json").output)
    assert data["figures"][0] == {
        "value": 40, "unit": "councils", "qualifier": "more than",
        "what": "consultative councils created abroad",
    }
    assert isinstance(run("show", "nope").exception, NotFound)


def test_facets(run) -> None:
    data = json.loads(run("facets", "--format", "json").output)
    assert sum(data["level"].values()) == 66
    assert "remittances" in run("facets").output


def test_submit_review_approve_then_searchable(run, tmp_path: Path, tmo_home: Path) -> None:
    file = tmp_path / "desks.md"
    file.write_text(submission_text(), encoding="utf-8")
    result = run("submit", str(file))
    assert result.exit_code == 0, result.output
    assert "submitted prt-lisbon-welcome-desks for review" in result.output
    assert (tmo_home / "practices.sqlite").is_file()

    pending = json.loads(run("review", "--format", "json").output)
    assert [p["id"] for p in pending] == ["prt-lisbon-welcome-desks"]
    assert "prt-lisbon-welcome-desks" in run("review").output
    assert run("show", "prt-lisbon-welcome-desks").exception is not None  # not yet published

    assert "approved" in run("review", "--approve", "prt-lisbon-welcome-desks").output
    assert "no pending submissions" in run("review").output
    hits = json.loads(run("search", "welcome desks", "--format", "json").output)
    assert hits[0]["id"] == "prt-lisbon-welcome-desks"
    assert len(json.loads(run("list", "--format", "json").output)) == 67


def test_submit_and_reject_with_explicit_queue(run, tmp_path: Path) -> None:
    queue = tmp_path / "q.sqlite"
    file = tmp_path / "desks.md"
    file.write_text(submission_text(), encoding="utf-8")
    assert run("submit", str(file), "--queue", str(queue)).exit_code == 0
    result = run("review", "--reject", "prt-lisbon-welcome-desks", "--queue", str(queue))
    assert isinstance(result.exception, InputError)  # reason missing
    result = run("review", "--reject", "prt-lisbon-welcome-desks", "--reason", "duplicate",
                 "--queue", str(queue))
    assert "rejected prt-lisbon-welcome-desks: duplicate" in result.output
    assert isinstance(run("review", "--approve", "a", "--reject", "b").exception, InputError)


def test_malformed_and_oversized_submissions(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(submission_text().replace("[PRT]", "[Portugal]"), encoding="utf-8")
    result = run("submit", str(bad))
    assert isinstance(result.exception, InputError)
    assert "countries[0]: 'Portugal' is not an ISO 3166 alpha-3 code" in str(result.exception)
    big = tmp_path / "big.md"
    big.write_text(submission_text() + "word " * 20000, encoding="utf-8")
    result = run("submit", str(big))
    assert isinstance(result.exception, InputError)
    assert "the limit is 65,536 bytes" in str(result.exception)


def test_console_markup_a_submitter_typed_is_printed_as_text(run, tmp_path: Path,
                                                              tmo_home: Path) -> None:
    """A title or body with console markup ([link=...], [bold]) is shown as typed in the
    review list, in show, search and list: no disguised link, no styling."""
    text = submission_text().replace(
        "title: Municipal welcome desks for newly arrived families",
        'title: "[link=https://evil.example]Official notice[/link] welcome desks [bold]x[/bold]"',
        1)
    text += "\n\n[link=https://evil.example]click here[/link] and [red]red[/red]\n"
    file = tmp_path / "desks.md"
    file.write_text(text, encoding="utf-8")
    submitted = run("submit", str(file))
    assert submitted.exit_code == 0, submitted.output
    listed = run("review").output
    assert "[link=https://evil.example]Official" in listed
    assert run("review", "--approve", "prt-lisbon-welcome-desks").exit_code == 0
    for args in (["show", "prt-lisbon-welcome-desks"], ["search", "welcome desks"],
                 ["list"]):
        out = run(*args).output
        assert "[link=https://evil.example]" in out, args
        assert "\x1b]8;" not in out  # no terminal hyperlink escape anywhere
    shown = run("show", "prt-lisbon-welcome-desks").output
    assert "[link=https://evil.example]click here[/link]" in shown
    assert "[red]red[/red]" in shown
