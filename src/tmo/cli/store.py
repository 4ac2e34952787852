"""Commands that build and read the evidence store: build, sources, check, sql."""

from __future__ import annotations

import json
from math import isnan
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from tmo.cli.changes import build_summary
from tmo.cli.tables import show
from tmo.config import settings
from tmo.errors import SourceError
from tmo.sources import watch
from tmo.sources.catalog import load_catalog
from tmo.sources.snapshot import MirrorIndex, cached, locate
from tmo.store import facts
from tmo.store.query import connect
from tmo.store.query import sql as run_sql

console = Console(stderr=True)
out = Console()

db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Store file (default $TMO_HOME/tmo.duckdb, TMO_HOME defaults to ~/.local/share/tmo).",
)
wait_option = click.option(
    "--wait", type=float, default=0, metavar="SECONDS", show_default=True,
    help="When another command is writing the store, wait up to this long for it.",
)
source_dir_option = click.option(
    # not checked here: the build's own guard says what is wrong with the folder (a file,
    # a dangling link, no permission) in one line (tmo.sources.snapshot.MirrorIndex)
    "--source-dir", type=click.Path(path_type=Path, readable=False), default=None,
    help="Offline mirror: a folder searched recursively for the official files "
    "(default: download them from the publishers into the cache).",
)


def print_removed(paths: list[Path]) -> None:
    """One line per temporary file of a killed writer that a write removed."""
    for path in paths:
        console.print(f"removed {escape(path.name)}, left by a writer of the store that was "
                      "stopped", soft_wrap=True)


class RichBuildProgress:
    """Shows the build's stages and downloads as rich progress bars."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.downloads: dict[str, TaskID] = {}

    def stage(self, label: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[self.task].total)
        self.task = self.progress.add_task(label, total=total)

    def advance(self, label: str) -> None:
        if self.task is not None:
            self.progress.update(self.task, advance=1, description=f"{label}")

    def download(self, name: str, done: int, total: int | None) -> None:
        if name not in self.downloads:
            self.downloads[name] = self.progress.add_task(f"download {name}", total=total)
        self.progress.update(self.downloads[name], completed=done)


@click.command()
@db_option
@source_dir_option
@click.option("--only", multiple=True, metavar="SOURCE",
              help="Build only these sources (and the country reference); repeatable.")
@click.option("--allow-changed-checksums", is_flag=True,
              help="Accept files whose checksum differs from the declared one (re-issued).")
@wait_option
def build(db: Path | None, source_dir: Path | None, only: tuple[str, ...],
          allow_changed_checksums: bool, wait: float) -> None:
    """Build the store from the official files (downloaded, or from --source-dir), then
    every country's profile; the new store replaces the old one in one step."""
    from tmo.pipeline import build_store  # noqa: PLC0415 (the pipeline imports every stage)

    cfg = settings(db=db, source_dir=source_dir)
    columns = [TextColumn("{task.description:<40}"), BarColumn(), DownloadColumn(),
               TimeElapsedColumn()]
    with Progress(*columns[:2], TimeElapsedColumn(), console=console, transient=True) as bar:
        report = build_store(cfg, keys=only or None, allow_changed=allow_changed_checksums,
                             progress=RichBuildProgress(bar), wait=wait)
    print_removed(report.removed)
    table = Table(title=f"Store built: {report.db_path} ({report.seconds:.1f} s)")
    table.add_column("view")
    table.add_column("rows", justify="right")
    for name, n in report.rows.items():
        table.add_row(name, f"{n:,}")
    out.print(table)
    _print_summary(report.db_path)
    for line in build_summary(report.db_path):
        out.print(escape(line), soft_wrap=True)
    errors = sum(f.severity == "error" for f in report.findings)
    warnings = sum(f.severity == "warning" for f in report.findings)
    out.print(f"Findings: {errors} errors, {warnings} warnings (details: tmo check)")


def _print_summary(db: Path) -> None:
    """Headline figures read back from the store, with the rows they come from."""
    con = connect(db)
    try:
        rows = facts.world_stock(con)
        stock = bool(facts.revisions(con))
    finally:
        con.close()
    if not stock:  # e.g. `tmo build --only unhcr`: the sources asked for, no profile
        out.print("No migrant stock in this build (no International Migrant Stock source), "
                  "so no country profile was stored; add --only ims_destination_2024 (or "
                  "build without --only) for profiles")
    for r in rows:
        out.print(f"World migrant stock {r['year']} (IMS {r['revision']}): {r['stock']:,}  "
                  f"[{r['src_file']}, {r['src_sheet']}, row {r['src_row']}]")


@click.command()
@source_dir_option
@click.option("--check", "check_releases", is_flag=True,
              help="Ask each publisher whether a new release is out (conditional requests, "
              "nothing downloaded); exit code 0 none, 2 a new release, 3 could not ask.")
@click.option("--timeout", type=float, default=20, show_default=True, metavar="SECONDS",
              help="With --check: how long to wait for each publisher.")
@click.pass_context
def sources(ctx: click.Context, source_dir: Path | None, check_releases: bool,
            timeout: float) -> None:
    """List the known sources: what each is, where it is found or cached, checksums."""
    cfg = settings(source_dir=source_dir)
    if check_releases:
        ctx.exit(release_watch(cfg.cache_dir, timeout))
    index = MirrorIndex(cfg.source_dir) if cfg.source_dir else None
    where = f" in {cfg.source_dir}" if index else f" (cache {cfg.cache_dir})"
    table = Table(title="Sources" + where)
    for col in ("source", "revision", "publisher", "edition", "file", "status", "sha256"):
        table.add_column(col, overflow="fold", no_wrap=col in ("source", "revision", "status"),
                         max_width=40 if col == "publisher" else None)
    for spec in load_catalog().values():
        if index is not None:
            try:
                res = locate(spec, index)
                for s in res.snapshots:
                    table.add_row(spec.key, spec.revision, spec.publisher, res.edition.name,
                                  s.file, "found", s.sha256[:16])
            except SourceError as exc:
                table.add_row(spec.key, spec.revision, spec.publisher, "", "",
                              f"missing: {exc}", "")
            continue
        records = cached(spec, cfg.cache_dir)
        if records:
            for rec in records:
                table.add_row(spec.key, spec.revision, spec.publisher, "official", rec["file"],
                              f"cached {rec['retrieved_at']}", rec["sha256"][:16])
        else:
            first = spec.editions[0]
            table.add_row(spec.key, spec.revision, spec.publisher, first.name,
                          ", ".join(f.name for f in first.files), "not downloaded", "")
    show(table)


def release_watch(cache_dir: Path, timeout: float) -> int:
    """`tmo sources --check`: one line per file, a summary, and the exit code for cron."""
    results = watch.check(load_catalog().values(), cache_dir, timeout=timeout)
    for r in results:
        out.print(f"{r.status:<11} {escape(r.source)}: {escape(r.file)} ({escape(r.detail)})",
                  soft_wrap=True)
    counts = {s: sum(r.status == s for r in results) for s in
              ("changed", "unchanged", "recorded", "missing", "unreachable")}
    out.print(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no downloadable source")
    return watch.exit_code(results)


@click.command()
@db_option
@click.option("--severity", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Show only findings of this severity.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def check(db: Path | None, severity: str | None, fmt: str) -> None:
    """Print the data-quality report of the store's last build."""
    cfg = settings(db=db)
    con = connect(cfg.db_path)
    try:
        rows = facts.findings(con, severity)
    finally:
        con.close()
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1))
        return
    table = Table(title=f"Findings in {cfg.db_path}: {len(rows)}")
    for col in ("check", "severity", "source", "where", "message"):
        table.add_column(col, overflow="fold")
    for rec in rows:
        table.add_row(*(str(rec[c]) for c in ("check", "severity", "source", "where",
                                               "message")))
    show(table)


def result_table(frame: pd.DataFrame) -> Table:
    """A query's rows as a table that stays readable when narrow: numbers as the store holds
    them (no thousands separators: years and codes are integers too), right-aligned; no
    column squeezed below its header or 12 characters (wider tables run past the edge
    rather than break words into one line each)."""
    table = Table(show_lines=False)
    for col in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[col])
        longest = max([len(str(col)), *(len(str(v)) for v in frame[col].head(200))])
        table.add_column(str(col), justify="right" if numeric else "left",
                         min_width=min(longest, max(len(str(col)), 12)))
    for rec in frame.itertuples(index=False):
        table.add_row(*["" if v is None or v is pd.NA or (isinstance(v, float) and isnan(v))
                        else str(v) for v in rec])
    return table


@click.command()
@click.argument("query")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
def sql(query: str, db: Path | None, fmt: str) -> None:
    """Run one read-only query on the store's views (docs/store.md): SELECT, WITH, DESCRIBE,
    SHOW, SUMMARIZE, PIVOT, EXPLAIN. Files, network, extensions, settings and writes are
    refused."""
    frame = run_sql(settings(db=db).db_path, query)
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(frame.to_json(orient="records", indent=1))
    else:
        show(result_table(frame.head(1000)))
        if len(frame) > 1000:
            out.print(f"... {len(frame) - 1000:,} more rows (use --format csv)")
