"""`tmo changes`: what changed between revisions, from build to build, and the alerts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.console import Console

from tmo.config import settings
from tmo.revisions import news, report
from tmo.store import changes as store_changes
from tmo.store import facts
from tmo.store.query import connect

out = Console()


def build_summary(db: Path) -> list[str]:
    """Short lines about what the latest build changed (printed at the end of tmo build)."""
    con = connect(db)
    try:
        latest = news.build_documents(con, limit=1)
    finally:
        con.close()
    if not latest:
        return []
    b = latest[0]
    changed = [s for s in b["sources"] if s["status"] in ("changed", "added", "removed")]
    why = b["summary"].get("previous_unreadable")
    if why:
        return [(f"Build {b['build']}: the store it replaces could not be read ({why}), so "
                "nothing was compared")]
    if all(s["status"] == "first" for s in b["sources"]):
        return [f"Build {b['build']}: the first of this store (tmo changes --builds)"]
    if not changed:
        return [f"Build {b['build']}: no source file changed since the previous store"]
    lines = [f"Build {b['build']}: {len(changed)} source file(s) changed: "
             + ", ".join(f"{s['source']} ({s['status']})" for s in changed)]
    lines += [f"  {v['view']}: {v['added']:,} added, {v['removed']:,} removed, "
              f"{v['changed']:,} changed" for v in b["views"]]
    if not b["views"]:
        lines.append("  every view has the same rows as before")
    lines.append("Details: tmo changes --builds")
    return lines


@click.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store file (default $TMO_HOME/tmo.duckdb).")
@click.option("--country", default=None, metavar="ISO3",
              help="A country's figures, corridors and events (default: world and regions).")
@click.option("--dataset", type=click.Choice(["IMS", "WPP", "flows"]), default=None,
              help="Only this series (default: every pair of revisions of the store).")
@click.option("--builds", "show_builds", is_flag=True,
              help="The store's history of builds: source files and rows changed per view.")
@click.option("--alerts", "show_alerts", is_flag=True,
              help="The alerts raised by the rules (TMO_ALERTS) at each build.")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv"]), default="md")
def changes(db: Path | None, country: str | None, dataset: str | None,  # noqa: PLR0917
            show_builds: bool, show_alerts: bool, fmt: str) -> None:
    """What changed: between the revisions the store holds (world, regions, a country and
    its corridors), from build to build (--builds), and the alerts (--alerts)."""
    con = connect(settings(db=db).db_path)
    try:
        iso3 = facts.require_country(con, country) if country else None
        store_changes.require_monitoring(con)
        if show_alerts:
            _print_frame(store_changes.alerts(con, iso3), fmt, title="Alerts")
            return
        if show_builds:
            docs = news.build_documents(con)
            if fmt == "json":
                click.echo(report.as_json({"schema": "tmo.changes/1", "builds": docs}))
            elif fmt == "csv":
                frames = [pd.DataFrame(d["sources"]) for d in docs]
                click.echo(pd.concat(frames).to_csv(index=False) if frames else "", nl=False)
            else:
                click.echo("\n".join(line for d in docs for line in report.build_markdown(d)))
            return
        if fmt == "csv":
            pairs = [p for p in store_changes.revision_pairs(con)
                     if not dataset or p[0] == dataset]
            frames = [_rows(con, p, iso3) for p in pairs]
            click.echo(pd.concat(frames).to_csv(index=False) if frames else "", nl=False)
            return
        doc = news.changes_document(con, iso3, dataset)
    finally:
        con.close()
    click.echo(report.as_json(doc) if fmt == "json" else report.markdown(doc))


def _rows(con: Any, pair: tuple[str, str, str], iso3: str | None) -> pd.DataFrame:
    ds, old, new = pair
    if iso3 is None:
        return store_changes.revision_changes(con, dataset=ds, old_revision=old,
                                              new_revision=new, levels=("world", "region"))
    own = store_changes.revision_changes(con, dataset=ds, old_revision=old, new_revision=new,
                                         area=iso3, levels=("country",))
    cors = store_changes.revision_changes(con, dataset=ds, old_revision=old,
                                          new_revision=new, corridors_of=iso3)
    return pd.concat([own, cors], ignore_index=True)


def _print_frame(frame: pd.DataFrame, fmt: str, *, title: str) -> None:
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(report.as_json({"schema": "tmo.changes/1",
                                   title.lower(): report.records(frame)}))
    else:
        lines = [f"# {title}", ""]
        if frame.empty:
            lines.append("None.")
        lines += [f"- build {r['build']}, {r['country']}, rule {r['rule']}: {r['message']} "
                  f"[{r['source']}]" for r in report.records(frame)]
        click.echo("\n".join(lines))
