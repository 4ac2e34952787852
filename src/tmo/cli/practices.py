"""`tmo practices`: search, list, show and count good practices; submit and review new ones.

Commands only parse options, call `tmo.practices` and render; errors are `TmoError`s
printed by the main `tmo` command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tmo.errors import InputError
from tmo.practices.catalog import Catalog, load_catalog
from tmo.practices.queue import ModerationQueue, Submission, default_queue_path
from tmo.practices.record import LEVELS, Practice
from tmo.practices.search import PracticeSearch


def _out() -> Console:
    """A console created per command, so that it sizes itself to the current terminal."""
    return Console()

queue_option = click.option(
    "--queue", "queue_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Moderation queue database (default $TMO_HOME/practices.sqlite, "
    "TMO_HOME defaults to ~/.local/share/tmo).",
)
country_option = click.option(
    "--country", metavar="ISO3",
    help="Only practices in this country (ISO3 code or English name, e.g. MDA or Moldova).",
)
theme_option = click.option("--theme", metavar="THEME", help="Only practices with this theme.")
level_option = click.option(
    "--level", type=click.Choice(LEVELS, case_sensitive=False), help="Only practices at this level."
)


def format_option(default: str = "table", choices: tuple[str, ...] = ("json", "table")):
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
        help="Output format.",
    )


def _catalog(queue_path: Path | None) -> Catalog:
    """Curated records plus the approved submissions of the queue, if it exists."""
    return load_catalog(queue=queue_path or default_queue_path())


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _practice_table(records: list[Practice], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("countries")
    table.add_column("level")
    table.add_column("themes")
    for r in records:
        table.add_row(*map(Text, (r.id, r.title, " ".join(r.countries) or "-", r.level,
                                  ", ".join(r.themes))))
    return table


@click.group()
def practices() -> None:
    """Good practices from the IDM 2010 documents: search, browse, submit, review."""


@practices.command()
@click.argument("query")
@country_option
@theme_option
@level_option
@click.option("--limit", type=int, default=5, show_default=True, help="Number of results.")
@click.option(
    "--mode", type=click.Choice(["auto", "fulltext", "hybrid"]), default="auto",
    show_default=True,
    help="auto: semantic similarity when the optional model is installed, else full text.",
)
@format_option()
@queue_option
def search(
    *, query: str, country: str | None, theme: str | None, level: str | None, limit: int,
    mode: str, fmt: str, queue_path: Path | None,
) -> None:
    """Ranked practices answering QUERY, a plain-language question in English, French or
    Spanish. Records below the relevance floor are left out; with none left, a "no close
    match" message (in the question's language) says what the repository covers."""
    semantic = {"auto": None, "fulltext": False, "hybrid": True}[mode]
    engine = PracticeSearch(_catalog(queue_path), semantic=semantic)
    hits = engine.search(query, country=country, theme=theme, level=level, limit=limit)
    if fmt == "json":
        _echo_json([h.to_dict() for h in hits])
        if not hits:
            click.echo(engine.no_match(query), err=True)
        return
    if not hits:
        _out().print(Text(engine.no_match(query)))
        _out().print(Text("tmo practices facets; tmo practices list --theme THEME", style="dim"))
        return
    table = Table(title=Text(f"{query} ({engine.mode} search)"), show_lines=True)
    table.add_column("score", justify="right")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("countries")
    table.add_column("themes", ratio=2)
    table.add_column("practice", ratio=6)
    for h in hits:
        d = h.to_dict()
        table.add_row(
            f"{h.score:.2f}", Text(d["id"]), Text(" ".join(d["countries"]) or "-"),
            Text(", ".join(d["themes"])),
            f"[bold]{escape(d['title'])}[/bold]\n{escape(d['summary'])}\n"
            f"[dim]source: {escape(d['source'])}[/dim]",
        )
    _out().print(table)


@practices.command(name="list")
@country_option
@theme_option
@level_option
@format_option()
@queue_option
def list_(
    country: str | None, theme: str | None, level: str | None, fmt: str, queue_path: Path | None
) -> None:
    """Practices matching every given filter (all of them without filters)."""
    records = _catalog(queue_path).filter(country=country, theme=theme, level=level)
    if fmt == "json":
        _echo_json([r.to_dict() for r in records])
    else:
        _out().print(_practice_table(records, f"{len(records)} practice(s)"))


@practices.command()
@click.argument("practice_id", metavar="ID")
@format_option(default="text", choices=("json", "text"))
@queue_option
def show(practice_id: str, fmt: str, queue_path: Path | None) -> None:
    """One practice in full."""
    catalog = _catalog(queue_path)
    record = catalog.get(practice_id)
    if fmt == "json":
        _echo_json(record.to_dict())
        return
    _out().print(Text.assemble((record.title, "bold"), "  ", (record.id, "cyan")))
    countries = [f"{code} ({catalog.places.name(code)})" for code in record.countries]
    rows = [
        ("countries", "; ".join(countries) or "-"),
        ("places", ", ".join(record.places) or "-"),
        ("level", record.level),
        ("themes", ", ".join(record.themes)),
        ("actors", "; ".join(f"{a.name} ({a.type})" for a in record.actors)),
        ("target groups", "; ".join(record.target_groups)),
        ("years", ", ".join(map(str, record.years)) or "-"),
        ("figures", "; ".join(map(str, record.figures)) or "-"),
        ("source", str(record.source) + (f" [{record.source.note}]" if record.source.note else "")),
        ("related", ", ".join(record.related) or "-"),
        ("provenance", record.provenance),
    ]
    if record.source.url:
        rows.insert(-2, ("link", record.source.url))
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(key, Text(value))
    _out().print(table)
    # the curated records' Markdown is reviewed in the repository; a submitted text is shown
    # as typed (its links and markup are not rendered, so none can be disguised)
    _out().print(Markdown(record.body) if record.provenance == "curated" else Text(record.body))


@practices.command()
@format_option()
@queue_option
def facets(fmt: str, queue_path: Path | None) -> None:
    """Number of practices per theme, country, level and actor type."""
    counts = _catalog(queue_path).facets()
    if fmt == "json":
        _echo_json(counts)
        return
    for facet, values in counts.items():
        table = Table(title=facet)
        table.add_column(facet)
        table.add_column("practices", justify="right")
        for value, n in values.items():
            table.add_row(value, str(n))
        _out().print(table)


@practices.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@queue_option
def submit(file: Path, queue_path: Path | None) -> None:
    """Submit FILE (Markdown with YAML front matter) for review."""
    queue = ModerationQueue(queue_path or default_queue_path())
    taken = _catalog(queue.path).ids
    record = queue.submit_file(file, taken_ids=taken)
    click.echo(f"submitted {record.id} for review (pending) in {queue.path}")


def _submission_table(items: list[Submission], title: str) -> Table:
    table = Table(title=title)
    for name in ("id", "title", "submitted", "file"):
        table.add_column(name, style="cyan" if name == "id" else None, no_wrap=name == "id")
    for s in items:
        table.add_row(*map(Text, (s.id, s.title, s.submitted_at, s.origin)))
    return table


@practices.command()
@click.option("--approve", "approve_id", metavar="ID", help="Publish a pending submission.")
@click.option("--reject", "reject_id", metavar="ID", help="Reject a pending submission.")
@click.option("--reason", help="Why the submission is rejected (required with --reject).")
@format_option()
@queue_option
def review(
    approve_id: str | None, reject_id: str | None, reason: str | None, fmt: str,
    queue_path: Path | None,
) -> None:
    """List pending submissions, or approve or reject one."""
    if approve_id and reject_id:
        raise InputError("give either --approve or --reject, not both")
    if reason and not reject_id:
        raise InputError("--reason goes with --reject")
    queue = ModerationQueue(queue_path or default_queue_path())
    if approve_id:
        done = queue.approve(approve_id, taken_ids=load_catalog().ids)
        click.echo(f"approved {done.id}: now published and searchable")
    elif reject_id:
        done = queue.reject(reject_id, reason or "")
        click.echo(f"rejected {done.id}: {done.reason}")
    else:
        pending = queue.list("pending")
        if fmt == "json":
            _echo_json([vars(s) for s in pending])
        elif not pending:
            _out().print(f"no pending submissions in {queue.path}")
        else:
            _out().print(_submission_table(pending, f"{len(pending)} pending submission(s)"))
