"""`tmo pension`: what a career across borders is worth under a social security agreement
(docs/pensions.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tmo.errors import InputError
from tmo.pensions.calculate import assess
from tmo.pensions.career import CAREER_HINT, parse_career
from tmo.pensions.render import to_json, to_markdown
from tmo.pensions.ruleset import load_rules
from tmo.pensions.whatif import compare


def read_career(path: str) -> object:
    """The decoded JSON of a --career file ('-': standard input)."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}",
                         hint="check the path given to --career") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not JSON: {exc.msg} (line {exc.lineno}, column "
                         f"{exc.colno})", hint=CAREER_HINT) from exc


@click.command("pension")
@click.option("--career", "career_file", required=True, metavar="FILE",
              help="JSON career: periods per country, claim date, inputs ('-': stdin).")
@click.option("--agreement", default=None, metavar="ID",
              help="Agreement to apply (caricom-1996, eu-883-2004, us-totalization, "
                   "ie-us-1993); default: the career's own.")
@click.option("--format", "fmt", type=click.Choice(["json", "md"]), default="md",
              show_default=True)
@click.option("--rules", "rules_files", multiple=True, metavar="FILE",
              help="Extra rules file (a scheme or agreement in YAML); repeatable.")
@click.option("--what-if/--no-what-if", default=True, show_default=True,
              help="Compare with staying in each state and one more year in each.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
def pension(*, career_file: str, agreement: str | None, fmt: str,
            rules_files: tuple[str, ...], what_if: bool, out: str | None) -> None:
    """What each state pays for a career under a social security agreement, step by step
    (an estimate from published rules, not legal advice)."""
    rules = load_rules(rules_files)
    career = parse_career(read_career(career_file), agreement=agreement)
    result = assess(career, rules)
    scenarios = compare(career, rules) if what_if else None
    text = (to_json(result, rules, scenarios) if fmt == "json"
            else to_markdown(result, rules, scenarios))
    if out:
        Path(out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text.rstrip("\n"))
