"""Commands for a fact-based public debate (docs/factcards.md): `tmo facts` (fact cards),
`tmo claims check` (the claim checker) and `tmo words check` (the terminology checker)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tmo.cli.store import db_option
from tmo.config import settings
from tmo.errors import InputError
from tmo.factcards import claims as claim_checker
from tmo.factcards import terms
from tmo.factcards.cards import build
from tmo.factcards.render import source_line, to_html, to_json, to_svg
from tmo.factcards.words import LANGUAGES, label
from tmo.store.query import connect

MAX_TEXT_BYTES = 5 * 1024 * 1024


@click.command()
@click.argument("place")
@db_option
@click.option("--lang", type=click.Choice(LANGUAGES), default="en")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "svg"]),
              default="text")
@click.option("--year", type=int, default=None, help="Estimate year (default: the latest).")
@click.option("--revision", default=None, help="IMS revision (default: the latest).")
def facts(*, place: str, db: Path | None, lang: str, fmt: str, year: int | None,
          revision: str | None) -> None:
    """Fact cards of PLACE: an ISO3 code, a name, a UN region or 'world'."""
    con = connect(settings(db=db).db_path)
    try:
        doc = build(con, place, lang, year=year, revision=revision)
    finally:
        con.close()
    if fmt == "json":
        out = to_json(doc)
    elif fmt == "html":
        out = to_html(doc)
    elif fmt == "svg":
        out = to_svg(doc)
    else:
        lines = [doc["title"], ""]
        for card in doc["cards"]:
            lines.append(f"- {card['text']}")
            lines += [f"  {label('caveat', lang)} {c}" for c in card["caveats"]]
            lines.append(f"  {source_line(card, lang)}")
        out = "\n".join(lines)
    sys.stdout.write(out + "\n")


@click.group()
def claims() -> None:
    """Check numeric claims about migrants against the store."""


@claims.command("check")
@click.argument("sentence")
@db_option
@click.option("--lang", type=click.Choice(LANGUAGES), default=None,
              help="Language of the sentence (default: guessed).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--revision", default=None, help="IMS revision (default: the latest).")
def claims_check(*, sentence: str, db: Path | None, lang: str | None, fmt: str,
                 revision: str | None) -> None:
    """Check SENTENCE: a verdict, the figure and its source, or why it cannot be checked.
    Exit code 0 when checked, 2 when it cannot be checked."""
    con = connect(settings(db=db).db_path)
    try:
        answer = claim_checker.check(con, sentence, lang, revision=revision)
    finally:
        con.close()
    if fmt == "json":
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    elif answer["status"] == "checked":
        fig = answer["figure"]
        sys.stdout.write(
            f"{answer['verdict_text'].upper()}: {fig['place_name']}, {fig['text']} "
            f"({fig['year']}); the claim differs by {100 * answer['difference']:.0f} %\n"
            + "".join(f"  note: {n}\n" for n in answer["reading"]["notes"])
            + "".join(f"  source: {s}\n" for s in answer["source"]))
    else:
        sys.stdout.write(f"{answer['verdict_text'].upper()}: "
                         f"{answer['reading']['problem']}\n")
    sys.exit(0 if answer["status"] == "checked" else 2)


@click.group()
def words() -> None:
    """Check migration terminology (IOM Glossary on Migration and style guides)."""


def _read(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
        where = "standard input"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{source}: no such file", hint="give a text file or - for "
                             "standard input")
        data = path.read_bytes()[:MAX_TEXT_BYTES + 1]
        where = source
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"{where}: over {MAX_TEXT_BYTES // 1024 // 1024} MiB",
                         hint="split the text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 text (byte {exc.start})",
                         hint="convert it to UTF-8") from exc


@words.command("check")
@click.argument("source", default="-")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en")
@click.option("--profile", type=click.Choice(terms.PROFILES), default="iom",
              help="Style profile where guides disagree (default: iom).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def words_check(*, source: str, lang: str, profile: str, fmt: str) -> None:
    """Flag terms in SOURCE (a file, or - for standard input). Exit code 1 when a term is
    flagged, 0 when none is."""
    flags = terms.check(_read(source), lang, profile)
    name = "<stdin>" if source == "-" else source
    if fmt == "json":
        sys.stdout.write(json.dumps({"source": name, "lang": lang, "profile": profile,
                                     "flags": [f.as_dict() for f in flags]},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        for f in flags:
            cites = "; ".join(terms.CITATIONS[c][lang] for c in f.citations)
            sys.stdout.write(f"{name}:{f.line}:{f.column}: {f.rule}: \u201c{f.text}\u201d -> "
                             f"{f.suggest}. {f.reason} ({cites})\n")
    sys.exit(1 if flags else 0)
