"""The remittance figures as CSV: one line per quarter of a corridor, per corridor of a
country, per corridor of a quarter's SDG 10.c count (used by the CLI and the web)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

SIDES = (("as_receiver", "receiver", "sent to"), ("as_sender", "sender", "sent from"))


def to_csv(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def corridor_csv(doc: dict[str, Any]) -> str:
    src = doc["cost_source"]["files"][0] if doc["cost_source"]["files"] else ""
    return to_csv(["sender", "receiver", "period", "cost_pct", "above_5", "at_or_below_3",
                 "src_file", "src_row"],
                [[doc["sender"], doc["receiver"], p["period"], p["cost_pct"],
                  p["cost_pct"] > 5, p["cost_pct"] <= 3, src, p["src_row"]]
                 for p in doc["series"]])


def country_csv(doc: dict[str, Any]) -> str:
    return to_csv(["country", "side", "sender", "receiver", "latest_period", "latest_cost_pct",
                 "slope_pp_per_year", "volume_usd", "fees_usd", "cost_year", "src_row"],
                [[doc["country"], key[3:], c["sender"], c["receiver"], c["latest_period"],
                  c["latest_cost_pct"], c["slope_pp_per_year"], c["usd"], c["fees"],
                  c["cost_year"], c["src_row"]]
                 for key, _side, _w in SIDES for c in doc[key]["corridors"]])


def sdg_csv(doc: dict[str, Any]) -> str:
    rows = [[doc["quarter"], c["sender"], c["receiver"], c["cost_pct"], status, c["src_row"]]
            for status, key in (("above_5", "corridors_above_5"),
                                ("at_or_below_3", "corridors_at_or_below_3"))
            for c in doc[key]]
    return to_csv(["quarter", "sender", "receiver", "cost_pct", "status", "src_row"], rows)
