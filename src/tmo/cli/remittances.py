"""`tmo remittances`: what sending money home costs per corridor and per country, the fees
lost, and SDG 10.c per quarter (docs/remittances.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from tmo.cli.store import db_option
from tmo.config import settings
from tmo.remittances import data as rdata
from tmo.remittances import report
from tmo.remittances.tables import SIDES, corridor_csv, country_csv, sdg_csv, to_csv
from tmo.store import facts
from tmo.store.query import connect

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                      default="table", show_default=True)


def _read(db: Path | None, codes: Iterable[str] = ()
          ) -> tuple[rdata.RemittanceData, list[str], dict[str, str]]:
    """The store's remittance frames, the codes (ISO3 or names) resolved, and names."""
    con = connect(settings(db=db).db_path)
    try:
        registry = facts.registry(con)
        resolved = [registry.lookup(c).iso3 for c in codes]
        return rdata.load(con), resolved, facts.area_names(con)
    finally:
        con.close()


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} %"


def usd(value: float | None) -> str:
    return "–" if value is None else f"US$ {value / 1e6:,.1f} million"



def _emit(fmt: str, doc: dict[str, Any], table: Callable[[], str],
          rows: Callable[[], str]) -> None:
    if fmt == "json":
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        click.echo(table() if fmt == "table" else rows(), nl=fmt == "table")


@click.group()
def remittances() -> None:
    """Cheaper remittances: corridor costs, fees lost, SDG 10.c (docs/remittances.md)."""



def corridor_table(doc: dict[str, Any], names: dict[str, str]) -> str:
    s, r = doc["sender"], doc["receiver"]
    lines = [(f"Sending USD {doc['amount_usd']} from {names.get(s, s)} ({s}) to "
             f"{names.get(r, r)} ({r}): Remittance Prices Worldwide")]
    trend = doc["trend"]
    if trend["quarters"]:
        slope = trend["slope_pp_per_year"]
        lines.append(f"  {trend['quarters']} quarters, {trend['first']['period']} "
                     f"{pct(trend['first']['cost_pct'])} to {trend['last']['period']} "
                     f"{pct(trend['last']['cost_pct'])}; average {pct(doc['average_pct'])}"
                     + ("" if slope is None else f"; trend {slope:+.2f} points a year"))
        lines.append(f"  above 5 %: {len(doc['quarters_above_5'])} quarters; at or below "
                     f"3 %: {len(doc['quarters_at_or_below_3'])}")
        lines += [f"  {p['period']}  {p['cost_pct']:6.2f} %"
                  + ("  above 5 %" if p["cost_pct"] > 5 else
                     "  at or below 3 %" if p["cost_pct"] <= 3 else "")
                  for p in doc["series"]]
        lines.append(f"  source: {doc['cost_source']['files'][0]}, line "
                     f"{doc['series'][0]['src_row']}")
    else:
        lines.append("  no published cost")
    for v in doc["volume"]:
        lines.append(f"Volume {v['year']}: {usd(v['usd'])} ({v['src_file']}, sheet "
                     f"{v['src_sheet']}, row {v['src_row']})")
    fees = doc["fees"]
    if fees:
        lines.append(f"Fees lost: {usd(fees['fees'])} (volume of {fees['volume_year']} x cost "
                     f"of {fees['cost_year']}, {pct(fees['cost_pct'])}); saved at 5 %: "
                     f"{usd(fees['saved_at_5'])}; at 3 %: {usd(fees['saved_at_3'])}")
        if fees["note"]:
            lines.append(f"  note: {fees['note']} (the years differ)")
    return "\n".join(lines)


@remittances.command("corridor")
@click.argument("sender")
@click.argument("receiver")
@db_option
@FORMAT
def corridor_command(sender: str, receiver: str, db: Path | None, fmt: str) -> None:
    """The cost of sending USD 200 from SENDER to RECEIVER every quarter, its trend, the
    volume and the fees lost (ISO3 codes or names)."""
    data, (s, r), names = _read(db, (sender, receiver))
    doc = report.corridor(data, s, r)
    _emit(fmt, doc, lambda: corridor_table(doc, names), lambda: corridor_csv(doc))





def country_table(doc: dict[str, Any], names: dict[str, str]) -> str:
    code = doc["country"]
    lines = [f"Remittance costs of {names.get(code, code)} ({code})"]
    for key, _side, words in SIDES:
        side = doc[key]
        lines.append(f"Money {words} {code}: {side['priced_corridors']} priced corridors; "
                     f"{side['latest_quarter']}: {side['priced_now']} priced, average "
                     f"{pct(side['average_pct'])}, weighted {pct(side['weighted_pct'])}, "
                     f"highest {pct(side['highest_pct'])}: {side['light']}")
        for c in side["corridors"]:
            p = c["partner"]
            lines.append(f"  {names.get(p, p)[:28]:28} {c['latest_period']} "
                         f"{c['latest_cost_pct']:6.2f} %  volume {usd(c['usd'])}  fees "
                         f"{usd(c['fees'])}")
        fees = side["fees"]
        if fees["corridors"]:
            lines.append(f"  fees on {fees['corridors']} corridors: {usd(fees['fees'])}; "
                         f"saved at 5 %: {usd(fees['saved_at_5'])}; at 3 %: "
                         f"{usd(fees['saved_at_3'])}"
                         + (f" ({fees['note']})" if fees["note"] else ""))
        lines.extend(f"  {k['year']}: KNOMAD total {usd(k['total_usd'])} x "
                     f"{pct(k['weighted_pct'])} = fees {usd(k['fees'])} ({k['note']})"
                     for k in side.get("knomad", [])[-3:])
    return "\n".join(lines)


@remittances.command("country")
@click.argument("country")
@db_option
@FORMAT
def country_command(country: str, db: Path | None, fmt: str) -> None:
    """What sending money to and from COUNTRY costs: its corridors, averages (simple and
    volume-weighted), the traffic light, the fees its diaspora paid."""
    data, (code,), names = _read(db, (country,))
    doc = report.country(data, code)
    _emit(fmt, doc, lambda: country_table(doc, names), lambda: country_csv(doc))


def sdg_table(doc: dict[str, Any], names: dict[str, str]) -> str:
    lines = [(f"SDG 10.c in {doc['quarter']}: {doc['priced']} corridors priced, "
             f"{doc['above_5']} above 5 %, {doc['at_or_below_3']} at or below 3 %, "
             f"{doc['between']} between; average {pct(doc['average_pct'])} (simple), "
             f"{pct(doc['weighted_pct'])} (weighted by 2017 volumes)"),
             "At or below 3 %:"]
    lines += [f"  {names.get(c['sender'], c['sender'])} to "
              f"{names.get(c['receiver'], c['receiver'])}: {pct(c['cost_pct'])}"
              for c in doc["corridors_at_or_below_3"]]
    lines.append(f"source: {', '.join(doc['source']['files'])} ({doc['source']['n_rows']} "
                 f"rows)")
    return "\n".join(lines)



@remittances.command("sdg")
@click.option("--quarter", default=None, metavar="YYYYQN",
              help="The quarter, e.g. 2020Q3 (default: the latest).")
@click.option("--trend", is_flag=True, help="Every quarter's counts instead of one quarter.")
@db_option
@FORMAT
def sdg_command(quarter: str | None, trend: bool, db: Path | None, fmt: str) -> None:
    """SDG 10.c in a quarter: corridors priced, above 5 % and at or below 3 % (the json
    lists them; csv: one line per corridor above 5 % or at or below 3 %)."""
    data, _codes, names = _read(db)
    if trend:
        rows = report.sdg_counts(data)
        cols = ["period", "priced", "above_5", "at_or_below_3", "average_pct",
                "weighted_pct"]
        _emit(fmt, {"quarters": rows},
              lambda: "\n".join(f"{r['period']}  priced {r['priced']:3}  above 5 % "
                                f"{r['above_5']:3}  at or below 3 % {r['at_or_below_3']:3}  "
                                f"average {pct(r['average_pct'])}" for r in rows),
              lambda: to_csv(cols, [[r[c] for c in cols] for r in rows]))
        return
    doc = report.sdg(data, quarter.upper() if quarter else None)
    _emit(fmt, doc, lambda: sdg_table(doc, names), lambda: sdg_csv(doc))


@remittances.command("world")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def world_command(db: Path | None, fmt: str) -> None:
    """The world: SDG 10.c per quarter, the fees on every priced corridor and the
    savings at 5 % and 3 %, KNOMAD's world total times the weighted average cost."""
    data, _codes, _names = _read(db)
    doc = report.world(data)
    fees = doc["fees"]

    def table() -> str:
        last = doc["latest"]
        lines = [(f"{last['period']}: {last['priced']} corridors priced, average "
                 f"{pct(last['average_pct'])}, weighted {pct(last['weighted_pct'])}; "
                 f"{last['above_5']} above 5 %, {last['at_or_below_3']} at or below 3 %"),
                 f"Fees on {fees['corridors']} corridors ({usd(fees['usd'])} sent): "
                 f"{usd(fees['fees'])}; saved at 5 %: {usd(fees['saved_at_5'])}; at 3 %: "
                 f"{usd(fees['saved_at_3'])}" + (f" ({fees['note']})" if fees["note"] else "")]
        lines += [f"{k['year']}: KNOMAD world total {usd(k['total_usd'])} x "
                  f"{pct(k['weighted_pct'])} = {usd(k['fees'])}" for k in doc["knomad"]]
        return "\n".join(lines)

    _emit(fmt, doc, table, lambda: "")
